/**
 * SVG attachments: parsed as XML with namespaces resolved, checked against an
 * allowlist of elements and attributes, and re-serialised from the parsed
 * tree. A corpus of known SVG/XHTML XSS payloads: each is refused (with its
 * rule id) or neutralised (and then the bytes the site would publish hold no
 * script-capable construct).
 */
import fc from 'fast-check'
import {SaxesParser, type SaxesTagNS} from 'saxes'
import {describe, expect, it} from 'vitest'
import {admitAttachment, sanitizeSvg} from '../../src/publish/attachments.js'
import {buildWith, published, SVG_CHART} from './helpers.js'

const SVG = 'http://www.w3.org/2000/svg'
const open = `<svg xmlns="${SVG}" xmlns:xlink="http://www.w3.org/1999/xlink">`
const wrap = (inner: string) => `${open}${inner}</svg>`
/** What a published SVG may hold: drawing, text, paint servers, filters (no script, embedding, images or animation). */
const ALLOWED = new Set('svg g defs symbol use switch title desc a style view path rect circle ellipse line polyline polygon text tspan textPath linearGradient radialGradient stop pattern clipPath mask marker filter feBlend feColorMatrix feComponentTransfer feComposite feConvolveMatrix feDiffuseLighting feDisplacementMap feDistantLight feDropShadow feFlood feFuncA feFuncB feFuncG feFuncR feGaussianBlur feMerge feMergeNode feMorphology feOffset fePointLight feSpecularLighting feSpotLight feTile feTurbulence'.split(' '))

/**
 * An independent look at published SVG bytes: every construct that can run
 * script, load something or change how the file is parsed. Empty when safe.
 */
