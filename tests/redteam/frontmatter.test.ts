/**
 * Red team: frontmatter tricks, deferral dates, and metadata published whole.
 */
import {afterEach, describe, expect, it} from 'vitest'
import {NOW, errors, expectRefused, publicText, run} from './helpers.js'

const paper = (yaml: string, body = 'Body zkfmbody\n') => `---\n${yaml}\n---\n${body}`
const base = 'id: PCD 1\ntitle: Title\ndate: "2019-06-20"\nclassification: OFFICIAL'

describe('frontmatter delimiters: code execution', () => {
  afterEach(() => {
    delete (globalThis as Record<string, unknown>).__mopacRedTeam
  })
  it('---js frontmatter is never evaluated (gray-matter eval engine)', () => {
    const outcome = run(`---js\n(function(){ globalThis.__mopacRedTeam = 'ran'; return {} })()\n---\nBody\n`)
    expect((globalThis as Record<string, unknown>).__mopacRedTeam, 'paper code ran in the build').toBeUndefined()
    expectRefused(outcome, 'frontmatter-yaml')
  })
  it('---javascript frontmatter is never evaluated', () => {
    const outcome = run(`---javascript\n(function(){ globalThis.__mopacRedTeam = 'ran'; return {} })()\n---\nBody\n`)
    expect((globalThis as Record<string, unknown>).__mopacRedTeam, 'paper code ran in the build').toBeUndefined()
    expectRefused(outcome, 'frontmatter-yaml')
  })
  it('---json frontmatter is refused', () => {
    expectRefused(run(`---json\n{"id": "PCD 1", "title": "T", "date": "2019-06-20", "classification": "OFFICIAL"}\n---\nBody\n`), 'frontmatter-yaml')
  })
})

describe('deferral instants', () => {
  it('offset +99:59 (not a real offset) is refused, not read as 4 days earlier', () => {
    const outcome = run(paper(`${base}\ndeferral:\n  until: "2026-11-25T12:00+99:59"`, 'Body zkoffset1\n'))
    expectRefused(outcome, 'date-invalid')
  })
  it('offset +23:00 (not a real offset) is refused', () => {
    const outcome = run(paper(`${base}\ndeferral:\n  until: "2026-11-26T10:00+23:00"`, 'Body zkoffset2\n'))
    expectRefused(outcome, 'date-invalid')
  })
  const held: Record<string, string> = {
    '9999-12-31': '9999-12-31',
    'offset +0100': '2099-01-01T09:30+0100',
    'fractions': '2099-01-01T09:30:00.123456789Z',
    'unquoted date': '2099-01-01',
    'now + 1 ms': '2026-11-25T12:00:00.001Z'
  }
  for (const [what, until] of Object.entries(held)) {
    it(`held: ${what}`, () => {
      const quoted = what === 'unquoted date' ? until : `"${until}"`
      const outcome = run(paper(`${base}\ndeferral:\n  until: ${quoted}\n  reason: zkreason1`, 'Body zkdefer1\n'))
      expect(outcome.status).toBe('deferred')
      expect(outcome.public).toBeUndefined()
    })
  }
  const refused: Record<string, string> = {
    '24:00': '2099-01-01T24:00',
    '2026-13-01': '2026-13-01',
    'year 0000': '0000-01-01',
    'extended year': '+275760-09-13',
    'skipped London hour': '2027-03-28T01:30',
    'trailing text': '2099-01-01 maybe'
  }
  for (const [what, until] of Object.entries(refused)) {
    it(`refused: ${what}`, () => expectRefused(run(paper(`${base}\ndeferral:\n  until: "${until}"`)), 'date-invalid'))
  }
})

