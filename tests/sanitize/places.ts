/**
 * Where an HTML comment can stand in a paper's body: kinds of code and raw
 * HTML element (`kinds`), containers around them (`containers`) and comment
 * forms (`forms`), with a fast-check generator of placements and a renderer
 * that gives each placement its own canary. Shared by the comment tests.
 */
import fc from 'fast-check'

export const FM = '---\nid: PCD 1\ntitle: Comments\ndate: "2020-01-01"\nclassification: OFFICIAL\n---\n\n'
export const COMMENT_RULES = ['comment-unparsed', 'comment-in-code', 'comment-in-html', 'comment-unclosed']

/** Comment forms: whole, a closing fragment, never closed, closed with `--!>`. */
export const forms = [(c: string) => `<!-- ${c} -->`, (c: string) => `${c} -->`, (c: string) => `<!-- ${c}`, (c: string) => `<!-- ${c} --!>`]

export interface Kind {
  /** The body holding comment text `c`. */
  make: (c: string) => string
  /** Whether it is inline (may go in a cell, a heading, emphasis). */
  inline: boolean
  /** The rules one of which must refuse it (any form); absent: it may be removed instead. */
  refused?: string[]
}

const entities = (c: string) => c.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')

export const kinds: Record<string, Kind> = {
  fenced: {make: (c) => '```\n' + c + '\n```', inline: false, refused: ['comment-in-code']},
  fencedHtml: {make: (c) => '~~~html\n<p>x</p>\n' + c + '\n~~~', inline: false, refused: ['comment-in-code']},
  indented: {make: (c) => '    ' + c, inline: false, refused: ['comment-in-code']},
  inlineCode: {make: (c) => 'x `' + c + '` y', inline: true, refused: ['comment-in-code']},
  textarea: {make: (c) => '<textarea>' + c + '</textarea>', inline: false, refused: ['comment-in-html']},
  title: {make: (c) => '<title>' + c + '</title>', inline: false, refused: ['comment-in-html']},
  style: {make: (c) => '<style>' + c + '</style>', inline: false, refused: ['comment-in-html']},
  script: {make: (c) => '<script>' + c + '</script>', inline: false, refused: ['comment-in-html']},
  iframe: {make: (c) => '<iframe>' + c + '</iframe>', inline: false, refused: ['comment-in-html']},
  noframes: {make: (c) => '<noframes>' + c + '</noframes>', inline: false, refused: ['comment-in-html']},
  plaintext: {make: (c) => '<plaintext>\n' + c, inline: false, refused: ['comment-in-html']},
  svgCdata: {make: (c) => '<svg><![CDATA[' + c + ']]></svg>', inline: false, refused: ['comment-in-html']},
  entitiesInHtml: {make: (c) => '<div>' + entities(c) + '</div>', inline: false, refused: ['comment-in-html']},
  // Inline, the comment may be read as a comment inside the element (then
  // the element reads it as text: comment-in-html) or not at all (text).
  textareaInline: {make: (c) => 'x <textarea>' + c + '</textarea> y', inline: true, refused: ['comment-in-html', 'comment-unparsed']},
  titleInline: {make: (c) => 'x <title>' + c + '</title> y', inline: true, refused: ['comment-in-html', 'comment-unparsed']},
  styleInline: {make: (c) => 'x <style>' + c + '</style> y', inline: true, refused: ['comment-in-html', 'comment-unparsed']},
  scriptInline: {make: (c) => 'x <script>' + c + '</script> y', inline: true, refused: ['comment-in-html', 'comment-unparsed']},
  xmp: {make: (c) => '<xmp>' + c + '</xmp>', inline: true, refused: ['comment-in-html', 'comment-unparsed']},
  noembed: {make: (c) => '<noembed>' + c + '</noembed>', inline: true, refused: ['comment-in-html', 'comment-unparsed']},
  attribute: {make: (c) => 'x <abbr title="' + c + '">y</abbr>', inline: true, refused: ['comment-in-html']},
  entities: {make: (c) => 'x ' + entities(c), inline: true, refused: ['comment-unparsed']},
  // Read as a comment by the HTML parser (scripting off): removed.
  noscript: {make: (c) => '<noscript>' + c + '</noscript>', inline: true},
  template: {make: (c) => '<template>' + c + '</template>', inline: true},
  plain: {make: (c) => c, inline: true},
  inDiv: {make: (c) => '<div>' + c + '</div>', inline: false},
  inSpan: {make: (c) => 'x <span>' + c + '</span> y', inline: true},
  inlineHtml: {make: (c) => 'H<sub>2</sub>O ' + c + ' <kbd>Ctrl</kbd>', inline: true}
}

/** Containers: each turns a body into one that holds it. */
export const containers: Record<string, {wrap: (s: string) => string; inline?: boolean}> = {
  top: {wrap: (s) => s},
  list: {wrap: (s) => '- item\n\n' + s.split('\n').map((l) => '  ' + l).join('\n')},
  ordered: {wrap: (s) => '1. item\n\n' + s.split('\n').map((l) => '   ' + l).join('\n')},
  quote: {wrap: (s) => s.split('\n').map((l) => '> ' + l).join('\n')},
  footnote: {wrap: (s) => 'A claim.[^n]\n\n[^n]: Note.\n\n' + s.split('\n').map((l) => '    ' + l).join('\n')},
  divAround: {wrap: (s) => '<div>\n\n' + s + '\n\n</div>'},
  nested: {wrap: (s) => '> - item\n>\n' + s.split('\n').map((l) => '>   ' + l).join('\n')},
  cell: {wrap: (s) => '| a | b |\n| --- | --- |\n| ' + s.replace(/\|/g, '\\|') + ' | z |', inline: true},
  heading: {wrap: (s) => '## Heading ' + s, inline: true},
  emphasis: {wrap: (s) => 'Some *emphasis ' + s + ' here*.', inline: true},
  link: {wrap: (s) => 'A [link ' + s + '](https://example.org/).', inline: true}
}

export interface Placement {
  kind: string
  container: string
  form: number
}

export const placement: fc.Arbitrary<Placement> = fc
  .record({kind: fc.constantFrom(...Object.keys(kinds)), container: fc.constantFrom(...Object.keys(containers)), form: fc.integer({min: 0, max: forms.length - 1})})
  .filter((p) => !containers[p.container].inline || kinds[p.kind].inline)

/** A body with each placement after a public line; `tag` keeps canaries unique across papers. */
export function render(placements: Placement[], tag = '') {
  const blocks: string[] = []
  const spans: Array<{placement: Placement; canary: string; from: number; to: number}> = []
  const publics: string[] = []
  let line = FM.split('\n').length
  placements.forEach((p, i) => {
    const pub = `zpkeep${tag}${i}x${i}`
    publics.push(pub)
    blocks.push(`Public ${pub}.`)
    line += 2
    const canary = `zknote${tag}${i}x${p.kind.toLowerCase()}`
    const block = containers[p.container].wrap(kinds[p.kind].make(forms[p.form](canary))).replace(/\[\^n\]/g, `[^n${i}]`)
    spans.push({placement: p, canary, from: line, to: line + block.split('\n').length - 1})
    blocks.push(block)
    line += block.split('\n').length + 1
  })
  blocks.push('Public end.')
  return {body: blocks.join('\n\n') + '\n', spans, publics}
}

