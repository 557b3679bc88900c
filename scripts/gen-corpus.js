#!/usr/bin/env node
/**
 * Generate a synthetic content folder of realistic decision papers, for the
 * benchmark (scripts/bench.js) and for load testing:
 *
 *   node scripts/gen-corpus.js DIR N [seed]
 *
 * Deterministic: the same N and seed give byte-identical files, and paper i
 * depends only on (seed, i), so a corpus of N papers is a prefix of one of
 * N + 1 papers. Each paper is 8-12 KB of valid Markdown with frontmatter:
 * numbered paragraphs, headings, bullet lists, GFM tables, footnotes, links,
 * sensitive blocks (about a third of papers, some taking `part2.exemptions`),
 * sensitive inline names (about a quarter), deferrals (about a tenth, half
 * due before `now`, half after) and OFFICIAL-SENSITIVE papers (about 3%).
 *
 * Fixed positions, whatever the seed (the benchmark relies on them):
 *  - paper 0 is OFFICIAL with no deferral (public: the one to edit);
 *  - paper 1 (when N >= 2) is deferred until 2026-11-26 00:00 London time,
 *    i.e. due between `now` (default 2026-11-25T12:00:00Z) and now + 1 day.
 *
 * The text never carries a protective marking outside sensitive material and
 * never uses a directive other than `official-sensitive`, so `mopac check`
 * passes with no errors and no warnings. Writes only under DIR (created if
 * missing; must hold no .md file).
 */
import fs from 'node:fs'
import path from 'node:path'
import {pathToFileURL} from 'node:url'

/** The instant the benchmark builds at. */
export const DEFAULT_NOW = '2026-11-25T12:00:00Z'
/** Ids are `PCD <FIRST_ID + i>`. */
export const FIRST_ID = 20000
const DAY = 86_400_000

// ---------------------------------------------------------------------------
// Seeded randomness