function scriptCapable(svg: string): string[] {
  const found: string[] = []
  // Text-level: nothing of these may appear at all, in any case.
  // (Words such as "script" may stand in escaped text or a label: the tree check below judges elements and attributes.)
  for (const pattern of [/<!DOCTYPE/i, /<!ENTITY/i, /<\?/, /<!--/, /<!\[CDATA\[/i, /<[\w.-]*:?script/i, /<[\w.-]*:?foreignObject/i, /<[\w.-]*:?(set|animate\w*|image|feImage|iframe|handler|listener)\b/i, /@import/i, /xml:base/i]) {
    if (pattern.test(svg)) found.push(String(pattern))
  }
  // Tree-level: parse with namespaces resolved.
  const parser = new SaxesParser({xmlns: true})
  parser.on('opentag', (tag: SaxesTagNS) => {
    if (tag.uri !== SVG) found.push(`element in ${tag.uri || 'no namespace'}: ${tag.name}`)
    if (!ALLOWED.has(tag.local)) found.push(`element ${tag.name}`)
    for (const a of Object.values(tag.attributes)) {
      if (a.uri === 'http://www.w3.org/2000/xmlns/' || a.name === 'xmlns') continue
      if (/^on/i.test(a.local)) found.push(`handler ${a.name}`)
      if (!['', 'http://www.w3.org/1999/xlink', 'http://www.w3.org/XML/1998/namespace'].includes(a.uri)) found.push(`attribute in ${a.uri}: ${a.name}`)
      if (a.uri === 'http://www.w3.org/XML/1998/namespace' && a.local === 'base') found.push('xml:base')
      if (/^(attributeName|to|from|by|begin)$/.test(a.local) && a.uri === '') found.push(`animation attribute ${a.name}`)
      if (a.local === 'href' && !a.value.startsWith('#')) found.push(`href ${a.value}`)
      if (/(javascript|vbscript):/i.test(a.value.replace(/[\0-\x20]/g, ''))) found.push(`script address in ${a.name}`)
      for (const m of a.value.matchAll(/url\(\s*['"]?([^'")]*)/gi)) if (!m[1].trim().startsWith('#')) found.push(`url ${m[1]}`)
    }
  })
  parser.on('doctype', () => found.push('doctype'))
  parser.on('processinginstruction', (pi) => found.push(`pi ${pi.target}`))
  parser.write(svg).close()
  return found
}

type Expect = {refuse: 'asset-unsafe' | 'asset-content'} | {neutralise: true}
const refuse = (ruleId: 'asset-unsafe' | 'asset-content' = 'asset-unsafe'): Expect => ({refuse: ruleId})
const neutralise: Expect = {neutralise: true}

const corpus: Record<string, [string | Buffer, Expect]> = {
  'script element': [wrap('<script>alert(1)</script>'), refuse()],
  'script, namespaced: <x:script xmlns:x=svg>': [wrap('<x:script xmlns:x="http://www.w3.org/2000/svg">alert(1)</x:script>'), refuse()],
  'script, default namespace redeclared on it': [wrap('<g><script xmlns="http://www.w3.org/2000/svg">alert(1)</script></g>'), refuse()],
  'script with an href': [wrap('<script href="data:text/javascript,alert(1)"/>'), refuse()],
  'XHTML script inside the SVG': [wrap('<h:script xmlns:h="http://www.w3.org/1999/xhtml">alert(1)</h:script>'), refuse()],
  'XHTML iframe inside the SVG': [wrap('<h:iframe xmlns:h="http://www.w3.org/1999/xhtml" src="javascript:alert(1)"/>'), refuse()],
  'script hidden in <metadata>': [wrap('<metadata><x:script xmlns:x="http://www.w3.org/2000/svg">alert(1)</x:script></metadata>'), refuse()],
  'script inside an editor-namespace element': [wrap('<ed:layer xmlns:ed="http://example.org/editor"><script>alert(1)</script></ed:layer>'), refuse()],
  'XSLT element': [wrap('<xsl:template xmlns:xsl="http://www.w3.org/1999/XSL/Transform"/>'), refuse()],
  'onload on the root': [`<svg xmlns="${SVG}" onload="alert(1)"/>`, refuse()],
  'onmouseover on a shape': [wrap('<rect width="10" height="10" onmouseover="alert(1)"/>'), refuse()],
  'ONCLICK in upper case': [wrap('<rect ONCLICK="alert(1)"/>'), refuse()],
  'handler attribute in another namespace': [wrap('<rect xmlns:e="http://example.org/e" e:onclick="alert(1)"/>'), refuse()],
  'handler on a dropped editor element': [wrap('<ed:x xmlns:ed="http://example.org/editor" onload="alert(1)"/>'), refuse()],
  'javascript: link': [wrap('<a href="javascript:alert(1)"><text>x</text></a>'), refuse()],
  'javascript: entity-encoded (decimal)': [wrap('<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)"><text>x</text></a>'), refuse()],
  'javascript: entity-encoded (hex, mixed case)': [wrap('<a href="&#x4A;aVaScRiPt&#x3A;alert(1)"><text>x</text></a>'), refuse()],
  'javascript: with a tab and newline inside': [wrap('<a href="java&#9;scr&#10;ipt:alert(1)"><text>x</text></a>'), refuse()],
  'javascript: after leading spaces and controls': [wrap('<a href=" &#1;javascript:alert(1)"><text>x</text></a>'), refuse('asset-content')],
  'javascript: after leading spaces': [wrap('<a href="  javascript:alert(1)"><text>x</text></a>'), refuse()],
  'javascript: in xlink:href': [wrap('<a xlink:href="javascript:alert(1)"><text>x</text></a>'), refuse()],
  'javascript: in xlink:href under another prefix': [wrap('<a xmlns:q="http://www.w3.org/1999/xlink" q:href="javascript:alert(1)"><text>x</text></a>'), refuse()],
  'javascript: via an HTML-only entity (&colon;)': [wrap('<a href="javascript&colon;alert(1)"><text>x</text></a>'), refuse('asset-content')],
  'javascript: via a DOCTYPE entity': [`<!DOCTYPE svg [<!ENTITY j "javascript:alert(1)">]>${wrap('<a href="&j;"><text>x</text></a>')}`, refuse()],
  'entity expansion bomb': [`<!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">]>${wrap('<text>&c;</text>')}`, refuse()],
  'external entity': [`<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]>${wrap('<text>&x;</text>')}`, refuse()],
  'undeclared entity': [wrap('<text>&nbsp;</text>'), refuse('asset-content')],
  '<a><animate attributeName="href" values="javascript:...">': [wrap('<a><animate attributeName="href" values="javascript:alert(1)"/><text>x</text></a>'), refuse()],
  'animate of xlink:href': [wrap('<a><animate attributeName="xlink:href" begin="0s" values="javascript:alert(1)" fill="freeze"/><text>x</text></a>'), refuse()],
  '<set attributeName="onmouseover">': [wrap('<rect width="9" height="9"><set attributeName="onmouseover" to="alert(1)"/></rect>'), refuse()],
  '<set attributeName="href" to="javascript:...">': [wrap('<a><set attributeName="href" to="javascript:alert(1)"/><text>x</text></a>'), refuse()],
  'namespaced animate': [wrap('<a><x:animate xmlns:x="http://www.w3.org/2000/svg" attributeName="href" values="javascript:alert(1)"/></a>'), refuse()],
  'animateTransform (animation)': [wrap('<rect><animateTransform attributeName="transform" type="rotate" to="90"/></rect>'), refuse()],
  'nested <use href="data:...">': [wrap('<use href="data:image/svg+xml;base64,PHN2ZyBpZD0ieCIgeG1sbnM9Imh0dHA6Ly93d3cudzMub3JnLzIwMDAvc3ZnIj48c2NyaXB0PmFsZXJ0KDEpPC9zY3JpcHQ+PC9zdmc+#x"/>'), refuse()],
  'use xlink:href to data:': [wrap('<g><use xlink:href="data:image/svg+xml,&lt;svg id=&quot;x&quot; xmlns=&quot;http://www.w3.org/2000/svg&quot;&gt;&lt;a href=&quot;javascript:alert(1)&quot;&gt;&lt;/a&gt;&lt;/svg&gt;#x"/></g>'), refuse()],
  'use of another file': [wrap('<use href="other.svg#x"/>'), refuse()],
  'use of a remote file': [wrap('<use href="https://evil.example/x.svg#x"/>'), refuse()],
  'foreignObject with an HTML page': [wrap('<foreignObject width="100" height="100"><body xmlns="http://www.w3.org/1999/xhtml"><script>alert(1)</script></body></foreignObject>'), refuse()],
  'foreignObject with an iframe': [wrap('<foreignObject><iframe xmlns="http://www.w3.org/1999/xhtml" src="javascript:alert(1)"/></foreignObject>'), refuse()],
  'xml-stylesheet instruction (XSLT)': [`<?xml version="1.0"?><?xml-stylesheet type="text/xsl" href="data:text/xml,x"?>${wrap('')}`, refuse()],
  'xml-stylesheet instruction (CSS)': [`<?xml-stylesheet type="text/css" href="https://evil.example/x.css"?>${wrap('')}`, refuse()],
  'image from elsewhere': [wrap('<image href="https://evil.example/track.png" width="1" height="1"/>'), refuse()],
  'image as data: URL': [wrap('<image href="data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=" width="1" height="1"/>'), refuse()],
  'feImage with javascript:': [wrap('<filter id="f"><feImage href="javascript:alert(1)"/></filter>'), refuse()],
  'handler element (SVG Tiny)': [wrap('<handler type="application/ecmascript">alert(1)</handler>'), refuse()],
  'unknown SVG element': [wrap('<blink>x</blink>'), refuse()],
  'style @import': [wrap('<style>@import url(https://evil.example/x.css);</style>'), refuse()],
  'style url() to elsewhere': [wrap('<style>rect { fill: url(https://evil.example/x#p) }</style><rect/>'), refuse()],
  'style with a CSS escape': [wrap('<style>rect { background: \\75 rl(https://evil.example) }</style>'), refuse()],
  'style attribute url() to elsewhere': [wrap('<rect style="fill: url( \'https://evil.example/x\' )"/>'), refuse()],
  'presentation attribute url() to elsewhere': [wrap('<rect fill="url(https://evil.example/p.svg#p)"/>'), refuse()],
  'style with markup': [wrap('<style>&lt;/style&gt;&lt;script&gt;alert(1)&lt;/script&gt;</style>'), refuse()],
  'XHTML document named .svg': ['<?xml version="1.0"?><html xmlns="http://www.w3.org/1999/xhtml"><body><script>alert(1)</script></body></html>', refuse()],
  'root <svg> in the XHTML namespace': ['<svg xmlns="http://www.w3.org/1999/xhtml"><script>alert(1)</script></svg>', refuse()],
  'root without a namespace': ['<svg><script>alert(1)</script></svg>', refuse('asset-content')],
  'HTML (not XML) with an svg': ['<svg onload=alert(1)>', refuse('asset-content')],
  'UTF-16 SVG with a script': [Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(wrap('<script>alert(1)</script>'), 'utf16le')]), refuse('asset-content')],
  'encoding declared other than UTF-8': [`<?xml version="1.0" encoding="UTF-7"?>${wrap('<text>+ADw-script+AD4-</text>')}`, refuse('asset-content')],
  'nesting a thousand deep': [wrap('<g>'.repeat(1000) + '</g>'.repeat(1000)), refuse()],
  // Neutralised: kept as harmless text, or dropped because nothing renders them.
  'script as CDATA text': [wrap('<text><![CDATA[<script>alert(1)</script>]]></text>'), neutralise],
  'script as escaped text': [wrap('<text>&lt;script&gt;alert(1)&lt;/script&gt;</text>'), neutralise],
  'script in a comment': [wrap('<!-- <script>alert(1)</script> --><rect width="1" height="1"/>'), neutralise],
  'markup in an aria-label': [wrap('<rect aria-label="&lt;img src=x onerror=alert(1)&gt;" width="1" height="1"/>'), neutralise],
  'xml:base pointing at javascript:': [wrap('<a xml:base="javascript:alert(1)//" href="#r"><rect id="r" width="1" height="1"/></a>'), neutralise],
  'DOCTYPE without an internal subset': [`<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">${wrap('<rect width="1" height="1"/>')}`, neutralise],
  'other processing instruction': [`<?xpacket begin="" id="x"?>${wrap('<rect width="1" height="1"/>')}`, neutralise],
  'editor-namespace elements and attributes': [wrap('<ed:view xmlns:ed="http://example.org/editor" ed:data="javascript:alert(1)"><ed:x/></ed:view><rect xmlns:ed="http://example.org/editor" ed:label="layer 1" data-name="bar" width="1" height="1"/>'), neutralise],
  'unknown attribute carrying a payload': [wrap('<rect formaction="javascript:alert(1)" src="data:text/html,x" width="1" height="1"/>'), neutralise]
}

describe('SVG/XHTML XSS corpus: each refused or neutralised', () => {
  for (const [what, [payload, expected]] of Object.entries(corpus)) {
    it(what, async () => {
      const verdict = await admitAttachment('chart.svg', typeof payload === 'string' ? Buffer.from(payload) : payload)
      if ('refuse' in expected) {
        expect(verdict).toMatchObject({ok: false, ruleId: expected.refuse})
      } else {
        expect(verdict.ok).toBe(true)
        const bytes = Buffer.from((verdict as {bytes: Uint8Array}).bytes).toString('utf8')
        expect(scriptCapable(bytes)).toEqual([])
        expect(bytes).not.toMatch(/<script|javascript|ed:|data-name|formaction|xml:base|<!--|<\?|<!DOCTYPE/i)
      }
    })
  }

  it('the corpus through a real build: refused ones at their line, neutralised ones published sanitized', async () => {
    const files = Object.fromEntries(Object.entries(corpus).map(([, [payload]], i) => [`svg/p${i}.svg`, payload]))
    const expectations = Object.values(corpus).map(([, e]) => e)
    const {messages, names} = await buildWith(files)
    const refusedLines = expectations.flatMap((e, i) => ('refuse' in e ? [`${7 + 2 * i} ${e.refuse}`] : []))
    expect(messages.map((m) => `${m.line} ${m.ruleId}`)).toEqual(refusedLines)
    expect(names).toHaveLength(expectations.length)
    // Only the neutralised ones: a paper of those is published, each file sanitized.
    const safe = Object.fromEntries(Object.entries(files).filter((_, i) => 'neutralise' in expectations[i]))
    const built = await buildWith(safe)
    expect(built.messages).toEqual([])
    expect(built.result.ok).toBe(true)
    for (const name of Object.keys(safe)) {
      const bytes = Buffer.from(published(built.result, name)!).toString('utf8')
      expect(scriptCapable(bytes), name).toEqual([])
      expect(bytes).not.toEqual(String(safe[name]))
    }
  })
})

describe('the sanitized SVG is the parsed tree, written anew', () => {
  it('is a fixed point, and keeps every allowed construct of a chart', () => {
    const once = sanitizeSvg(SVG_CHART)
    expect(sanitizeSvg(once)).toBe(once)
    expect(scriptCapable(once)).toEqual([])
    expect(once.match(/<[a-zA-Z]+/g)).toEqual(['<svg', '<title', '<defs', '<linearGradient', '<stop', '<stop', '<style', '<g', '<rect', '<rect', '<use', '<text'])
  })

  // A generator of SVG documents: allowed drawing mixed with hostile pieces.
  const name = fc.constantFrom('rect', 'g', 'a', 'text', 'use', 'circle', 'path', 'style', 'title', 'script', 'set', 'animate', 'foreignObject', 'image', 'metadata', 'x:script', 'h:script', 'ed:layer', 'x:set', 'X:rect')
  const attrName = fc.constantFrom('width', 'fill', 'style', 'href', 'xlink:href', 'q:href', 'onload', 'onclick', 'ed:onload', 'attributeName', 'values', 'to', 'id', 'xml:base', 'aria-label', 'class', 'transform')
  const value = fc.oneof(
    fc.constantFrom('10', '#a', ' #a ', 'url(#a)', 'url(https://e.example/x)', 'fill:red', 'fill:url(#g)', 'fill:url(data:x)', '@import "x"', 'javascript:alert(1)', '&#106;avascript:alert(1)', 'java&#9;script:alert(1)', 'data:text/html,x', 'href', 'onmouseover', '&lt;script&gt;', 'x" onload="alert(1)', '&quot;&gt;&lt;script&gt;'),
    fc.string({maxLength: 8}).map((s) => s.replace(/[<&"]/g, ''))
  )
  type Node = {name: string; attrs: [string, string][]; children: (Node | string)[]}
  const tree: fc.Arbitrary<Node> = fc.letrec<{node: Node}>((tie) => ({
    node: fc.record({
      name,
      attrs: fc.uniqueArray(fc.tuple(attrName, value), {maxLength: 3, selector: (a) => a[0]}),
      children: fc.array(fc.oneof({maxDepth: 4, depthIdentifier: 'svg'}, fc.constantFrom('text', '&lt;b&gt;', '<![CDATA[<script>x</script>]]>', '<!-- c -->', '&amp;'), tie('node')), {maxLength: 3, depthIdentifier: 'svg'})
    })
  })).node
  const write = (n: Node): string => `<${n.name}${n.attrs.map(([k, v]) => ` ${k}="${v}"`).join('')}>${n.children.map((c) => (typeof c === 'string' ? c : write(c))).join('')}</${n.name}>`
  const NS = ` xmlns:xlink="http://www.w3.org/1999/xlink" xmlns:q="http://www.w3.org/1999/xlink" xmlns:x="${SVG}" xmlns:X="${SVG}" xmlns:h="http://www.w3.org/1999/xhtml" xmlns:ed="http://example.org/editor"`

  it('any generated SVG is refused, or published with nothing script-capable, as a fixed point (fast-check)', async () => {
    let kept = 0
    await fc.assert(
      fc.asyncProperty(fc.array(tree, {maxLength: 4}), async (children) => {
        const svg = `<svg xmlns="${SVG}"${NS}>${children.map(write).join('')}</svg>`
        const verdict = await admitAttachment('g.svg', Buffer.from(svg))
        if (!verdict.ok) {
          expect(['asset-unsafe', 'asset-content']).toContain(verdict.ruleId)
          return
        }
        kept++
        const out = Buffer.from(verdict.bytes).toString('utf8')
        expect(scriptCapable(out), `${svg}\n=> ${out}`).toEqual([])
        expect(sanitizeSvg(out)).toBe(out)
      }),
      {numRuns: 400}
    )
    // The generator must also make documents that pass, or the property says little.
    expect(kept).toBeGreaterThan(20)
  })

  it('a hostile piece anywhere in a valid chart makes it refused (fast-check)', async () => {
    const hostile = ['<script>alert(1)</script>', '<x:script xmlns:x="http://www.w3.org/2000/svg">alert(1)</x:script>', '<a><animate attributeName="href" values="javascript:alert(1)"/></a>', '<set attributeName="onmouseover" to="alert(1)"/>', '<use href="data:image/svg+xml,x#x"/>', '<foreignObject><p xmlns="http://www.w3.org/1999/xhtml">x</p></foreignObject>', '<rect onload="alert(1)"/>', '<a xlink:href="&#106;avascript:alert(1)"/>']
    const slots = [...SVG_CHART.matchAll(/<\/(g|defs|svg|linearGradient)>/g)].map((m) => m.index!)
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...slots), fc.constantFrom(...hostile), async (at, piece) => {
        const svg = SVG_CHART.slice(0, at) + piece + SVG_CHART.slice(at)
        expect(await admitAttachment('chart.svg', Buffer.from(svg))).toMatchObject({ok: false, ruleId: 'asset-unsafe'})
      }),
      {numRuns: 60}
    )
  })
})
