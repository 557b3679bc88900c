/**
 * Red team: frontmatter tricks, deferral dates, and metadata published whole.
 */
import {afterEach, describe, expect, it} from 'vitest'
import {NOW, errors, expectRefused, expectSafe, publicText, run} from './helpers.js'

const paper = (yaml: string, body = 'Body zkfmbody\n') => `---\n${yaml}\n---\n${body}`
const base = 'id: PCD 1\ntitle: Title\ndate: "2019-06-20"\nclassification: OFFICIAL'

describe('frontmatter delimiters: code execution', () => {
  afterEach(() => {
    delete (globalThis as Record<string, unknown>).__mopacRedTeam
  })
  it('---js frontmatter is never evaluated (gray-matter eval engine)', () => {
    const outcome = run(`---js\n(function(){ globalThis.__mopacRedTeam = 'ran'; return {} })()\n---\nBody\n`)
    expect((globalThis as Record<string, unknown>).__mopacRedTeam, 'paper code ran in the build').toBeUndefined()
    expectRefused(outcome)
  })
  it('---javascript frontmatter is never evaluated', () => {
    run(`---javascript\n(function(){ globalThis.__mopacRedTeam = 'ran'; return {} })()\n---\nBody\n`)
    expect((globalThis as Record<string, unknown>).__mopacRedTeam, 'paper code ran in the build').toBeUndefined()
  })
  it('---json frontmatter is refused', () => {
    expectRefused(run(`---json\n{"id": "PCD 1", "title": "T", "date": "2019-06-20", "classification": "OFFICIAL"}\n---\nBody\n`))
  })
})

describe('deferral instants', () => {
  it('offset +99:59 (not a real offset) is refused, not read as 4 days earlier', () => {
    const outcome = run(paper(`${base}\ndeferral:\n  until: "2026-11-25T12:00+99:59"`, 'Body zkoffset1\n'))
    expectSafe(outcome, 'zkoffset1')
  })
  it('offset +23:00 (not a real offset) is refused', () => {
    const outcome = run(paper(`${base}\ndeferral:\n  until: "2026-11-26T10:00+23:00"`, 'Body zkoffset2\n'))
    expectSafe(outcome, 'zkoffset2')
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
    it(`refused: ${what}`, () => expectRefused(run(paper(`${base}\ndeferral:\n  until: "${until}"`))))
  }
})

describe('frontmatter structure', () => {
  const refused: Record<string, string> = {
    'alias into deferral via unknown key': `${base}\nx: &a\n  until: "2099-01-01"\ndeferral: *a`,
    'merge key <<': `${base}\nb: &b {until: "2099-01-01"}\ndeferral:\n  <<: *b`,
    'Deferral (case)': `${base}\nDeferral:\n  until: "2099-01-01"`,
    'duplicate classification': `${base}\nclassification: OFFICIAL-SENSITIVE`,
    'duplicate until': `${base}\ndeferral:\n  until: "2099-01-01"\n  until: "2000-01-01"`,
    'lower-case official': 'id: PCD 1\ntitle: Title\ndate: "2019-06-20"\nclassification: official',
    'OFFICIAL SENSITIVE (space)': 'id: PCD 1\ntitle: Title\ndate: "2019-06-20"\nclassification: OFFICIAL SENSITIVE',
    'OFFICIAL-SENSITIVE [commercial] (lower)': 'id: PCD 1\ntitle: Title\ndate: "2019-06-20"\nclassification: OFFICIAL-SENSITIVE [commercial]',
    'OFFICIAL–SENSITIVE (en dash)': 'id: PCD 1\ntitle: Title\ndate: "2019-06-20"\nclassification: OFFICIAL\u2013SENSITIVE',
    'OFFICIAL with zero-width space': 'id: PCD 1\ntitle: Title\ndate: "2019-06-20"\nclassification: "OFFICIAL\u200b"',
    'YAML document end then more keys': `${base}\n...\ndeferral: {until: "2099-01-01"}`,
    'until as a list': `${base}\ndeferral:\n  until:\n    - "2099-01-01"`,
    'empty deferral': `${base}\ndeferral:`,
    'title with span syntax': 'id: PCD 1\ntitle: "T :official-sensitive[zkt]{exemptions=s40}"\ndate: "2019-06-20"\nclassification: OFFICIAL'
  }
  for (const [what, yaml] of Object.entries(refused)) {
    it(`refused: ${what}`, () => expectRefused(run(paper(yaml))))
  }
  it('withheld: OFFICIAL-SENSITIVE [COMMERCIAL]', () => {
    const outcome = run(paper('id: PCD 1\ntitle: Title\ndate: "2019-06-20"\nclassification: OFFICIAL-SENSITIVE [COMMERCIAL]'))
    expect(outcome.status).toBe('withheld')
    expect(outcome.public).toBeUndefined()
  })
  it('YAML comment after OFFICIAL naming a higher marking is refused', () => {
    expectSafe(run(paper(`id: PCD 1\ntitle: Title\ndate: "2019-06-20"\nclassification: OFFICIAL # OFFICIAL-SENSITIVE until review`, 'Body zkyamlcomment\n')), 'zkyamlcomment')
  })
  it('text after the closing --- is not silently dropped from the frontmatter', () => {
    const outcome = run(`---\n${base}\n--- deferral: {until: "2099-01-01"}\nBody zkcloseline\n`)
    expectSafe(outcome, 'zkcloseline')
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
    expectSafe(run(paper(`${base}\ndecision_maker: ':official-sensitive[Jane zkdm1]{exemptions="s40"}'`)), 'zkdm1')
  })
  it('tag with an OFFICIAL-SENSITIVE marking', () => {
    expectSafe(run(paper(`${base}\ntags: ["OFFICIAL-SENSITIVE zktag1"]`)), 'zktag1')
  })
  it('id with an OFFICIAL-SENSITIVE marking', () => {
    expectSafe(run(paper(`id: "PCD 1 OFFICIAL-SENSITIVE zkid1"\ntitle: Title\ndate: "2019-06-20"\nclassification: OFFICIAL`)), 'zkid1')
  })
  it('title with an en-dash marking "OFFICIAL – SENSITIVE"', () => {
    expectSafe(run(paper(`id: PCD 1\ntitle: "Annex zktitle1 OFFICIAL \u2013 SENSITIVE"\ndate: "2019-06-20"\nclassification: OFFICIAL`)), 'zktitle1')
  })
  it('summary with a non-breaking-hyphen marking', () => {
    expectSafe(run(paper(`${base}\nsummary: "zksummary1 OFFICIAL\u2011SENSITIVE"`)), 'zksummary1')
  })
})

describe('sanity', () => {
  it('NOW is fixed', () => expect(NOW.toISOString()).toBe('2026-11-25T12:00:00.000Z'))
})
