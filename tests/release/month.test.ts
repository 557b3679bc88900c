/**
 * A simulated month of the scheduled job, twice: around the spring and the
 * autumn clock changes. About fifty deferred papers, one release run per
 * simulated hour. Each paper appears in the first run at or after its due
 * instant and never before, and the log has it exactly once. The process
 * runs in New York time; due instants are London's. Papers go through the
 * per-paper cache, as the scheduled job's do: each run decides afresh, at its
 * own instant, from the cached outcome.
 */
process.env.TZ = 'America/New_York'

import fs from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {readLog} from '../../src/release/log.js'
import {createProcessor} from '../../src/build/pool.js'
import {release} from '../../src/release/release.js'
import {parseLondonInstant} from '../../src/time/london.js'
import {tempDir} from '../helpers/corpus.js'

const HOUR = 3_600_000

function dues(start: string, count: number, seed: number): string[] {
  // Deterministic spread: dates, London wall-clock times (some on the hour,
  // some in the repeated autumn hour) and explicit offsets.
  const base = new Date(start).getTime()
  const out: string[] = []
  let x = seed
  for (let i = 0; i < count; i++) {
    x = (x * 1103515245 + 12345) % 2 ** 31
    const at = new Date(base + (x % (9 * 24 * 60)) * 60_000)
    const iso = at.toISOString()
    const day = iso.slice(0, 10)
    if (i % 5 === 0) out.push(day)
    else if (i % 5 === 1) out.push(`${day}T${String(at.getUTCHours()).padStart(2, '0')}:00`)
    else if (i % 5 === 2) out.push(iso.replace('.000Z', 'Z'))
    else out.push(`${day}T${iso.slice(11, 16)}`)
  }
  return out
}

async function simulate(label: string, from: string, hours: number, extra: string[]) {
  const dir = tempDir()
  const content = path.join(dir, 'content')
  const out = path.join(dir, 'public')
  const state = path.join(dir, 'state')
  fs.mkdirSync(content)
  const untils = [...dues(from, 22, label.length), ...extra]
  const due = new Map<string, number>()
  untils.forEach((until, i) => {
    const slug = `pcd-${label}-${i}`
    const parsed = parseLondonInstant(until)
    if (!parsed.ok) return // a skipped spring time: refused by the build, not a test subject
    due.set(slug, parsed.value.getTime())
    fs.writeFileSync(path.join(content, `${slug}.md`), `---\nid: PCD ${label} ${i}\ntitle: Paper ${i}\ndate: "2026-01-01"\nclassification: OFFICIAL\ndeferral:\n  until: "${until}"\n---\n\nBody of paper ${i}.\n`)
  })
  const start = new Date(from).getTime()
  const firstSeen = new Map<string, number>()
  for (let h = 0; h <= hours; h++) {
    const now = new Date(start + h * HOUR)
    const {processAll} = createProcessor({cacheDir: path.join(state, 'cache'), workers: false})
    const result = await release({content, out, state, now, processAll, verify: async () => []})
    expect(result.status === 'released' || result.status === 'nothing-due').toBe(true)
    const live = new Set(fs.existsSync(path.join(out, 'decisions')) ? fs.readdirSync(path.join(out, 'decisions')) : [])
    for (const [slug, at] of due) {
      // Never before its due instant; always from it on.
      expect(live.has(slug), `${slug} due ${new Date(at).toISOString()} at ${now.toISOString()}`).toBe(at <= now.getTime())
      if (live.has(slug) && !firstSeen.has(slug)) firstSeen.set(slug, now.getTime())
    }
  }
  const log = await readLog(state)
  for (const [slug, at] of due) {
    const entries = log.filter((e) => e.slug === slug)
    expect(entries.length, slug).toBe(1)
    expect(entries[0].event).toBe('released')
    // The first run at or after the due instant.
    const expected = start + Math.max(0, Math.ceil((at - start) / HOUR)) * HOUR
    expect(new Date(entries[0].at).getTime()).toBe(expected)
    expect(firstSeen.get(slug)).toBe(expected)
    expect(entries[0].dueAt).toBe(new Date(at).toISOString())
  }
  return due.size
}

describe('a simulated month of hourly release runs', () => {
  it('across the spring clock change (29 March 2026)', async () => {
    const n = await simulate('s', '2026-03-24T00:00:00Z', 10 * 24, ['2026-03-29', '2026-03-30', '2026-03-29T00:59', '2026-03-29T02:00', '2026-03-29T01:30'])
    expect(n).toBeGreaterThanOrEqual(25)
  })

  it('across the autumn clock change (25 October 2026)', async () => {
    const n = await simulate('a', '2026-10-20T00:00:00Z', 10 * 24, ['2026-10-25', '2026-10-26', '2026-10-25T01:30', '2026-10-25T00:59', '2026-10-25T02:00'])
    expect(n).toBeGreaterThanOrEqual(25)
  })
})