/** mulberry32: a small, fast, seeded 32-bit PRNG returning floats in [0, 1). */
export function mulberry32(seed) {
  let a = seed >>> 0
  return function () {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** A generator for paper `index`: independent of every other paper. */
function paperRandom(seed, index) {
  let h = (Math.imul(seed >>> 0, 0x9e3779b1) ^ Math.imul(index + 1, 0x85ebca6b)) >>> 0
  h = Math.imul(h ^ (h >>> 16), 0x45d9f3b) >>> 0
  const next = mulberry32(h)
  const r = {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    pick: (list) => list[Math.floor(next() * list.length)],
    chance: (p) => next() < p,
    /** `count` distinct items of `list`. */
    some(list, count) {
      const copy = [...list]
      const out = []
      while (out.length < count && copy.length > 0) out.push(copy.splice(Math.floor(next() * copy.length), 1)[0])
      return out
    }
  }
  return r
}

// ---------------------------------------------------------------------------
// Vocabulary (policing and procurement; no protective markings, no colons before letters)

const TAGS = ['contracts', 'technology', 'procurement', 'finance', 'estates', 'custody', 'grants', 'community-safety', 'young-people', 'violence-reduction', 'victims', 'fleet', 'training', 'forensics', 'partnerships']

const SUBJECTS = [
  'Custody Suite CCTV Maintenance', 'Body Worn Video Replacement', 'Secure Network Gateway', 'Automatic Number Plate Recognition',
  'Forensic Services Framework', 'Fleet Telematics', 'Command and Control Upgrade', 'Victim Support Commissioning',
  'Youth Violence Prevention Fund', 'Estates Disposal Programme', 'Digital Forensics Capacity', 'Firearms Training Centre',
  'Mobile Data Terminals', 'Contact Centre Resilience', 'Neighbourhood Policing Pilot', 'Domestic Abuse Perpetrator Programme',
  'Records Management System', 'Stop and Search Monitoring', 'Cyber Crime Unit Tooling', 'Interpreting Services Contract',
  'Officer Wellbeing Service', 'Police Station Refurbishment', 'Evidence Storage Facility', 'Radio Airwave Transition',
  'Rape Support Services', 'Knife Crime Community Fund', 'Drone Capability', 'Cloud Hosting Migration'
]
const ACTIONS = ['Contract Extension', 'Approval to Procure', 'Contract Award', 'Contract Variation', 'Grant Award', 'Investment Plan', 'Business Case', 'Funding Approval', 'Framework Call-Off', 'Budget Uplift']

const DECISION_MAKERS = ['Deputy Mayor for Policing and Crime', 'Deputy Mayor for Policing and Crime', 'Deputy Mayor for Policing and Crime', 'Chief Executive, MOPAC', 'Director of Commissioning and Partnerships', 'Chief Finance Officer, MOPAC']

const ACTORS = ['The MPS', 'MOPAC', 'The Commissioning team', 'The Digital Policing directorate', 'The Property Services team', 'The Violence Reduction Unit', 'The Procurement Board', 'The Investment Advisory and Monitoring meeting', 'The Strategic Finance team', 'The supplier', 'The programme board', 'The Commercial Services team']
const VERBS = ['will deliver', 'has reviewed', 'will monitor', 'has assessed', 'is expected to reduce', 'will extend', 'has procured', 'will consolidate', 'has evaluated', 'will migrate', 'has benchmarked', 'will report on', 'is responsible for', 'has agreed', 'will manage']
const OBJECTS = [
  'the custody estate', 'the contract value', 'the framework agreement', 'the tender evaluation', 'the business case', 'the Digital Policing budget',
  'the service level agreement', 'the transition plan', 'the supplier performance', 'the capital programme', 'the revenue budget',
  'the data protection impact assessment', 'the equality impact assessment', 'the benefits realisation plan', 'the market engagement',
  'the mobilisation period', 'the exit arrangements', 'the risk register', 'the grant conditions', 'the monitoring returns',
  'the police and crime plan priorities', 'the operational requirement', 'the whole life cost', 'the maintenance regime',
  'the referral pathway', 'the victim satisfaction measures', 'the response times', 'the disposal receipts'
]
const QUALIFIERS = [
  'within the approved budget', 'over the remaining contract term', 'in line with the Public Contracts Regulations 2015',
  'before the end of the financial year', 'across all thirty-two boroughs', 'with quarterly reporting to the programme board',
  'subject to satisfactory monitoring returns', 'in partnership with local authorities', 'without additional capital expenditure',
  'following a competitive tender', 'under the MOPAC Scheme of Delegation and Consent', 'in accordance with the Police and Crime Plan',
  'during the mobilisation period', 'with the agreement of the Chief Finance Officer', 'as set out in the Investment Advisory Board report',
  'to national policing security standards', 'at no extra cost to MOPAC', 'ahead of the transition to the new service'
]
const CONNECTORS = ['In addition,', 'As a result,', 'Accordingly,', 'In particular,', 'At the same time,', 'For this reason,', 'Following consultation,', 'Where appropriate,']
const SECTION_TITLES = [
  'Introduction and background', 'Issues for consideration', 'Financial comments', 'Legal comments', 'Commercial issues',
  'GDPR and data privacy', 'Equality comments', 'Risk and mitigation', 'Procurement approach', 'Performance and monitoring',
  'Stakeholder engagement', 'Delivery timetable', 'Options appraisal', 'Benefits', 'Governance', 'Workforce implications',
  'Environmental considerations', 'Lessons learned'
]
const FIRST = ['Jordan', 'Priya', 'Samuel', 'Aisha', 'Thomas', 'Grace', 'Daniel', 'Fatima', 'Oliver', 'Chloe', 'Kwame', 'Hannah', 'Marek', 'Siobhan', 'Ravi', 'Eleanor']
const LAST = ['Sample', 'Okafor', 'Whitfield', 'Kowalski', 'Brennan', 'Choudhury', 'Hargreaves', 'Mensah', 'Lindqvist', 'Fairbairn', 'Delacroix', 'Pemberton', 'Achterberg', 'Quinlan']
const COMPANIES = ['Example Networks Ltd', 'Sample Gateway Services plc', 'Illustrative Vision Systems Ltd', 'Placeholder Forensics LLP', 'Demo Fleet Solutions Ltd', 'Notional Estates Partners', 'Specimen Software Ltd', 'Model Interpreting Services']
const EXEMPTIONS_INLINE = ['s40', 's40', 's40', 's40(2)', 's41']
const EXEMPTIONS_BLOCK = ['s43', 's43', 's43', 's43 s41', 's31(1)(a)', 's36', 's42', 's43(2)', 's38']
const PART2_DEFAULTS = [['s43'], ['s43'], ['s43', 's41'], ['s31(1)(a)'], ['s36']]
const REASONS = [
  'Publishing the approved budget envelope before contract award would prejudice the live tender.',
  'Awaiting supplier notification of the outcome.',
  'The operational capability should not be disclosed until it is in service.',
  'Staff consultation must conclude before publication.',
  'Grant recipients are to be told before the award is announced.',
  'Linked to a disposal that has not yet completed.'
]
const DOMAINS = ['https://example.org', 'https://www.example.org', 'https://docs.example.org']
const DOC_PATHS = ['police-and-crime-plan', 'scheme-of-delegation', 'investment-advisory-board', 'evaluation-report', 'market-engagement-report', 'equality-impact-assessment', 'budget-submission', 'annual-report']

// ---------------------------------------------------------------------------
// Text

function sentence(r, extra = '') {
  const core = `${r.pick(ACTORS)} ${r.pick(VERBS)} ${r.pick(OBJECTS)} ${r.pick(QUALIFIERS)}${extra}.`
  return r.chance(0.3) ? `${r.pick(CONNECTORS)} ${core.replace(/^The /, 'the ')}` : core
}

function sentences(r, min, max) {
  const out = []
  const n = r.int(min, max)
  for (let i = 0; i < n; i++) out.push(sentence(r))
  return out.join(' ')
}

function money(r) {
  return `£${r.int(1, 99)}${r.chance(0.5) ? `.${r.int(1, 9)}m` : `,${String(r.int(0, 999)).padStart(3, '0')}`}`
}

function fullName(r) {
  return `${r.pick(FIRST)} ${r.pick(LAST)}`
}

function link(r) {
  const doc = r.pick(DOC_PATHS)
  const label = doc.replace(/-/g, ' ')
  return `[${label}](${r.pick(DOMAINS)}/${doc}/${r.int(2012, 2026)})`
}

function table(r, footnote) {
  const years = r.int(3, 5)
  const start = r.int(2012, 2022)
  const rows = ['| Year | Revenue (£m) | Capital (£m) | Total (£m) |', '|---|---:|---:|---:|']
  for (let y = 0; y < years; y++) {
    const revenue = r.int(10, 400) / 10
    const capital = r.int(0, 200) / 10
    const label = `${start + y}/${String((start + y + 1) % 100).padStart(2, '0')}`
    rows.push(`| ${label}${footnote && y === years - 1 ? footnote : ''} | ${revenue.toFixed(1)} | ${capital.toFixed(1)} | ${(revenue + capital).toFixed(1)} |`)
  }
  return rows.join('\n')
}

function bullets(r, min, max) {
  const out = []
  for (let i = r.int(min, max); i > 0; i--) out.push(`- ${sentence(r)}`)
  return out.join('\n')
}

/** A sensitive block; `attribute` false: it takes `part2.exemptions`. */
function sensitiveBlock(r, attribute) {
  const opener = attribute ? `:::official-sensitive{exemptions="${r.pick(EXEMPTIONS_BLOCK)}"}` : ':::official-sensitive'
  const parts = [opener]
  const kind = r.int(0, 2)
  if (kind === 0) {
    parts.push(`Fictional example: the prices were negotiated against a benchmark day rate of £${r.int(600, 1900).toLocaleString('en-GB')} supplied by ${r.pick(COMPANIES)}. ${sentences(r, 1, 2)}`)
  } else if (kind === 1) {
    parts.push(`### Part 2 – ${r.pick(['commercial position', 'supplier pricing', 'operational detail', 'legal advice'])}`, '')
    parts.push(`${r.pick(COMPANIES)} has offered a discount of ${r.int(2, 9)}% if the agreement is signed by ${r.int(1, 28)} ${r.pick(['March', 'June', 'September', 'December'])}. ${sentence(r)}`, '')
    parts.push(`- ${r.pick(COMPANIES)} could not take over the service in under ${r.int(4, 12)} months.`, `- The fallback option would cost ${money(r)} more over the term.`)
  } else {
    parts.push(`### Options considered (fictional)`, '')
    parts.push('| Option | Description | Cost |', '|---|---|---:|')
    parts.push(`| 1 | Do nothing | £0 |`, `| 2 | Extend the current arrangement | ${money(r)} |`, `| 3 | Direct award to ${r.pick(COMPANIES)} | ${money(r)} |`, '')
    parts.push(`Option 2 is recommended as the lowest-risk route [^w].`)
  }
  parts.push(':::')
  return parts.join('\n')
}

// ---------------------------------------------------------------------------
// Papers

function isoDate(ms) {
  return new Date(ms).toISOString().slice(0, 10)
}

/** Midnight London time of a calendar date `YYYY-MM-DD`, as epoch ms (BST from the last Sunday of March to the last Sunday of October). */
function londonMidnight(date) {
  const [y, m, d] = date.split('-').map(Number)
  const lastSunday = (month) => {
    const last = new Date(Date.UTC(y, month, 0))
    return last.getUTCDate() - last.getUTCDay()
  }
  const summer = (m > 3 && m < 10) || (m === 3 && d > lastSunday(3)) || (m === 10 && d <= lastSunday(10))
  return Date.UTC(y, m - 1, d) - (summer ? 3_600_000 : 0)
}

function slugify(text) {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '')
}

function yamlString(text) {
  return JSON.stringify(text)
}

/**
 * Paper `index` of the corpus for `seed`, as at `now`.
 * @returns {{index: number, id: string, file: string, text: string, classification: string, deferUntil?: string, isPublic: boolean}}
 */
export function generatePaper(index, {seed = 1, now = DEFAULT_NOW} = {}) {
  const r = paperRandom(seed, index)
  const nowMs = Date.parse(now)
  const number = FIRST_ID + index
  const id = `PCD ${number}`
  const title = `${r.pick(SUBJECTS)} – ${r.pick(ACTIONS)}`
  const lowest = Date.UTC(2012, 0, 1)

  // Publication status.
  let classification = 'OFFICIAL'
  let deferral // {until: 'YYYY-MM-DD', ms}
  const roll = r.next()
  if (index === 0) {
    // Public, no deferral.
  } else if (index === 1) {
    const until = isoDate(nowMs + DAY)
    deferral = {until, ms: londonMidnight(until)}
  } else if (roll < 0.03) {
    classification = 'OFFICIAL-SENSITIVE [COMMERCIAL]'
  } else if (roll < 0.13) {
    // Half due before now, half after (at least two days either side of now).
    let untilMs
    if (r.chance(0.5)) untilMs = r.int(Date.UTC(2012, 2, 1) / DAY, Math.floor(nowMs / DAY) - 2) * DAY
    else untilMs = r.int(Math.ceil(nowMs / DAY) + 2, Date.UTC(2028, 11, 31) / DAY) * DAY
    const until = isoDate(untilMs)
    deferral = {until, ms: londonMidnight(until)}
  }
  let dateMs
  if (deferral) dateMs = Math.max(lowest, Math.min(deferral.ms, nowMs) - r.int(1, 300) * DAY)
  else dateMs = r.int(lowest / DAY, Math.floor(nowMs / DAY) - 1) * DAY
  const date = isoDate(dateMs)

  const hasBlocks = r.chance(0.34)
  const blockDefault = hasBlocks && r.chance(0.4) // some blocks take part2.exemptions
  const hasInline = r.chance(0.25)
  const footnotes = r.chance(0.7)
  const tags = r.some(TAGS, r.int(1, 4))

  const front = [
    '---',
    `id: ${yamlString(id)}`,
    `title: ${yamlString(title)}`,
    `date: ${yamlString(date)}`,
    `classification: ${yamlString(classification)}`,
    `decision_maker: ${yamlString(r.pick(DECISION_MAKERS))}`,
    `summary: ${yamlString(`Approval of ${r.pick(OBJECTS).replace(/^the /, 'the revised ')} ${r.pick(QUALIFIERS)}. ${sentence(r)}`)}`,
    `tags: [${tags.join(', ')}]`
  ]
  if (deferral) front.push('deferral:', `  until: ${yamlString(deferral.until)}`, `  reason: ${yamlString(r.pick(REASONS))}`)
  if (hasBlocks) {
    const defaults = r.pick(PART2_DEFAULTS)
    const review = isoDate(dateMs + r.int(180, 720) * DAY)
    front.push('part2:', `  exemptions: [${defaults.join(', ')}]`, `  review: ${yamlString(review)}`)
  }
  front.push('---', '')

  const head = [
    '_Generated paper for benchmarking: the decision, names and figures are fictional._',
    '## Executive summary',
    `This paper seeks approval for ${r.pick(OBJECTS).replace(/^the /, 'the proposed ')} ${r.pick(QUALIFIERS)}. ${sentences(r, 2, 4)}`,
    '## Recommendation',
    `The ${r.pick(DECISION_MAKERS)} is recommended to:`,
    [
      `1. Approve expenditure of up to ${money(r)} ${r.pick(QUALIFIERS)}.`,
      `2. Delegate to the ${r.pick(['Chief Finance Officer', 'Director of Commissioning', 'Chief Executive'])} authority to agree the final terms.`,
      ...(r.chance(0.5) ? [`3. Note ${r.pick(OBJECTS)} and the risks set out in this paper.`] : [])
    ].join('\n'),
    '## Part I – non-confidential facts and advice'
  ]

  // Footnotes used in public text, and maybe one used only in a sensitive block (`[^w]`).
  const definitions = []
  let footnoteCount = 0
  const footnote = () => {
    if (!footnotes) return ''
    footnoteCount++
    definitions.push(`[^${footnoteCount}]: ${sentence(r)} See ${link(r)}.`)
    return `[^${footnoteCount}]`
  }

  // The sections: numbered paragraphs, lists, tables, sensitive material.
  const tail = [
    '## Public access to information',
    hasBlocks
      ? `Part 1 of this decision will be published once approved. There is a Part 2 form, which is exempt from publication under the Freedom of Information Act 2000.`
      : `Part 1 of this decision will be published once approved. There is no Part 2 form.`,
    '## Originating officer declaration',
    [
      '- Financial advice: the Strategic Finance and Resource Management team has been consulted.',
      '- Legal advice: the MOPAC legal team has been consulted.',
      '- Equalities advice: equality issues are covered in the body of the report.',
      hasInline
        ? `- Decision contact: :official-sensitive[${fullName(r)}]{exemptions="${r.pick(EXEMPTIONS_INLINE)}"}, through the MOPAC ${r.pick(['commissioning', 'commercial', 'finance'])} team.`
        : '- Decision contact: the MOPAC commissioning team.'
    ].join('\n')
  ]

  const target = r.int(8400, 11600)
  const max = 11900
  const blocks = [...head]
  const size = () => Buffer.byteLength([...front, ...blocks, ...tail, ...definitions].join('\n\n'), 'utf8') + 200
  const titles = ['Introduction and background', 'Issues for consideration', 'Financial comments', ...r.some(SECTION_TITLES.slice(3), SECTION_TITLES.length - 3)]
  let blockCount = 0
  let usedWithheldFootnote = false
  let section = 0
  let done = false
  while (!done) {
    const name = titles[section] ?? r.pick(SECTION_TITLES)
    section++
    blocks.push(`### ${section}. ${name}`)
    const paragraphs = r.int(2, 5)
    for (let p = 1; p <= paragraphs && !done; p++) {
      const extras = []
      // Paragraph with an occasional footnote, link or inline name.
      let text = `${section}.${p}. ${sentences(r, 2, 4)}`
      if (r.chance(0.2)) text += ` Further detail is in the ${link(r)}.`
      if (p === 1 && section <= 3) text += footnote()
      if (hasInline && section === 1 && p === 2) text += ` The project is led by :official-sensitive[${fullName(r)}]{exemptions="${r.pick(EXEMPTIONS_INLINE)}"}, who will act as the named manager.`
      if (name === 'Financial comments' && p === 1) extras.push(table(r, footnote()))
      if (name === 'Issues for consideration' && p === 1) extras.push(bullets(r, 2, 4))
      if (hasBlocks && (name === 'Financial comments' || (blockCount > 0 && blockCount < 3 && r.chance(0.15)))) {
        if (blockCount === 0 || p === paragraphs) {
          const block = sensitiveBlock(r, blockDefault ? blockCount > 0 : true)
          if (block.includes('[^w]')) usedWithheldFootnote = true
          extras.push(block)
          blockCount++
        }
      }
      const before = blocks.length
      blocks.push(text, ...extras)
      // Sections 1-3 carry the footnotes, table, list and first sensitive
      // material, so they are always whole; later paragraphs stop at the target.
      if (section > 3 && extras.length === 0 && size() > max) {
        blocks.length = before
        done = true
      } else if (section >= 3 && size() >= target) done = true
    }
  }
  if (usedWithheldFootnote) definitions.push(`[^w]: Fictional: ${r.pick(COMPANIES)} quotation of ${money(r)}, valid for ${r.int(30, 90)} days.`)

  const text = [...front.slice(0, -1), '', ...[...blocks, ...tail, ...definitions].join('\n\n').split('\n'), ''].join('\n')
  const file = `pcd-${number}-${slugify(title)}.md`
  const isPublic = classification === 'OFFICIAL' && (!deferral || deferral.ms <= nowMs)
  return {index, id, file, text, classification, deferUntil: deferral ? new Date(deferral.ms).toISOString() : undefined, isPublic}
}

/**
 * Write `papers` papers into `dir`. Returns a manifest: every paper's id, file
 * (relative to dir), classification, deferral instant and whether it is public
 * at `now`, plus `dueSoon`, the deferred papers that fall due in (now, now + 1 day].
 */
export function generateCorpus(dir, {papers = 4000, seed = 1, now = DEFAULT_NOW} = {}) {
  fs.mkdirSync(dir, {recursive: true})
  if (fs.readdirSync(dir).some((name) => name.endsWith('.md'))) throw new Error(`${dir} already holds papers`)
  const nowMs = Date.parse(now)
  const list = []
  let bytes = 0
  for (let i = 0; i < papers; i++) {
    const paper = generatePaper(i, {seed, now})
    fs.writeFileSync(path.join(dir, paper.file), paper.text)
    bytes += Buffer.byteLength(paper.text)
    const {text, ...meta} = paper
    list.push(meta)
  }
  const dueSoon = list.filter((p) => p.deferUntil && Date.parse(p.deferUntil) > nowMs && Date.parse(p.deferUntil) <= nowMs + DAY)
  return {dir, seed, now, papers: list, dueSoon, bytes}
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [dir, count, seed] = process.argv.slice(2)
  if (!dir || !count || !/^\d+$/.test(count) || (seed !== undefined && !/^\d+$/.test(seed))) {
    process.stderr.write('Usage: node scripts/gen-corpus.js DIR N [seed]\n')
    process.exitCode = 2
  } else {
    const manifest = generateCorpus(dir, {papers: Number(count), seed: seed === undefined ? 1 : Number(seed)})
    const of = (f) => manifest.papers.filter(f).length
    process.stdout.write(
      `Wrote ${manifest.papers.length} papers (${(manifest.bytes / 1048576).toFixed(1)} MiB) to ${dir}: ` +
        `${of((p) => p.isPublic)} public at ${manifest.now}, ${of((p) => p.deferUntil && !p.isPublic)} deferred, ` +
        `${of((p) => p.classification !== 'OFFICIAL')} withheld whole.\n`
    )
  }
}
