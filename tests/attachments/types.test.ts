/**
 * Attachments are an allowlist decided by content: PDF, PNG, JPEG, GIF, WebP,
 * CSV and (sanitized) SVG, with extension and content agreeing. Everything
 * else is refused with its rule id, at the link's position, and nothing of
 * the paper is published.
 */
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {checkAssets as checkAssetsFromBuild} from '../../src/build/build.js'
import {admitAttachment, checkAssets} from '../../src/publish/attachments.js'
import {buildWith, CSV, GIF, JPEG, lineOf, pdf, png, pngText, published, SVG_CHART, WEBP} from './helpers.js'

const XHTML = '<?xml version="1.0" encoding="UTF-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml"><body><script>alert(document.domain)</script></body></html>\n'
const HTML = '<!DOCTYPE html><html><body><img src=x onerror=alert(1)></body></html>\n'

describe('valid attachments of every allowed type are copied', () => {
  it('PNG, JPEG, GIF, WebP, PDF and CSV byte for byte; SVG re-serialised', async () => {
    const files: Record<string, Buffer | string> = {
      'chart.png': png(),
      'photo.jpg': JPEG,
      'photo2.JPEG': JPEG,
      'anim.gif': GIF,
      'pic.webp': WEBP,
      'annex.pdf': pdf(),
      'data.csv': CSV,
      'chart.svg': SVG_CHART,
      'CAPS.PNG': png(2, 2),
      'tagged.png': png(3, 3, [pngText('Comment', 'made by a chart tool')])
    }
    const {result, messages} = await buildWith(files)
    expect(messages).toEqual([])
    expect(result.ok).toBe(true)
    for (const [name, bytes] of Object.entries(files)) {
      if (name.endsWith('.svg')) continue
      expect(Buffer.from(published(result, name)!).equals(Buffer.from(bytes)), name).toBe(true)
    }
    const svg = Buffer.from(published(result, 'chart.svg')!).toString('utf8')
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"')).toBe(true)
    // Kept: drawing, text (escaped), gradients, local references, local url(#id); dropped: the comment and the XML declaration.
    for (const kept of ['<linearGradient id="g">', '<use xlink:href="#lbl"', 'fill: url(#g)', "fill:url('#g')", '2019 &amp; 2020 &lt;£m&gt;', 'aria-labelledby="t"']) expect(svg).toContain(kept)
    expect(svg).not.toContain('<!--')
    expect(svg).not.toContain('<?xml')
  })

  it('the preview and the build share one check (the build re-exports it)', () => {
    expect(checkAssetsFromBuild).toBe(checkAssets)
  })
})

