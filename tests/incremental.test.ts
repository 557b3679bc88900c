/**
 * Incremental equals cold: a sequence of random edits, additions, deletions,
 * deferrals moving, classifications changing, links between papers, updates,
 * tags, decision dates, attachments, the site's name and base URL, the
 * release log lost, and `--now` advancing, run by the release job with its cache, its "nothing
 * changed" shortcut and the pages it keeps from the live site (its manifest). After every step the live site must be byte
 * identical to a cold build (no cache, fresh output) of the same content at
 * the same instant with the same release log.
 */
import fs from 'node:fs'
import path from 'node:path'
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {createProcessor} from '../src/build/pool.js'
import {DEFAULT_CONFIG} from '../src/config/defaults.js'
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
  tags?: string[]
  /** Decision year (2026 when absent). */
  year?: number
  /** An attached CSV file's words. */
  attach?: string
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
  | {op: 'tag'; n: number; tags: string[]}
  | {op: 'redate'; n: number; year: number}
  | {op: 'attach'; n: number; words: string | undefined}
  | {op: 'site'; name: string; baseUrl: boolean}
  | {op: 'forget'}

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
  fc.integer({min: 1, max: 240}).map((hours) => ({op: 'advance' as const, hours})),
  fc.record({n, tags: fc.subarray(['Youth', 'Estates', 'Contracts'])}).map((s) => ({op: 'tag' as const, ...s})),
  fc.record({n, year: fc.constantFrom(2024, 2025, 2026)}).map((s) => ({op: 'redate' as const, ...s})),
  fc.record({n, words: fc.option(words, {nil: undefined})}).map((s) => ({op: 'attach' as const, ...s})),
  fc.record({name: fc.constantFrom('MOPAC decisions', 'Policing decisions'), baseUrl: fc.boolean()}).map((s) => ({op: 'site' as const, ...s})),
  // The release log lost: the live papers' first-published dates become this run's.
  fc.constant({op: 'forget' as const})
)

function text(p: Paper): string {
  const due = p.deferHours === undefined ? '' : `deferral:\n  until: "${new Date(START.getTime() + p.deferHours * HOUR).toISOString()}"\n`
  const update = p.updateDays === undefined ? '' : `updates:\n  - date: "${new Date(START.getTime() + p.updateDays * 24 * HOUR).toISOString().slice(0, 10)}"\n    note: Corrected ${p.words}.\n`
  const link = p.linkTo === undefined ? '' : `\n\nSee [the related decision](/decisions/pcd-${900 + p.linkTo}/).\n`
  const tags = p.tags && p.tags.length > 0 ? `tags: [${p.tags.join(', ')}]\n` : ''
  const attached = p.attach === undefined ? '' : `\n\nThe [figures](./files/p${p.n}.csv).\n`
  const secret = p.sensitive ? `\n\n:::official-sensitive{exemptions="s43"}\nzkincsecret${p.n} tender figures.\n:::\n` : ''
  return `---\nid: PCD ${900 + p.n}\ntitle: Decision ${p.n} on ${p.words}\ndate: "${p.year ?? 2026}-02-${String(p.n + 10).padStart(2, '0')}"\nclassification: ${p.withheld ? 'OFFICIAL-SENSITIVE' : 'OFFICIAL'}\nsummary: About ${p.words}.\n${tags}${due}${update}---\n\nThe ${p.words} decision.${link}${attached}${secret}\n`
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
        let site = {name: 'MOPAC decisions', baseUrl: false}
        const write = () => {
          fs.rmSync(content, {recursive: true, force: true})
          fs.mkdirSync(path.join(content, 'files'), {recursive: true})
          for (const p of papers.values()) {
            fs.writeFileSync(path.join(content, `p${p.n}.md`), text(p))
            if (p.attach !== undefined) fs.writeFileSync(path.join(content, 'files', `p${p.n}.csv`), `item,words\n1,${p.attach}\n`)
          }
        }
        const options = () => ({now, baseUrl: site.baseUrl ? 'https://decisions.example/' : undefined, config: {...DEFAULT_CONFIG, site: {...DEFAULT_CONFIG.site, name: site.name}}})
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
          else if (s.op === 'tag' && p) p.tags = s.tags
          else if (s.op === 'redate' && p) p.year = s.year
          else if (s.op === 'attach' && p) p.attach = s.words
          else if (s.op === 'site') site = {name: s.name, baseUrl: s.baseUrl}
          else if (s.op === 'forget') fs.rmSync(logPath(state), {force: true})
          write()
          const live = await release({content, out, state, ...options(), processAll: warm.processAll, verify: async () => []})
          expect(['released', 'nothing-due'], `step ${i}: ${JSON.stringify(s)}`).toContain(live.status)
          // Cold: fresh output, no cache, the same release log.
          const cold = {out: path.join(root, `cold${i}`), state: path.join(root, `cold-state${i}`)}
          fs.mkdirSync(cold.state)
          if (fs.existsSync(logPath(state))) fs.copyFileSync(logPath(state), logPath(cold.state))
          const fresh = await release({content, ...cold, ...options(), force: true, verify: async () => []})
          expect(fresh.status).not.toBe('content-errors')
          expect(snapshot(out), `step ${i}: ${JSON.stringify(s)}`).toEqual(snapshot(cold.out))
        }
      }),
      {
        numRuns: 10,
        // Known shapes, always tried: a correction falling due with nothing else changing; a deferral ending.
        examples: [
          [[{op: 'update', n: 1, days: 2}, {op: 'advance', hours: 72}, {op: 'advance', hours: 1}]],
          [[{op: 'add', paper: {n: 2, words: 'youth safety', deferHours: 30, sensitive: false, withheld: false}}, {op: 'link', n: 1, to: 2}, {op: 'advance', hours: 31}]],
          // Kept pages: a tag added then renamed away, a neighbour moving year, an attachment changing, the site renamed.
          [[{op: 'add', paper: {n: 2, words: 'youth safety', sensitive: false, withheld: false, tags: ['Youth']}}, {op: 'tag', n: 1, tags: ['Youth', 'Estates']}, {op: 'tag', n: 2, tags: []}, {op: 'redate', n: 2, year: 2024}, {op: 'attach', n: 1, words: 'grant budget'}, {op: 'attach', n: 1, words: 'grant review'}, {op: 'site', name: 'Policing decisions', baseUrl: true}, {op: 'advance', hours: 5}, {op: 'forget'}]],
          // The log lost while a paper is deferred.
          [[{op: 'defer', n: 1, hours: 1}, {op: 'forget'}]]
        ]
      }
    )
  }, 300_000)
})
