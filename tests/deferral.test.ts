/**
 * The deferral boundary: 00:00 Europe/London, on both sides of each clock
 * change, with the process in another time zone. This file sets TZ before
 * anything reads the clock; cli.test.ts repeats the check in child processes.
 */
process.env.TZ = 'America/New_York'

import {describe, expect, it} from 'vitest'
import {processPaper} from '../src/publish/process.js'
import {parseLondonInstant} from '../src/time/london.js'

function paper(until: string) {
  const text = `---\nid: PCD 9\ntitle: T\ndate: "2026-01-01"\nclassification: OFFICIAL\ndeferral:\n  until: ${until}\n---\n\nBody.\n`
  return {path: 'p.md', relativePath: 'p.md', bytes: Buffer.from(text)}
}

const statusAt = (until: string, now: string) => processPaper(paper(until), new Date(now)).status

describe('deferral boundary in Europe/London', () => {
  it('runs in another time zone', () => {
    expect(new Date('2026-07-01T00:00:00Z').getTimezoneOffset()).toBe(240)
  })

  // Summer (BST, UTC+1): 00:00 London is 23:00 UTC the day before.
  it('a summer date is due at 00:00 BST', () => {
    expect(statusAt('2026-07-01', '2026-06-30T22:59:59.999Z')).toBe('deferred')
    expect(statusAt('2026-07-01', '2026-06-30T23:00:00Z')).toBe('public')
  })

  // Winter (GMT, UTC+0).
  it('a winter date is due at 00:00 GMT', () => {
    expect(statusAt('2026-12-01', '2026-11-30T23:59:59.999Z')).toBe('deferred')
    expect(statusAt('2026-12-01', '2026-12-01T00:00:00Z')).toBe('public')
  })

  // The dates on each side of the spring change (Sunday 29 March 2026, 01:00 GMT -> 02:00 BST).
  it('around the spring clock change', () => {
    expect(statusAt('2026-03-29', '2026-03-28T23:59:59Z')).toBe('deferred')
    expect(statusAt('2026-03-29', '2026-03-29T00:00:00Z')).toBe('public')
    expect(statusAt('2026-03-30', '2026-03-29T22:59:59Z')).toBe('deferred')
    expect(statusAt('2026-03-30', '2026-03-29T23:00:00Z')).toBe('public')
  })

  // The autumn change (Sunday 25 October 2026, 02:00 BST -> 01:00 GMT).
  it('around the autumn clock change', () => {
    expect(statusAt('2026-10-25', '2026-10-24T22:59:59Z')).toBe('deferred')
    expect(statusAt('2026-10-25', '2026-10-24T23:00:00Z')).toBe('public')
    expect(statusAt('2026-10-26', '2026-10-25T23:59:59Z')).toBe('deferred')
    expect(statusAt('2026-10-26', '2026-10-26T00:00:00Z')).toBe('public')
  })

  it('reads an unquoted YAML date as London text, not a UTC instant', () => {
    expect(statusAt('2026-07-01', '2026-06-30T23:30:00Z')).toBe('public')
    expect(statusAt('"2026-07-01"', '2026-06-30T23:30:00Z')).toBe('public')
    expect(statusAt('2026-07-01', '2026-06-30T22:30:00Z')).toBe('deferred')
  })

  it('reads a date-time without offset as London wall-clock time, and with one as that instant', () => {
    expect(statusAt('"2026-07-01T09:30"', '2026-07-01T08:29:59Z')).toBe('deferred')
    expect(statusAt('"2026-07-01T09:30"', '2026-07-01T08:30:00Z')).toBe('public')
    expect(statusAt('"2026-07-01T09:30:00+02:00"', '2026-07-01T07:29:59Z')).toBe('deferred')
    expect(statusAt('"2026-07-01T09:30:00Z"', '2026-07-01T09:30:00Z')).toBe('public')
  })

  it('takes the later of a repeated autumn hour, and refuses the skipped spring hour', () => {
    const repeated = parseLondonInstant('2026-10-25T01:30')
    expect(repeated.ok && repeated.value.toISOString()).toBe('2026-10-25T01:30:00.000Z')
    expect(parseLondonInstant('2026-03-29T01:30').ok).toBe(false)
  })
})