/** [file name, content, rule id]: each must be refused with that rule. */
const refused: [string, string | Buffer, string][] = [
  // Web pages and scripts under any name.
  ['page.html', '<p>hi</p>', 'asset-unsafe'],
  ['page.HTM', '<p>hi</p>', 'asset-unsafe'],
  ['page.xhtml', XHTML, 'asset-unsafe'],
  ['page.xht', XHTML, 'asset-unsafe'],
  ['data.xml', XHTML, 'asset-unsafe'],
  ['page.shtml', HTML, 'asset-unsafe'],
  ['chart.svgz', 'x', 'asset-unsafe'],
  ['app.js', 'alert(1)', 'asset-unsafe'],
  ['app.mjs', 'alert(1)', 'asset-unsafe'],
  ['index.php', '<?php echo 1;', 'asset-unsafe'],
  ['chart.png.html', png(), 'asset-unsafe'],
  ['notes.txt', XHTML, 'asset-unsafe'],
  ['noext', HTML, 'asset-unsafe'],
  // An XHTML or HTML page named as an allowed type.
  ['page.pdf', XHTML, 'asset-unsafe'],
  ['page.png', XHTML, 'asset-unsafe'],
  ['page.jpg', XHTML, 'asset-unsafe'],
  ['page.gif', HTML, 'asset-unsafe'],
  ['page.webp', HTML, 'asset-unsafe'],
  ['page.csv', XHTML, 'asset-unsafe'],
  ['bom.csv', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(' \r\n\t' + HTML)]), 'asset-unsafe'],
  ['utf16.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(HTML, 'utf16le')]), 'asset-unsafe'],
  // CSV a browser could sniff as HTML, or read as UTF-7 HTML.
  ['sniff.csv', '<!-- x -->\nYear,Spend\n', 'asset-unsafe'],
  ['cell.csv', 'Year,Note\n2020,<script>alert(1)</script>\n', 'asset-unsafe'],
  ['img.csv', 'Year,Note\n2020,"<img src=x onerror=alert(1)>"\n', 'asset-unsafe'],
  ['utf7.csv', 'Year,Note\n2020,+ADw-script+AD4-alert(1)+ADw-/script+AD4-\n', 'asset-unsafe'],
  // CSV that is not UTF-8 text.
  ['latin1.csv', Buffer.from('Year,Caf\xe9\n', 'latin1'), 'asset-content'],
  ['nul.csv', 'Year\0,Spend\n', 'asset-content'],
  ['pdf.csv', pdf(), 'asset-content'],
  // Content that is not what the name says.
  ['fake.pdf', 'pdf1', 'asset-content'],
  ['fake.png', JPEG, 'asset-content'],
  ['fake.jpg', png(), 'asset-content'],
  ['fake.webp', GIF, 'asset-content'],
  ['fake.gif', WEBP, 'asset-content'],
  ['empty.png', '', 'asset-content'],
  ['truncated.png', png().subarray(0, 40), 'asset-content'],
  // Polyglots: a valid file with a page (or anything) after its end.
  ['poly.png', Buffer.concat([png(), Buffer.from(HTML)]), 'asset-content'],
  ['poly.jpg', Buffer.concat([JPEG, Buffer.from(HTML)]), 'asset-content'],
  ['poly.gif', Buffer.concat([GIF, Buffer.from(HTML)]), 'asset-content'],
  ['poly.webp', Buffer.concat([WEBP, Buffer.from(HTML)]), 'asset-content'],
  ['poly.pdf', Buffer.concat([pdf(), Buffer.from(HTML)]), 'asset-content'],
  ['gifjs.gif', 'GIF89a/*\x01\x00\x01\x00\x00\x00\x00*/=alert(1);//', 'asset-content'],
  // Types a decision paper does not publish: documents go out as PDF, data as CSV.
  ['notes.txt', 'Plain notes\n', 'asset-type'],
  ['paper.docx', Buffer.from('504b0304', 'hex'), 'asset-type'],
  ['sheet.xlsx', Buffer.from('504b0304', 'hex'), 'asset-type'],
  ['doc.odt', Buffer.from('504b0304', 'hex'), 'asset-type'],
  ['bundle.zip', Buffer.from('504b0304', 'hex'), 'asset-type'],
  ['trailing.png.', png(), 'asset-type'],
  ['noext2', png(), 'asset-type']
]

describe('refused attachments: each with its rule id at its link', () => {
  it.each(refused)('%s is refused (%s)', async (name, content, ruleId) => {
    const {result, messages, names} = await buildWith({[name]: content})
    expect(result.ok).toBe(false)
    expect(messages.map((m) => `${m.line}:${m.column} ${m.ruleId}`)).toEqual([`${lineOf(names, name)}:1 ${ruleId}`])
    expect(messages[0].reason).toContain(`\`${name}\``)
    expect(result.outcomes[0].status).toBe('invalid')
    expect(result.publicPapers).toEqual([])
    expect(published(result, name)).toBeUndefined()
  })

  it('all of them at once: one message per file, in order', async () => {
    const files = Object.fromEntries(refused.map(([name, content]) => [`all/${name}`, content]))
    const {messages, names} = await buildWith(files)
    const byName = new Map(refused.map(([name, , ruleId]) => [`all/${name}`, ruleId]))
    expect(messages.map((m) => `${m.line} ${m.ruleId}`)).toEqual(names.map((name) => `${lineOf(names, name)} ${byName.get(name)}`))
  })
})

