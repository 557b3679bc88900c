/**
 * Incremental equals cold: a sequence of random edits, additions, deletions,
 * deferrals moving, classifications changing, links between papers, updates
 * and `--now` advancing, run by the release job with its cache and its
 * "nothing changed" shortcut. After every step the live site must be byte
 * identical to a cold build (no cache, fresh output) of the same content at
 * the same instant with the same release log.
 */
import fs from 'node:fs'
import path from 'node:path'
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {createProcessor} from '../src/build/pool.js'
import {logPath} from '../src/release/log.js'
import {release} from '../src/release/release.js'
import {tempDir} from './helpers/corpus.js'

const START = new Date('2026-03-02T10:00:00Z')
const HOUR = 3_600_000

interface Paper {
  n: number
  words: string
  /** Deferral in hours from START, or none. */
  deferHours?: number
  sensitive: boolean
  withheld: boolean
  linkTo?: number
  /** An update dated this many days after START. */
  updateDays?: number
}

type Step =
  | {op: 'add'; paper: Paper}
  | {op: 'remove'; n: number}
  | {op: 'edit'; n: number; words: string}
  | {op: 'defer'; n: number; hours: number | undefined}
  | {op: 'classify'; n: number; withheld: boolean}
  | {op: 'link'; n: number; to: number | undefined}
  | {op: 'update'; n: number; days: number | undefined}
  | {op: 'advance'; hours: number}

const word = fc.constantFrom('budget', 'grant', 'custody', 'contract', 'review', 'youth', 'safety', 'estate')
const words = fc.array(word, {minLength: 2, maxLength: 6}).map((w) => w.join(' '))
const n = fc.integer({min: 1, max: 6})
const paperArb: fc.Arbitrary<Paper> = fc.record(
  {
    n,
    words,
    deferHours: fc.option(fc.integer({min: -48, max: 240}), {nil: undefined}),
    sensitive: fc.boolean(),
    withheld: fc.boolean(),
    linkTo: fc.option(n, {nil: undefined}),
    updateDays: fc.option(fc.integer({min: -3, max: 12}), {nil: undefined})
  },
  {requiredKeys: ['n', 'words', 'sensitive', 'withheld']}
)
const step: fc.Arbitrary<Step> = fc.oneof(
  paperArb.map((paper) => ({op: 'add' as const, paper})),
  n.map((k) => ({op: 'remove' as const, n: k})),
  fc.record({n, words}).map((s) => ({op: 'edit' as const, ...s})),
  fc.record({n, hours: fc.option(fc.integer({min: -48, max: 240}), {nil: undefined})}).map((s) => ({op: 'defer' as const, ...s})),
  fc.record({n, withheld: fc.boolean()}).map((s) => ({op: 'classify' as const, ...s})),
  fc.record({n, to: fc.option(n, {nil: undefined})}).map((s) => ({op: 'link' as const, ...s})),
  fc.record({n, days: fc.option(fc.integer({min: -3, max: 12}), {nil: undefined})}).map((s) => ({op: 'update' as const, ...s})),
  fc.integer({min: 1, max: 240}).map((hours) => ({op: 'advance' as const, hours}))
)

function text(p: Paper): string {
  const due = p.deferHours === undefined ? '' : `deferral:\n  until: "${new Date(START.getTime() + p.deferHours * HOUR).toISOString()}"\n`
  const update = p.updateDays === undefined ? '' : `updates:\n  - date: "${new Date(START.getTime() + p.updateDays * 24 * HOUR).toISOString().slice(0, 10)}"\n    note: Corrected ${p.words}.\n`
  const link = p.linkTo === undefined ? '' : `\n\nSee [the related decision](/decisions/pcd-${900 + p.linkTo}/).\n`
  const secret = p.sensitive ? `\n\n:::official-sensitive{exemptions="s43"}\nzkincsecret${p.n} tender figures.\n:::\n` : ''
  return `---\nid: PCD ${900 + p.n}\ntitle: Decision ${p.n} on ${p.words}\ndate: "2026-02-${String(p.n + 10).padStart(2, '0')}"\nclassification: ${p.withheld ? 'OFFICIAL-SENSITIVE' : 'OFFICIAL'}\nsummary: About ${p.words}.\n${due}${update}---\n\nThe ${p.words} decision.${link}${secret}\n`
}

