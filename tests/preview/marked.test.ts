import {describe, expect, it} from 'vitest'
import {renderMarked} from '../../src/preview/review.js'
import {sensitiveLabel} from '../../src/pipeline/mark-sensitive.js'
import {processPaper} from '../../src/publish/process.js'

const front = (extra = '') => `---\nid: "PCD 1"\ntitle: "T"\ndate: "2024-01-01"\nclassification: "OFFICIAL"\n${extra}---\n\n`
const input = (text: string, relativePath = 'p.md') => ({path: 'content/' + relativePath, relativePath, bytes: Buffer.from(text)})

describe('sensitiveLabel', () => {
  it('names the classification and each exemption with its title', () => {
    expect(sensitiveLabel(['s43'])).toBe('OFFICIAL-SENSITIVE, section 43 (commercial interests)')
    expect(sensitiveLabel(['s43', 's40'])).toBe('OFFICIAL-SENSITIVE, section 40 (personal information); section 43 (commercial interests)')
    expect(sensitiveLabel(['s31(1)(a)'])).toBe('OFFICIAL-SENSITIVE, section 31(1)(a) (law enforcement)')
  })
})

describe('renderMarked', () => {
  it('keeps sensitive text, outlined and labelled, numbered as the redactions are', () => {
    const text = front('part2:\n  exemptions: [s43]\n') + 'Led by :official-sensitive[Jordan Sample]{exemptions="s40"}.\n\n:::official-sensitive\nThe day rate was £1,234.\n\n:official-sensitive[nested]{exemptions="s41"}\n:::\n\n::official-sensitive[A leaf]{exemptions="s42"}\n'
    const html = renderMarked(input(text))
    expect(html).toContain('<span class="mopac-sensitive-inline" data-exemptions="s40" id="marked-content-redaction-1"><span class="mopac-sensitive-label">OFFICIAL-SENSITIVE, section 40 (personal information)</span>Jordan Sample</span>')
    expect(html).toContain('<div class="mopac-sensitive" data-exemptions="s43" id="marked-content-redaction-2">')
    expect(html).toContain('<p class="mopac-sensitive-label">OFFICIAL-SENSITIVE, section 43 (commercial interests)</p>')
    expect(html).toContain('The day rate was £1,234.')
    // Nested: labelled, not numbered.
    expect(html).toMatch(/<span class="mopac-sensitive-inline" data-exemptions="s41"><span class="mopac-sensitive-label">OFFICIAL-SENSITIVE, section 41 \(information provided in confidence\)<\/span>nested<\/span>/)
    expect(html).toContain('id="marked-content-redaction-3"')
    expect(html).toContain('A leaf')
    const outcome = processPaper(input(text), new Date('2025-01-01'))
    expect(outcome.redactions.map((r) => r.exemptions)).toEqual([['s40'], ['s43'], ['s42']])
  })

  it('does not let raw HTML fake a marking, and stays sanitized', () => {
    const html = renderMarked(input(front() + '<div class="mopac-sensitive"><span class="mopac-sensitive-label">OFFICIAL-SENSITIVE, s43</span>x</div>\n\n<script>alert(1)</script>\n\n[a](javascript:alert(1))\n'))
    expect(html).not.toContain('class="mopac-sensitive')
    expect(html).not.toContain('<script')
    expect(html).not.toContain('javascript:')
  })

  it('points local images at the content route and footnotes at prefixed ids', () => {
    const html = renderMarked(input(front() + '![Chart](./images/a%20b.svg)\n\n[x](../../etc/passwd)\n\nText[^1]\n\n[^1]: Note.\n', 'sub/p.md'))
    expect(html).toContain('src="/content/sub/images/a%20b.svg"')
    expect(html).not.toContain('etc/passwd')
    expect(html).toContain('href="#marked-content-fn-1"')
    expect(html).toContain('id="marked-content-fn-1"')
  })
})
