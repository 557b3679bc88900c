import {describe, expect, it} from 'vitest'
import {extractPaper, parseUntil} from '../../src/verify/source.js'
import {tokenize, outputVariants, isDistinctive, isPhraseOk} from '../../src/verify/text.js'

describe('parseUntil', () => {
  it('reads a date as 00:00 Europe/London', () => {
    expect(parseUntil('2026-07-01')).toBe(Date.parse('2026-06-30T23:00:00Z'))
    expect(parseUntil('2026-12-10')).toBe(Date.parse('2026-12-10T00:00:00Z'))
  })
  it('reads offset/Z date-times as instants', () => {
    expect(parseUntil('2026-07-01T09:30:00Z')).toBe(Date.parse('2026-07-01T09:30:00Z'))
    expect(parseUntil('2026-07-01T09:30+02:00')).toBe(Date.parse('2026-07-01T07:30:00Z'))
  })
  it('reads wall-clock date-times as London time', () => {
    expect(parseUntil('2026-07-01T09:30')).toBe(Date.parse('2026-07-01T08:30:00Z'))
    expect(parseUntil('2026-12-10T09:30:15')).toBe(Date.parse('2026-12-10T09:30:15Z'))
  })
  it('rejects nonsense', () => {
    for (const v of ['', 'soon', '2026-02-30', '2026-13-01', '2026-01-01T25:00', '10/12/2026']) expect(parseUntil(v)).toBeNull()
  })
})

describe('extractPaper', () => {
  const now = new Date('2026-06-01T00:00:00Z')
  const paper = (fm: string, body = 'Body.') => `---\nid: PCD 9\ntitle: T\n${fm}\n---\n${body}\n`

  it('decides publicity', () => {
    expect(extractPaper(paper('classification: OFFICIAL'), 'a.md', now).isPublic).toBe(true)
    expect(extractPaper(paper('classification: "OFFICIAL"\ndeferral:\n  until: 2026-06-01'), 'a.md', now).isPublic).toBe(true)
    expect(extractPaper(paper('classification: OFFICIAL\ndeferral:\n  until: 2026-06-01T01:00'), 'a.md', now).isPublic).toBe(true)
    expect(extractPaper(paper('classification: OFFICIAL\ndeferral:\n  until: 2026-06-01T01:00:01'), 'a.md', now).isPublic).toBe(false)
    expect(extractPaper(paper('classification: OFFICIAL\ndeferral:\n  reason: no date'), 'a.md', now).isPublic).toBe(true)
    expect(extractPaper(paper('classification: OFFICIAL\ndeferral: tomorrow'), 'a.md', now).isPublic).toBe(false)
    expect(extractPaper(paper('classification: OFFICIAL-SENSITIVE'), 'a.md', now).isPublic).toBe(false)
    expect(extractPaper(paper('classification: official'), 'a.md', now).isPublic).toBe(false)
    expect(extractPaper('No frontmatter at all', 'a.md', now).isPublic).toBe(false)
    const bad = extractPaper('---\nid: [\n---\nSecret body words\n', 'a.md', now)
    expect(bad).toMatchObject({ isPublic: false, invalid: true })
    expect(bad.pieces.flatMap((p) => p.tokens)).toContain('secret')
  })

  it('extracts block, leaf and span text with positions, leaving public text out', () => {
    const body = [
      'Public start.', // 6
      '', // 7
      ':::official-sensitive[Block label]{exemptions="s43"}', // 8
      'Block body **bold** `code` ![Alt text](img/x.png)', // 9
      '::::', // 10 (closes)
      '::official-sensitive[Leaf words here]{exemptions="s40"}', // 11
      'Inline :official-sensitive[Name \\] [x] still]{exemptions="s40"} after.', // 12
    ].join('\n')
    const ex = extractPaper(paper('classification: OFFICIAL', body), 'a.md', now)
    const pieces = ex.pieces
      .map((p) => [p.kind, p.lines[0], p.cols[0], p.tokens.join(' ')])
      .sort((a, b) => (a[1] as number) - (b[1] as number))
    expect(pieces).toEqual([
      ['sensitive', 8, 23, 'block label block body bold code alt text'],
      ['sensitive', 9, 39, 'img x png'],
      ['sensitive', 11, 22, 'leaf words here'],
      ['sensitive', 12, 28, 'name x still'],
    ])
    const pub = ex.publicStreams.flat().filter(Boolean)
    expect(pub).toContain('after')
    expect(pub).not.toContain('still')
    expect(pub).not.toContain('block')
  })
})