describe('frontmatter structure', () => {
  const refused: Record<string, [yaml: string, ruleId: string]> = {
    'alias into deferral via unknown key': [`${base}\nx: &a\n  until: "2099-01-01"\ndeferral: *a`, 'frontmatter-yaml'],
    'merge key <<': [`${base}\nb: &b {until: "2099-01-01"}\ndeferral:\n  <<: *b`, 'frontmatter-yaml'],
    'Deferral (case)': [`${base}\nDeferral:\n  until: "2099-01-01"`, 'frontmatter-unknown-key'],
    'duplicate classification': [`${base}\nclassification: OFFICIAL-SENSITIVE`, 'frontmatter-yaml'],
    'duplicate until': [`${base}\ndeferral:\n  until: "2099-01-01"\n  until: "2000-01-01"`, 'frontmatter-yaml'],
    'lower-case official': ['id: PCD 1\ntitle: Title\ndate: "2019-06-20"\nclassification: official', 'classification-unknown'],
    'OFFICIAL SENSITIVE (space)': ['id: PCD 1\ntitle: Title\ndate: "2019-06-20"\nclassification: OFFICIAL SENSITIVE', 'classification-unknown'],
    'OFFICIAL-SENSITIVE [commercial] (lower)': ['id: PCD 1\ntitle: Title\ndate: "2019-06-20"\nclassification: OFFICIAL-SENSITIVE [commercial]', 'classification-unknown'],
    'OFFICIAL–SENSITIVE (en dash)': ['id: PCD 1\ntitle: Title\ndate: "2019-06-20"\nclassification: OFFICIAL\u2013SENSITIVE', 'classification-unknown'],
    'OFFICIAL with zero-width space': ['id: PCD 1\ntitle: Title\ndate: "2019-06-20"\nclassification: "OFFICIAL\u200b"', 'classification-unknown'],
    'YAML document end then more keys': [`${base}\n...\ndeferral: {until: "2099-01-01"}`, 'frontmatter-yaml'],
    'until as a list': [`${base}\ndeferral:\n  until:\n    - "2099-01-01"`, 'frontmatter-invalid'],
    'empty deferral': [`${base}\ndeferral:`, 'frontmatter-invalid'],
    'title with span syntax': ['id: PCD 1\ntitle: "T :official-sensitive[zkt]{exemptions=s40}"\ndate: "2019-06-20"\nclassification: OFFICIAL', 'frontmatter-marking']
  }
  for (const [what, [yaml, ruleId]] of Object.entries(refused)) {
    it(`refused: ${what}`, () => expectRefused(run(paper(yaml)), ruleId))
  }
  it('withheld: OFFICIAL-SENSITIVE [COMMERCIAL]', () => {
    const outcome = run(paper('id: PCD 1\ntitle: Title\ndate: "2019-06-20"\nclassification: OFFICIAL-SENSITIVE [COMMERCIAL]'))
    expect(outcome.status).toBe('withheld')
    expect(outcome.public).toBeUndefined()
  })
  it('YAML comment after OFFICIAL naming a higher marking is refused', () => {
    expectRefused(run(paper(`id: PCD 1\ntitle: Title\ndate: "2019-06-20"\nclassification: OFFICIAL # OFFICIAL-SENSITIVE until review`, 'Body zkyamlcomment\n')), 'frontmatter-marking')
  })
  it('text after the closing --- is not silently dropped from the frontmatter', () => {
    const outcome = run(`---\n${base}\n--- deferral: {until: "2099-01-01"}\nBody zkcloseline\n`)
    expectRefused(outcome, 'frontmatter-yaml')
  })
  it('internal keys never reach the public paper', () => {
    const outcome = run(paper(`${base}\ndeferral:\n  until: "2020-01-01"\n  reason: zkreason2\npart2:\n  exemptions: [s43]\n  review: "2031-07-19"`))
    expect(outcome.status).toBe('public')
    expect(publicText(outcome)).not.toContain('zkreason2')
    expect(publicText(outcome)).not.toContain('2031-07-19')
    expect(errors(outcome)).toEqual([])
  })
})

describe('metadata published whole that carries sensitive syntax or markings', () => {
  it('decision_maker with a sensitive span', () => {
    expectRefused(run(paper(`${base}\ndecision_maker: ':official-sensitive[Jane zkdm1]{exemptions="s40"}'`)), 'frontmatter-marking')
  })
  it('tag with an OFFICIAL-SENSITIVE marking', () => {
    expectRefused(run(paper(`${base}\ntags: ["OFFICIAL-SENSITIVE zktag1"]`)), 'frontmatter-marking')
  })
  it('id with an OFFICIAL-SENSITIVE marking', () => {
    expectRefused(run(paper(`id: "PCD 1 OFFICIAL-SENSITIVE zkid1"\ntitle: Title\ndate: "2019-06-20"\nclassification: OFFICIAL`)), 'frontmatter-marking')
  })
  it('title with an en-dash marking "OFFICIAL – SENSITIVE"', () => {
    expectRefused(run(paper(`id: PCD 1\ntitle: "Annex zktitle1 OFFICIAL \u2013 SENSITIVE"\ndate: "2019-06-20"\nclassification: OFFICIAL`)), 'frontmatter-marking')
  })
  it('summary with a non-breaking-hyphen marking', () => {
    expectRefused(run(paper(`${base}\nsummary: "zksummary1 OFFICIAL\u2011SENSITIVE"`)), 'frontmatter-marking')
  })
})

describe('sanity', () => {
  it('NOW is fixed', () => expect(NOW.toISOString()).toBe('2026-11-25T12:00:00.000Z'))
})
