/**
 * Raw HTML is sanitized once, on the parsed HTML tree, and the page and the
 * public Markdown are both made from that result: allowed inline HTML keeps
 * its text (`H<sub>2</sub>O`, not `H<sub></sub>2O`); scripts, event handlers
 * and `javascript:` URLs go; nodes the pipeline made (withheld markers and
 * notices, footnote references) come through raw HTML untouched.
 */
import {describe, expect, it} from 'vitest'
import {processPaper} from '../../src/publish/process.js'
import type {PaperOutcome} from '../../src/publish/outcome.js'

const NOW = new Date('2026-01-01T00:00:00Z')
const FM = '---\nid: PCD 1\ntitle: Raw HTML\ndate: "2020-01-01"\nclassification: OFFICIAL\n---\n\n'

function publish(body: string): {markdown: string; html: string; outcome: PaperOutcome} {
  const outcome = processPaper({path: 'x.md', relativePath: 'x.md', bytes: Buffer.from(FM + body)}, NOW)
  expect(outcome.messages.filter((m) => m.fatal), body).toEqual([])
  expect(outcome.status).toBe('public')
  return {markdown: outcome.public!.markdown, html: outcome.public!.html, outcome}
}

describe('allowed inline HTML keeps its text, in the page and the public Markdown', () => {
  it('the issue example: H<sub>2</sub>O and <kbd>Ctrl</kbd>', () => {
    const {markdown, html} = publish('Water is H<sub>2</sub>O. Press <kbd>Ctrl</kbd>.\n')
    expect(html).toBe('<p>Water is H<sub>2</sub>O. Press <kbd>Ctrl</kbd>.</p>')
    expect(markdown).toBe('Water is H<sub>2</sub>O. Press <kbd>Ctrl</kbd>.\n')
  })

  const allowed: Array<[string, string]> = [
    ['sup', 'E = mc<sup>2</sup>'],
    ['abbr with title', '<abbr title="Mayor\'s Office for Policing and Crime">MOPAC</abbr>'],
    ['ins and del', '<del>£2.1m</del> <ins>£2.4m</ins>'],
    ['b, i, strong, em', '<b>b</b> <i>i</i> <strong>s</strong> <em>e</em>'],
    ['q, samp, var, s', '<q>quoted</q> <samp>out</samp> <var>x</var> <s>old</s>'],
    ['br', 'line<br>break'],
    ['a with a safe href', '<a href="https://example.org/x">link</a>'],
    ['span', '<span>plain span</span>']
  ]
  for (const [what, fragment] of allowed) {
    it(what, () => {
      const {markdown, html} = publish(`Text ${fragment} end.\n`)
      expect(html).toBe(`<p>Text ${fragment.replace(/'/g, '&#x27;')} end.</p>`)
      expect(markdown).toBe(`Text ${fragment.replace(/'/g, '&#x27;')} end.\n`)
    })
  }

  it('in headings, table cells, list items, quotes, footnotes and emphasis', () => {
    const {markdown, html} = publish('## CO<sub>2</sub> levels\n\n| a |\n| --- |\n| x<sup>3</sup> |\n\n- press <kbd>Esc</kbd>\n\n> <ins>new</ins>\n\nNote.[^1]\n\n*H<sub>2</sub>O*\n\n[^1]: See <abbr title="t">T</abbr>.\n')
    for (const piece of ['<h2>CO<sub>2</sub> levels</h2>', '<td>x<sup>3</sup></td>', '<li>press <kbd>Esc</kbd></li>', '<ins>new</ins>', '<em>H<sub>2</sub>O</em>', 'See <abbr title="t">T</abbr>.']) expect(html).toContain(piece)
    for (const piece of ['## CO<sub>2</sub> levels', 'x<sup>3</sup>', '- press <kbd>Esc</kbd>', '> <ins>new</ins>', '_H<sub>2</sub>O_', '[^1]: See <abbr title="t">T</abbr>.']) expect(markdown).toContain(piece)
  })

  it('Markdown inside inline HTML', () => {
    const {markdown, html} = publish('A <sub>*2*</sub> and <kbd>**Ctrl**</kbd> and <span>[link](https://example.org/)</span>.\n')
    expect(html).toBe('<p>A <sub><em>2</em></sub> and <kbd><strong>Ctrl</strong></kbd> and <span><a href="https://example.org/">link</a></span>.</p>')
    expect(markdown).toBe('A <sub>_2_</sub> and <kbd>**Ctrl**</kbd> and <span>[link](https://example.org/)</span>.\n')
  })

  it('HTML around Markdown blocks keeps its elements around them', () => {
    const {markdown, html} = publish('<div>\n\n*Inside* the div.\n\n- a list\n\n</div>\n\n<details><summary>More</summary>\n\nHidden by default.\n\n</details>\n')
    expect(html).toBe('<div>\n<p><em>Inside</em> the div.</p>\n<ul>\n<li>a list</li>\n</ul>\n</div><details><summary>More</summary>\n<p>Hidden by default.</p>\n</details>')
    expect(markdown).toBe('<div>\n\n_Inside_ the div.\n\n- a list\n\n</div><details><summary>More</summary>\n\nHidden by default.\n\n</details>\n')
  })

  it('an unclosed element ends with its paragraph, not the page', () => {
    const {html} = publish('Some <b>bold\n\nNext paragraph.\n')
    expect(html).toBe('<p>Some <b>bold</b></p>\n<p>Next paragraph.</p>')
  })

  const roundTrips: Record<string, string> = {
    inline: 'Water is H<sub>2</sub>O. <abbr title="x">X</abbr> <span onclick="alert(1)">s</span> <script>alert(1)</script>\n\n| <kbd>k</kbd> |\n| --- |\n| <del>d</del> |\n',
    'around blocks': '<div>\n\n*md* <b>b</b>\n\n</div>\n\n<details><summary>S</summary>\n\n- item\n\n</details>\n',
    // Text left by an element the sanitizer removed reads as text, not Markdown.
    'text that looks like Markdown': '<div><marquee>[x](javascript:alert(1)) *a* a_b</marquee></div>\n\n<textarea>\n# not a heading\n\n![i](https://example.org/x.png)\n</textarea>\n\n<pre>\na\n\n[l](javascript:x)\n</pre>\n'
  }
  for (const [what, body] of Object.entries(roundTrips)) {
    it(`the public Markdown, read again, gives the same page: ${what}`, () => {
      const first = publish(body)
      const second = publish(first.markdown)
      expect(second.html).toBe(first.html)
      expect(second.markdown).toBe(first.markdown)
      expect(first.html).not.toMatch(/<a [^>]*href="javascript|<img|<h1/)
    })
  }
})

describe('what the sanitizer removes, it removes from both outputs', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['event handler', '<span onclick="zkhandler1()">text</span>', /zkhandler1|onclick/i],
    ['script', '<script>zkscript1()</script>', /zkscript1|<script/i],
    ['javascript: href', '<a href="javascript:zkjs1()">text</a>', /zkjs1|javascript:/i],
    ['entity-encoded javascript: href', '<a href="&#106;avascript:zkjs2()">text</a>', /zkjs2|javascript:/i],
    ['onerror on an image', '<img src="x.png" onerror="zkimg1()" alt="a">', /zkimg1|onerror/i],
    ['iframe', '<iframe src="https://zkframe1.example/"></iframe>', /zkframe1|<iframe/i],
    ['style attribute', '<span style="background:url(https://zkstyle1.example/)">s</span>', /zkstyle1|style=/i],
    ['svg with onload', '<svg onload="zksvg1()"><circle r="1"/></svg>', /zksvg1|onload|<svg/i],
    ['form', '<form action="https://zkform1.example/"><input name="x"></form>', /zkform1|<form/i],
    ['fake withheld notice', '<div class="mopac-withheld">fake</div>', /class="mopac-withheld"/],
    ['object', '<object data="https://zkobject1.example/"></object>', /zkobject1|<object/i],
    ['meta refresh', '<meta http-equiv="refresh" content="0;url=https://zkmeta1.example/">', /zkmeta1|<meta/i],
    ['base', '<base href="https://zkbase1.example/">', /zkbase1|<base/i]
  ]
  for (const [what, fragment, forbidden] of cases) {
    it(`${what}, inline and as a block`, () => {
      for (const body of [`Text ${fragment} end.\n`, `${fragment}\n\nAfter.\n`, `<div>\n\n${fragment}\n\n</div>\n`]) {
        const {markdown, html} = publish(body)
        expect(html, body).not.toMatch(forbidden)
        expect(markdown, body).not.toMatch(forbidden)
      }
    })
  }

  it("an unknown element's text stays, as text", () => {
    const {markdown, html} = publish('A <marquee>moving</marquee> and <font color="red">red</font> word.\n')
    expect(html).toBe('<p>A moving and red word.</p>')
    expect(markdown).toBe('A moving and red word.\n')
  })
})