describe('extractPaper edge cases', () => {
  const now = new Date('2026-06-01T00:00:00Z')
  it('handles CRLF, BOM and blockquoted blocks, and skips bare site addresses', () => {
    const text =
      '\ufeff---\r\nid: PCD 7\r\ntitle: T\r\nclassification: OFFICIAL\r\n---\r\n' +
      '> :::official-sensitive\r\n> See [the site](https://www.london.gov.uk/) and [the bid](https://bids.example/acme-bid.pdf).\r\n> :::\r\n' +
      'After.\r\n'
    const ex = extractPaper(text, 'a.md', now)
    expect(ex.isPublic).toBe(true)
    expect(ex.pieces.map((p) => [p.lines[0], p.tokens.join(' ')])).toEqual([
      [7, 'https bids example acme bid pdf'],
      [7, 'see the site and the bid'],
    ])
    expect(ex.publicStreams.at(-1)).toEqual(['after'])
  })
})

describe('text helpers', () => {
  it('normalises tokens', () => {
    expect(tokenize('Ｊａｎｅ  SMITH’s CANARY_ab12cd _em_ caf\u00e9 cafe\u0301 con\u00adfidential')).toEqual([
      'jane', 'smith', 's', 'canary_ab12cd', 'em', 'café', 'café', 'con', 'fidential',
    ])
    expect(outputVariants('<p>con&shy;fi<b>dential</b> &amp; Jane&#39;s</p>').map(tokenize)).toEqual([
      ['p', 'confi', 'b', 'dential', 'b', 'jane', 's', 'p'],
      ['confi', 'dential', 'jane', 's'],
    ])
  })
  it('classifies tokens and phrases', () => {
    expect(['canary_ab12cd', 'opx2219q', 'counterintelligence'].map((t) => isDistinctive(t))).toEqual([true, true, true])
    expect(['2026', 's43', 'procurement', 'covid'].map((t) => isDistinctive(t))).toEqual([false, false, false, false])
    expect(isPhraseOk(['jane', 'smith'])).toBe(true)
    expect(isPhraseOk(['of', 'the'])).toBe(false)
    expect(isPhraseOk(['the', 'council'])).toBe(false)
    expect(isPhraseOk(['budget', '2026'])).toBe(true)
    expect(isPhraseOk(['2020', '06', '01'])).toBe(false)
    expect(isPhraseOk(['june', '2027'])).toBe(false)
  })
})

describe('robustness', () => {
  it('never throws on arbitrary markdown-ish input and always extracts a planted block', async () => {
    const fc = await import('fast-check')
    const chars = fc.constantFrom(...':[]{}()<>`~*_\\#>-|!^"\'&;= \n\tabcXYZ0129é'.split(''))
    const junk = fc.array(chars, { maxLength: 200 }).map((a) => a.join(''))
    fc.assert(
      fc.property(junk, junk, (before, after) => {
        const text = `---\nid: PCD 1\ntitle: T\nclassification: OFFICIAL\n---\n${before}\n\n:::::official-sensitive\nPlanted zqxjkw_secret words\n:::::\n${after}\n`
        const ex = extractPaper(text, 'a.md', new Date())
        // Whatever precedes it, the planted line is extracted as sensitive (possibly inside a larger piece).
        return ex.pieces.some((p) => p.kind === 'sensitive' && p.tokens.includes('zqxjkw_secret'))
      }),
      { numRuns: 300 },
    )
    fc.assert(
      fc.property(junk, (t) => {
        extractPaper(t, 'a.md', new Date())
        extractPaper(`---\n${t}\n---\n${t}`, 'a.md', new Date())
        return true
      }),
      { numRuns: 300 },
    )
  })
})
