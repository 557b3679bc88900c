/**
 * remark plugin: check every directive. `official-sensitive` is the only
 * directive papers may use; it must state its ground. Anything else that looks
 * like a directive is a typo, not content (`:::oficial-sensitive`), except a
 * bare `:word` in prose, which is turned back into text.
 */
import type {Root, Parent, Text} from 'mdast'
import type {Node} from 'unist'
import type {ContainerDirective, LeafDirective, TextDirective} from 'mdast-util-directive'
import {SKIP, visit} from 'unist-util-visit'
import type {VFile} from 'vfile'
import {parseExemption, splitExemptions} from '../content/exemptions.js'
import {fail} from '../content/messages.js'
import {foldForChecks, hasSensitiveSyntax} from '../content/markings.js'
import './data.js'

export const SENSITIVE = 'official-sensitive'

type Directive = ContainerDirective | LeafDirective | TextDirective

/** The exemptions a sensitive node resolved to, set by this plugin. */
export function directiveExemptions(node: Directive): string[] {
  return ((node.data as {exemptions?: string[]} | undefined)?.exemptions) ?? []
}


export default function remarkCheckDirectives() {
  return function (tree: Root, file: VFile) {
    const source = String(file.value)

    // Why: `::: official-sensitive` (a space after the colons), a block inside
    // raw HTML, or an escaped colon leave the material as ordinary text, which
    // would be published. Refuse rather than guess.
    // Ranges of the source that parsed as sensitive directives: everything
    // else must not hold sensitive syntax.
    const ranges: Array<[number, number]> = []
    visit(tree, (node) => {
      if ((node.type === 'containerDirective' || node.type === 'leafDirective' || node.type === 'textDirective') && node.name === SENSITIVE) {
        const start = node.position?.start.offset
        const end = node.position?.end.offset
        if (start !== undefined && end !== undefined) ranges.push([start, end])
        return SKIP
      }
      return undefined
    })
    const outsideDirectives = (start: number, end: number) => {
      let text = source.slice(start, end)
      for (const [a, b] of ranges) {
        if (b <= start || a >= end) continue
        const from = Math.max(a, start) - start
        const to = Math.min(b, end) - start
        text = text.slice(0, from) + ' '.repeat(to - from) + text.slice(to)
      }
      return text
    }

    const unparsed = (node: Node) =>
      fail(file, `This looks like \`${SENSITIVE}\` but is not read as a directive, so its text would be published: write \`:::${SENSITIVE}{exemptions="..."}\` at the start of a line (plain colons and hyphen, no space after the colons, not inside HTML, code, image text or a title), or \`:${SENSITIVE}[text]{exemptions="..."}\` inline`, node, 'directive-unparsed')

    visit(tree, (node) => {
      if ((node.type === 'containerDirective' || node.type === 'leafDirective' || node.type === 'textDirective') && node.name === SENSITIVE) return undefined
      const start = node.position?.start.offset
      const end = node.position?.end.offset
      // Check each leaf block twice: as written (image alt text and titles
      // are flattened in the tree) and as parsed (entities decoded, and a
      // lookalike name that splits the text joined up again).
      const leafBlock = node.type === 'paragraph' || node.type === 'heading' || node.type === 'tableCell' || node.type === 'html' || node.type === 'code' || node.type === 'definition'
      if (leafBlock && start !== undefined && end !== undefined) {
        const written = outsideDirectives(start, end)
        if (hasSensitiveSyntax(decodeEntities(written)) || hasSensitiveSyntax(safeDecode(written)) || hasSensitiveSyntax(parsedText(node))) unparsed(node)
        // Why: a span's label ends at the first unbalanced \`]\`, even one in
        // code, a link address or HTML; the rest of what the author meant to
        // withhold, with its \`]{exemptions=...}\`, would follow as prose.
        const after = ranges.filter(([a, b]) => a >= start && b <= end).map(([, b]) => b)
        if (/\{[^}]*\bexemptions\s*=/i.test(written) || after.some((from) => unbalancedClose(source.slice(from, end)))) {
          fail(file, 'A withheld span seems to end early: after it comes a `]` with no `[`, or `{exemptions=...}` outside any span. Its label probably ended at a `]` inside code, a link address or HTML, so the rest would be published. Escape that `]` as `\\]`', node, 'directive-label-early')
        }
      }
      return undefined
    })

    // Why: every line that starts with a fence (three or more colons, in any
    // spelling) must open or close a parsed block. Anything else is a block
    // that closed earlier than written (at a \`:::\` inside code, HTML or a
    // list item), a closing fence with text after it, or a block closed twice:
    // what follows it may be meant withheld.
    const fenceLines = new Set<number>()
    visit(tree, 'containerDirective', (node) => {
      if (node.position) fenceLines.add(node.position.start.line).add(node.position.end.line)
    })
    source.split('\n').forEach((line, i) => {
      if (/^(?:[\s>]|[-*+][ \t]|\d{1,9}[.)][ \t])*:{3,}/.test(foldForChecks(line)) && !fenceLines.has(i + 1)) {
        fail(file, 'A line starting with `:::` that opens or closes no block: a withheld block ended earlier than written (at a `:::` inside code, HTML or a list item?), was closed twice, or its closing line has text after the colons. Check where each `:::official-sensitive` block ends', {line: i + 1, column: 1}, 'directive-stray-fence')
      }
    })

    visit(tree, (node, index, parent) => {
      if (node.type !== 'containerDirective' && node.type !== 'leafDirective' && node.type !== 'textDirective') return
      const directive = node as Directive
      const start = directive.position?.start.offset
      const end = directive.position?.end.offset
      const written = start !== undefined && end !== undefined ? source.slice(start, end) : ''
      const marker = directive.type === 'containerDirective' ? ':::' : directive.type === 'leafDirective' ? '::' : ':'

      if (directive.name !== SENSITIVE) {
        if (directive.type === 'textDirective' && written === `:${directive.name}` && parent && index !== undefined) {
          // A bare `:word` (as in "Note:this") is prose: put the text back.
          const text: Text = {type: 'text', value: written, position: directive.position}
          parent.children.splice(index, 1, text as never)
          return [SKIP, index + 1]
        }
        const hint = similar(directive.name) ? ` (did you mean \`${marker}${SENSITIVE}\`?)` : ''
        fail(file, `Unknown directive \`${marker}${directive.name}\`${hint}: the only directive papers may use is \`${marker}${SENSITIVE}\``, directive, 'directive-unknown')
        return
      }

      const attributes = directive.attributes ?? {}
      const braces = /\{[^}]*\}\s*$/.exec(written.split('\n')[0])?.[0] ?? ''
      if ((braces.match(/\bexemptions\s*=/g) ?? []).length > 1) {
        fail(file, `\`exemptions\` is given twice on \`${marker}${SENSITIVE}\`: give it once, with every section separated by spaces`, directive, 'directive-attribute-unknown')
      }
      for (const key of Object.keys(attributes)) {
        if (key !== 'exemptions') {
          fail(file, `Unknown attribute \`${key}\` on \`${marker}${SENSITIVE}\`: the only attribute is \`exemptions\`, e.g. \`{exemptions="s43"}\``, directive, 'directive-attribute-unknown')
        }
      }
      const written_exemptions = attributes.exemptions
      let exemptions = written_exemptions == null ? [] : splitExemptions(written_exemptions)
      for (const exemption of exemptions) {
        if (!parseExemption(exemption)) {
          fail(file, `Unknown exemption \`${exemption}\`: expected a section of the Freedom of Information Act 2000 from \`s21\` to \`s44\`, optionally with a subsection, e.g. \`s43\` or \`s31(1)(a)\``, directive, 'exemption-unknown')
        }
      }
      if (exemptions.length === 0) exemptions = file.data.defaultExemptions ?? []
      if (exemptions.length === 0) {
        fail(file, `Sensitive material with no ground: give \`{exemptions="s43"}\` on the directive, or \`part2.exemptions\` in the frontmatter`, directive, 'redaction-no-ground')
      }
      directive.data = {...directive.data, exemptions} as never

      if (directive.type !== 'containerDirective' && directive.children.length === 0) {
        // Why: `:official-sensitive [Jane Smith]` (a space before the label)
        // parses as an empty directive followed by public text.
        fail(file, `\`${marker}${SENSITIVE}\` has no label, so it withholds nothing: write the withheld text in brackets right after the name, e.g. \`${marker}${SENSITIVE}[Jane Smith]{exemptions="s40"}\``, directive, 'directive-empty')
      }

      if (directive.type === 'containerDirective' && end !== undefined) {
        // Why: an unclosed block runs to the end of the file; the author meant
        // something else, so stop rather than guess where the block ends.
        const closing = /(^|\n)[ \t>]*:{3,}[ \t]*$/.test(source.slice(0, end))
        if (!closing) {
          fail(file, `\`:::${SENSITIVE}\` is not closed: end the block with a line \`:::\``, directive.position?.start, 'directive-unclosed')
        }
      }
      return undefined
    })
  }
}

