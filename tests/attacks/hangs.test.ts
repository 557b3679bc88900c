/**
 * No input hangs or crashes the build. Each case is processed in-process (no
 * worker budget), so a superlinear path shows up as time.
 */
import {describe, expect, it} from 'vitest'
import {buildAt, buildErrors, content, paper} from './helpers.js'

async function timed(body: string) {
  const t0 = performance.now()
  const r = await buildAt(content({'a.md': paper('PCD 1', '', body)}))
  return {r, ms: performance.now() - t0}
}

describe('setext headings (were quadratic)', () => {
  // micromark rewrites every event of the document so far at each setext
  // heading: 8,000 of them (200 KB) took over 20 s and were refused with
  // `paper-timeout`. Long papers are now parsed in pieces of 8 KB
  // (src/pipeline/pieces.ts), so the rewrite stays within one piece.
  it('6,000 setext headings are processed as fast as 6,000 ATX headings (within 3x)', async () => {
    const atx = await timed('## Heading\n\nText.\n\n'.repeat(6000))
    const setext = await timed('Heading\n=======\n\nText.\n\n'.repeat(6000))
    expect(setext.r.ok).toBe(true)
    expect(setext.ms).toBeLessThan(3 * atx.ms + 1000)
  }, 180_000)
})

describe('held: long runs and deep structures are refused or built quickly', () => {
  const r = (s: string, n: number) => s.repeat(n)
  const cases: Record<string, string> = {
    'emphasis openers': r('*a ', 20000),
    underscores: r('_a', 20000),
    'unclosed brackets': r('[a ', 20000),
    'image openers': r('![', 20000),
    'less-than run': r('<', 30000),
    'entity run': r('&amp', 30000),
    backticks: r('`', 30000) + 'x' + r('``', 5000),
    'www. run': r('www.', 20000),
    'a@ run': r('a@', 20000),
    'comments in a row': r('<!-- x --> ', 20000),
    'hash run': r('#', 30000) + ' x',
    'unclosed link titles': r('[a](b "', 5000),
    'unclosed attribute braces': r(':official-sensitive[a]{', 5000),
    '127 nested brackets': '['.repeat(127) + 'x' + ']'.repeat(127)
  }
  for (const [what, body] of Object.entries(cases)) {
    it(what, async () => {
      const {ms} = await timed(body + '\n')
      expect(ms).toBeLessThan(5000)
    }, 60_000)
  }
  it('20,000 nested <div> tags: refused with an error, no crash', async () => {
    const {r} = await timed(r2('<div>', 20000) + '\n')
    expect(r.ok).toBe(false)
    expect(buildErrors(r).length).toBeGreaterThan(0)
  }, 60_000)
  it('120 nested emphasis marks: nesting-too-deep', async () => {
    const {r} = await timed('*'.repeat(120) + 'x' + '*'.repeat(120) + '\n')
    expect(buildErrors(r)).toContain('nesting-too-deep')
  })
})
const r2 = (s: string, n: number) => s.repeat(n)