function snapshot(dir: string): Record<string, string> {
  const files: Record<string, string> = {}
  for (const name of fs.readdirSync(dir, {recursive: true, encoding: 'utf8'})) {
    const file = path.join(dir, name)
    if (fs.statSync(file).isFile()) files[name.split(path.sep).join('/')] = fs.readFileSync(file).toString('base64')
  }
  return files
}

describe('incremental builds', () => {
  it('after every random step, the live site equals a cold build of the same content, instant and log', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, {minLength: 3, maxLength: 7}), async (steps) => {
        const root = tempDir('mopac-incremental-')
        const content = path.join(root, 'content')
        const out = path.join(root, 'public')
        const state = path.join(root, 'state')
        fs.mkdirSync(content)
        const papers = new Map<number, Paper>([[1, {n: 1, words: 'budget review', sensitive: true, withheld: false}]])
        let now = START
        const warm = createProcessor({cacheDir: path.join(state, 'cache'), workers: false})
        const write = () => {
          for (const name of fs.readdirSync(content)) fs.rmSync(path.join(content, name))
          for (const p of papers.values()) fs.writeFileSync(path.join(content, `p${p.n}.md`), text(p))
        }
        for (const [i, s] of [{op: 'advance', hours: 0} as Step, ...steps].entries()) {
          // An edit, deferral, link or update goes to an existing paper (the n-th, cyclically).
          const keys = [...papers.keys()]
          const p = 'n' in s && s.op !== 'add' && s.op !== 'remove' ? papers.get(keys[(s.n - 1) % keys.length]) : undefined
          if (s.op === 'add') papers.set(s.paper.n, s.paper)
          else if (s.op === 'remove' && papers.size > 1) papers.delete(s.n)
          else if (s.op === 'edit' && p) p.words = s.words
          else if (s.op === 'defer' && p) p.deferHours = s.hours
          else if (s.op === 'classify' && p) p.withheld = s.withheld
          else if (s.op === 'link' && p) p.linkTo = s.to
          else if (s.op === 'update' && p) p.updateDays = s.days
          else if (s.op === 'advance') now = new Date(now.getTime() + s.hours * HOUR)
          write()
          const live = await release({content, out, state, now, processAll: warm.processAll, verify: async () => []})
          expect(['released', 'nothing-due'], `step ${i}: ${JSON.stringify(s)}`).toContain(live.status)
          // Cold: fresh output, no cache, the same release log.
          const cold = {out: path.join(root, `cold${i}`), state: path.join(root, `cold-state${i}`)}
          fs.mkdirSync(cold.state)
          fs.copyFileSync(logPath(state), logPath(cold.state))
          const fresh = await release({content, ...cold, now, force: true, verify: async () => []})
          expect(fresh.status).not.toBe('content-errors')
          expect(snapshot(out), `step ${i}: ${JSON.stringify(s)}`).toEqual(snapshot(cold.out))
        }
      }),
      {
        numRuns: 6,
        // Known shapes, always tried: a correction falling due with nothing else changing; a deferral ending.
        examples: [
          [[{op: 'update', n: 1, days: 2}, {op: 'advance', hours: 72}, {op: 'advance', hours: 1}]],
          [[{op: 'add', paper: {n: 2, words: 'youth safety', deferHours: 30, sensitive: false, withheld: false}}, {op: 'link', n: 1, to: 2}, {op: 'advance', hours: 31}]]
        ]
      }
    )
  }, 300_000)
})