/** Whether a directive name looks like a misspelling of the sensitive one. */
function similar(name: string): boolean {
  const a = name.toLowerCase()
  if (a.includes('sensitive') || a.includes('official') || a.includes('ficial')) return true
  return distance(a, SENSITIVE) <= 4
}

function distance(a: string, b: string): number {
  const row = Array.from({length: b.length + 1}, (_, i) => i)
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0]
    row[0] = i
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1))
      previous = current
    }
  }
  return row[b.length]
}

export type {Parent}

function safeDecode(url: string): string {
  try {
    return decodeURIComponent(url)
  } catch {
    return url
  }
}

function decodeEntities(text: string): string {
  return text
    .replace(/&#x([0-9a-f]{1,6});?/gi, (_, hex: string) => codePoint(Number.parseInt(hex, 16)))
    .replace(/&#(\d{1,7});?/g, (_, dec: string) => codePoint(Number(dec)))
    .replace(/&colon;?/gi, ':')
    .replace(/&hyphen;?|&dash;?|&minus;?/gi, '-')
}

function codePoint(value: number): string {
  return value > 0 && value <= 0x10ffff ? String.fromCodePoint(value) : '\ufffd'
}

/**
 * The text of a block as parsed, with entities decoded; a directive that is
 * not the sensitive one reads as its name (`:offi` + `cial-sensitive[...]`).
 */
function parsedText(node: Node): string {
  let text = ''
  visit(node, (inner) => {
    if ((inner.type === 'textDirective' || inner.type === 'leafDirective' || inner.type === 'containerDirective') && (inner as Directive).name !== SENSITIVE) {
      text += ':' + (inner as Directive).name
      return undefined
    }
    if ((inner.type === 'textDirective' || inner.type === 'leafDirective' || inner.type === 'containerDirective')) return SKIP
    if ('value' in inner && typeof inner.value === 'string') text += inner.value
    if (inner.type === 'image' || inner.type === 'imageReference') text += ' ' + ((inner as {alt?: string}).alt ?? '') + ' '
    if ('title' in inner && typeof inner.title === 'string') text += ' ' + inner.title + ' '
    return undefined
  })
  return text
}

/** Whether `text` has a `]` with no `[` before it (backslash escapes ignored). */
function unbalancedClose(text: string): boolean {
  let depth = 0
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (c === '\\') i++
    else if (c === '[') depth++
    else if (c === ']' && --depth < 0) return true
  }
  return false
}