describe('extension x payload (fast-check)', () => {
  const extensions = ['.pdf', '.png', '.jpg', '.jpeg', '.gif', '.webp', '.csv', '.svg', '.PDF', '.Png', '.html', '.xhtml', '.xht', '.xml', '.htm', '.shtml', '.txt', '.js', '.mjs', '.svgz', '.php', '.docx', '.odt', '.md.png', '']
  const hostile: Record<string, Buffer> = {
    xhtml: Buffer.from(XHTML),
    html: Buffer.from(HTML),
    'svg script': Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
    'namespaced svg script': Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><x:script xmlns:x="http://www.w3.org/2000/svg">alert(1)</x:script></svg>'),
    'xhtml in svg': Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" xmlns:h="http://www.w3.org/1999/xhtml"><h:script>alert(1)</h:script></svg>'),
    'png then page': Buffer.concat([png(), Buffer.from(HTML)]),
    'pdf then page': Buffer.concat([pdf(), Buffer.from(XHTML)]),
    'jpeg then page': Buffer.concat([JPEG, Buffer.from(HTML)]),
    'gif/js polyglot': Buffer.from('GIF89a/*\x01\x00\x01\x00\x00\x00\x00*/=alert(1);//'),
    'utf-7 html': Buffer.from('+ADw-script+AD4-alert(1)+ADw-/script+AD4-'),
    'csv with a tag': Buffer.from('a,b\n1,<svg onload=alert(1)>\n')
  }
  // Leading bytes that a browser skips before it sniffs.
  const prefixes = ['', ' ', '\r\n', '\t \n', '\uFEFF', '\uFEFF\n ']

  it('no hostile payload is admitted under any name, with any leading whitespace', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...extensions), fc.constantFrom(...Object.keys(hostile)), fc.constantFrom(...prefixes), async (ext, payload, prefix) => {
        const bytes = Buffer.concat([Buffer.from(prefix), hostile[payload]])
        const verdict = await admitAttachment(`file${ext}`, bytes)
        expect(verdict.ok, `${payload} as file${ext}`).toBe(false)
        if (verdict.ok) return
        expect(['asset-unsafe', 'asset-content', 'asset-type']).toContain(verdict.ruleId)
        // Markup is refused as unsafe (not as a mere type mismatch) unless its name is not on the allowlist at all.
        if (/^[\s\uFEFF]*</.test(bytes.toString('utf8')) && !/svg$/i.test(ext)) expect(verdict.ruleId).toBe('asset-unsafe')
      }),
      {numRuns: 300}
    )
  })

  it('a valid file under the wrong allowed extension is refused: extension and content must agree', async () => {
    const valid: Record<string, Buffer> = {'.png': png(), '.jpg': JPEG, '.gif': GIF, '.webp': WEBP, '.pdf': pdf(), '.csv': CSV, '.svg': Buffer.from(SVG_CHART)}
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...Object.keys(valid)), fc.constantFrom(...Object.keys(valid)), async (type, ext) => {
        const verdict = await admitAttachment(`file${ext}`, valid[type])
        expect(verdict.ok, `${type} content named ${ext}`).toBe(type === ext || (type === '.jpg' && ext === '.jpeg'))
      }),
      {numRuns: 100}
    )
  })

  it('some of those combinations through a real build: refused, nothing published', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...extensions.filter((e) => e !== '' && !e.startsWith('.md'))), fc.constantFrom(...Object.keys(hostile)), async (ext, payload) => {
        const name = `payload${ext}`
        const {result, messages} = await buildWith({[name]: hostile[payload]})
        expect(result.ok).toBe(false)
        expect(messages).toHaveLength(1)
        expect(messages[0].ruleId).toMatch(/^asset-(unsafe|content|type)$/)
        expect(published(result, name)).toBeUndefined()
      }),
      {numRuns: 20}
    )
  })
})