describe('what the pipeline made comes through raw HTML untouched', () => {
  it('a withheld span inside inline HTML', () => {
    const {markdown, html} = publish('Name: <sub>:official-sensitive[zksecretname]{exemptions="s40"}</sub>.\n')
    expect(html).toBe('<p>Name: <sub><span class="mopac-withheld-inline" data-pagefind-ignore="all">[withheld<span class="govuk-visually-hidden"> under section 40 of the Freedom of Information Act 2000 (personal information)</span>]</span></sub>.</p>')
    expect(markdown).toBe('Name: <sub>_\\[withheld under section 40 of the Freedom of Information Act 2000 (personal information)]_</sub>.\n')
    expect(markdown + html).not.toContain('zksecretname')
  })

  it('a withheld block inside an HTML block', () => {
    const {markdown, html} = publish('<div>\n\n:::official-sensitive{exemptions="s43"}\nzksecretblock\n:::\n\n</div>\n')
    expect(html).toContain('<div>\n<div class="mopac-withheld" data-pagefind-ignore="all">')
    expect(markdown).toContain('<div>\n\n> **Material withheld** (1 paragraph). Exempt under section 43')
    expect(markdown + html).not.toContain('zksecretblock')
  })

  it('a footnote reference inside <sup>', () => {
    const {markdown, html} = publish('Claim<sup>[^a]</sup>.\n\n[^a]: Source.\n')
    expect(html).toContain('<sup><sup><a href="#user-content-fn-a" id="user-content-fnref-a"')
    expect(markdown).toContain('Claim<sup>[^a]</sup>.')
  })

  it('a raw HTML piece cannot forge a notice or a placeholder', () => {
    const {html} = publish('A \uE000 0 \uE001 <span class="mopac-withheld-inline" data-pagefind-ignore="all">[withheld: s40]</span> b.\n')
    expect(html).toContain('<span>[withheld: s40]</span>')
    expect(html).not.toContain('mopac-withheld-inline')
  })
})

describe('HTML headings and the marking check', () => {
  it('a whole HTML heading with a marking is refused', () => {
    const outcome = processPaper({path: 'x.md', relativePath: 'x.md', bytes: Buffer.from(FM + '<h2>Part 2 - OFFICIAL-SENSITIVE</h2>\n\nzkafterheading\n')}, NOW)
    expect(outcome.status).toBe('invalid')
    expect(outcome.messages.filter((m) => m.fatal).map((m) => m.ruleId)).toContain('heading-marking')
  })

  it('an HTML heading around Markdown keeps only its content', () => {
    const {html} = publish('<h2>\n\nSection *one*\n\n</h2>\n\nText a <h3>b</h3> c.\n')
    expect(html).not.toMatch(/<h[23]/)
    expect(html).toContain('<p>Section <em>one</em></p>')
    expect(html).toContain('<p>Text a b c.</p>')
  })
})
