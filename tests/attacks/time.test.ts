/**
 * Time: deferral instants are never early; odd formats are refused.
 */
import {describe, expect, it} from 'vitest'
import {buildAt, content, expectNoCanary, expectRefused, paper} from './helpers.js'

const NOW = new Date('2025-01-01T00:00:00Z')
const at = (until: string) => content({'a.md': paper('PCD 1'), 'b.md': paper('PCD 9', `deferral:\n  until: ${until}\n`, 'Body zqdefbody.\n', 'zqdeftitle')})

describe('HOLE (arguable): an update dated in the future is published now', () => {
  // `updates: [{date: "2030-07-01", note}]` shows "Last updated 1 July 2030"
  // and the note in the page, feed (updated time), JSON/CSV and sitemap
  // lastmod before that date. A date after `now` is a typo or a correction
  // meant for later; either way it should be refused (date-invalid) or held.
  it('update dated 2030 on a public paper', async () => {
    const r = await buildAt(content({'a.md': paper('PCD 1', 'updates:\n  - date: "2030-07-01"\n    note: "zqnote future correction"\n')}), NOW)
    expectNoCanary(r, ['zqnote', '2030-07-01'])
  })
})

describe('held: deferral formats', () => {
  const deferred = ['2030-01-01', '"2030-01-01"', '" 2030-01-01"', '"2030-01-01 09:00"', '"2030-01-01T09:00:00.5+01:00"', '"2030-01-01T09:00+0100"', '"2030-01-01T09:00-00:00"', '"2025-01-01T00:00:00.001Z"', '"2025-01-01T00:30+00:00"']
  for (const v of deferred) {
    it(`not public before ${v}`, async () => {
      const r = await buildAt(at(v), NOW)
      expect(r.ok).toBe(true)
      expectNoCanary(r, ['zqdeftitle', 'zqdefbody', 'pcd-9'])
    })
  }
  const invalid = ['"2030-W01"', '"2030-001"', '"20300101"', '"+010000-01-01"', '"2030-01-01t09:00"', '"2030-01-01T24:00"', '"2030-01-01T23:59:60Z"', '"٢٠٣٠-01-01"', '"２０３０-01-01"', '1893456000', '~', '"2026-03-29T01:30"']
  for (const v of invalid) {
    it(`refused: ${v}`, async () => expectRefused(await buildAt(at(v), NOW), 'date-invalid'))
  }
  it('the repeated autumn hour is the later instant', async () => {
    // 2026-10-25T01:30 London happens at 00:30Z and at 01:30Z.
    const r = await buildAt(at('"2026-10-25T01:30"'), new Date('2026-10-25T01:00:00Z'))
    expectNoCanary(r, ['zqdeftitle', 'zqdefbody'])
  })
})
