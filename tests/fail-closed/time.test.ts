/**
 * `--now` without an offset is London time. In the autumn hour that happens
 * twice it has no safe reading, and in the spring hour that is skipped it
 * names no instant: both are refused (exit 2), the first naming both instants.
 * Deferral dates keep their rule (the later instant, never early).
 */
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {parseLondonInstant, parseNow} from '../../src/time/london.js'
import {runMopac} from '../helpers/cli.js'

/** The last Sunday of a month, as a day of the month. */
function lastSunday(year: number, month: number): number {
  const last = new Date(Date.UTC(year, month, 0))
  return last.getUTCDate() - last.getUTCDay()
}

const pad = (n: number) => String(n).padStart(2, '0')

describe('--now at a clock change', () => {
  it('refuses every minute of the repeated autumn hour, naming both instants', () => {
    fc.assert(
      fc.property(fc.integer({min: 1996, max: 2060}), fc.integer({min: 0, max: 59}), fc.integer({min: 0, max: 59}), (year, minute, second) => {
        const day = lastSunday(year, 10)
        const text = `${year}-10-${pad(day)}T01:${pad(minute)}:${pad(second)}`
        const parsed = parseNow(text)
        expect(parsed.ok).toBe(false)
        const bst = new Date(Date.UTC(year, 9, day, 0, minute, second)).toISOString().replace('.000Z', 'Z')
        const gmt = new Date(Date.UTC(year, 9, day, 1, minute, second)).toISOString().replace('.000Z', 'Z')
        expect(!parsed.ok && parsed.reason).toContain(bst)
        expect(!parsed.ok && parsed.reason).toContain(gmt)
        // A deferral at the same wall clock is the later instant.
        const deferral = parseLondonInstant(text)
        expect(deferral.ok && deferral.value.toISOString().replace('.000Z', 'Z')).toBe(gmt)
      })
    )
  })

  it('refuses every minute of the skipped spring hour', () => {
    fc.assert(
      fc.property(fc.integer({min: 1996, max: 2060}), fc.integer({min: 0, max: 59}), (year, minute) => {
        const text = `${year}-03-${pad(lastSunday(year, 3))}T01:${pad(minute)}`
        const parsed = parseNow(text)
        expect(parsed.ok).toBe(false)
        expect(!parsed.ok && parsed.reason).toMatch(/does not exist/)
      })
    )
  })

  it('accepts the minutes either side of both changes, and any time with an offset', () => {
    for (const text of ['2026-10-25T00:59', '2026-10-25T02:00', '2026-03-29T00:59', '2026-03-29T02:00', '2026-10-25T01:30+01:00', '2026-10-25T01:30Z', '2026-03-29T01:30Z']) {
      expect(parseNow(text).ok, text).toBe(true)
    }
    const before = parseNow('2026-10-25T00:59')
    expect(before.ok && before.value.toISOString()).toBe('2026-10-24T23:59:00.000Z')
    const after = parseNow('2026-10-25T02:00')
    expect(after.ok && after.value.toISOString()).toBe('2026-10-25T02:00:00.000Z')
  })

  it('the CLI exits 2 and says why', async () => {
    const twice = await runMopac(['check', '--now', '2026-10-25T01:30'])
    expect(twice.code).toBe(2)
    expect(twice.stderr).toContain('2026-10-25T00:30:00Z')
    expect(twice.stderr).toContain('2026-10-25T01:30:00Z')
    const skipped = await runMopac(['build', '--now', '2026-03-29T01:15', '--out', '/nonexistent-mopac-out'])
    expect(skipped.code).toBe(2)
    expect(skipped.stderr).toMatch(/does not exist/)
  })
})
