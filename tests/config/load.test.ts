/**
 * mopac.config.json: parsed with positions, validated strictly, MOPAC's
 * defaults for what is absent. Every problem is reported at the line and
 * column of its key or value, all at once.
 */
import fs from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {DEFAULT_CONFIG, parseSiteConfig} from '../../src/config/load.js'

const repo = path.join(import.meta.dirname, '../..')

/** `line:column ruleId` of each message. */
function problems(text: string): string[] {
  const {file} = parseSiteConfig(text)
  return file.messages.map((m) => `${m.line}:${m.column} ${m.ruleId}`)
}

function reasons(text: string): string {
  return parseSiteConfig(text).file.messages.map((m) => m.reason).join('\n')
}

describe('parseSiteConfig: valid files', () => {
  it('gives MOPAC defaults for an empty object', () => {
    const {config, file} = parseSiteConfig('{}\n')
    expect(file.messages).toEqual([])
    expect(config).toEqual(DEFAULT_CONFIG)
    expect(config!.approvals).toBe(0)
    expect(config!.organisation.name).toBe("Mayor's Office for Policing and Crime")
    expect(config!.organisation.address.join(', ')).toBe('City Hall, Kamal Chunchie Way, London, E16 1ZE')
    expect(config!.ico.phone).toBe('0303 123 1113')
  })

  it('reads every key, and fills only what is absent', () => {
    const {config, file} = parseSiteConfig(
      JSON.stringify({
        site: {name: 'Example decisions', baseUrl: 'https://decisions.example.org/sub?x=1#y'},
        organisation: {shortName: 'EX'},
        accessibility: {contact: {email: 'a11y@example.org'}, prepared: '2025-01-02', lastReviewed: '2025-06-30', lastTested: '2025-06-01', compliance: 'full'},
        privacy: {contact: {phone: '020 7946 0000'}},
        foi: {email: 'foi@example.org', webForm: 'https://example.org/foi'},
        approvals: 2
      })
    )
    expect(file.messages).toEqual([])
    expect(config!.site).toEqual({name: 'Example decisions', baseUrl: 'https://decisions.example.org/sub/'})
    expect(config!.organisation.name).toBe(DEFAULT_CONFIG.organisation.name)
    expect(config!.organisation.shortName).toBe('EX')
    // A contact given replaces the default whole.
    expect(config!.accessibility.contact).toEqual({email: 'a11y@example.org'})
    expect(config!.accessibility).toMatchObject({prepared: '2025-01-02', lastReviewed: '2025-06-30', lastTested: '2025-06-01', compliance: 'full', nonAccessible: []})
    expect(config!.foi.request).toEqual({email: 'foi@example.org', webForm: 'https://example.org/foi'})
    // The internal review goes to the request address unless given.
    expect(config!.foi.internalReview).toEqual(config!.foi.request)
    expect(config!.approvals).toBe(2)
  })

  it('accepts approvals 0, 1 and 2 only, as numbers', () => {
    for (const n of [0, 1, 2]) expect(parseSiteConfig(`{"approvals": ${n}}`).config?.approvals).toBe(n)
    expect(problems('{\n  "approvals": 3\n}')).toEqual(['2:16 config-invalid'])
    expect(problems('{"approvals": "1"}')).toEqual(['1:15 config-invalid'])
    expect(problems('{"approvals": 1.5}')).toEqual(['1:15 config-invalid'])
    expect(reasons('{"approvals": 3}')).toMatch(/`approvals`: must be 0, 1 or 2/)
  })

  it('reads the content folder\'s own file, whose placeholder contacts are marked', () => {
    const text = fs.readFileSync(path.join(repo, 'content/mopac.config.json'), 'utf8')
    const {config, file} = parseSiteConfig(text)
    expect(file.messages).toEqual([])
    expect(config!.organisation.shortName).toBe('MOPAC')
    expect(config!.foi.request.email).toMatch(/@/)
    expect(JSON.parse(text).$comment).toMatch(/PLACEHOLDERS/)
  })

  it('takes a byte order mark, with columns as an editor shows them', () => {
    expect(parseSiteConfig('\ufeff{"approvals": 1}').config?.approvals).toBe(1)
    expect(problems('\ufeff{"approvals": 9}')).toEqual(['1:15 config-invalid'])
  })
})

describe('parseSiteConfig: every problem at its place', () => {
  it('reports an unknown key at the key, nested or not, naming the allowed keys', () => {
    const text = '{\n  "sitename": "x",\n  "accessibility": {\n    "contcat": {}\n  }\n}\n'
    expect(problems(text)).toEqual(['2:3 config-unknown-key', '4:5 config-unknown-key'])
    expect(reasons(text)).toMatch(/Unknown key `sitename`: the keys allowed at the top are \$schema, \$comment, site, organisation/)
    expect(reasons(text)).toMatch(/Unknown key `accessibility.contcat`: the keys allowed in `accessibility` are contact, responseDays/)
    expect(problems('{"foi": {"internalReview": {"mail": "a@b.org"}}}')).toEqual(['1:29 config-unknown-key'])
    expect(problems('{"__proto__": {"x": 1}}')).toEqual(['1:2 config-unknown-key'])
  })

  it('reports a bad value at the value', () => {
    const text = ['{', '  "site": {"baseUrl": "javascript:alert(1)"},', '  "foi": {"email": "not an address"},', '  "accessibility": {"prepared": "2026-02-30", "responseDays": 0},', '  "ico": {"address": []}', '}'].join('\n')
    expect(problems(text)).toEqual(['2:23 config-invalid', '3:20 config-invalid', '4:33 config-invalid', '4:63 config-invalid', '5:22 config-invalid'])
    expect(reasons(text)).toMatch(/`site.baseUrl`: must be an absolute http or https address/)
    expect(reasons(text)).toMatch(/`accessibility.prepared`: /)
  })

  it('wants at least one way to reach a contact', () => {
    expect(problems('{"privacy": {"contact": {}}}')).toEqual(['1:25 config-invalid'])
  })

  it('reports JSON syntax errors at their place: trailing commas, comments, unclosed strings', () => {
    expect(problems('{\n  "approvals": 1,\n}')).toEqual(['3:1 config-json'])
    expect(problems('{\n  // note\n  "approvals": 1\n}')).toEqual(['2:3 config-json'])
    expect(problems('{"site": {"name": "x}}')[0]).toBe('1:19 config-json')
    expect(problems('')).toEqual(['1:1 config-json'])
    expect(problems('[]')).toEqual(['1:1 config-invalid'])
  })

  it('refuses a key given twice (JSON would keep the last without a word)', () => {
    expect(problems('{"approvals": 2,\n "approvals": 0}')).toEqual(['2:2 config-duplicate-key'])
  })

  it('refuses markings, sensitive syntax and comments in published text', () => {
    expect(problems('{"site": {"name": "OFFICIAL-SENSITIVE decisions"}}')).toEqual(['1:19 config-marking'])
    expect(problems('{"organisation": {"address": ["City Hall", ":official-sensitive[x]{exemptions=\\"s40\\"}"]}}')).toEqual(['1:44 config-marking'])
    expect(problems('{"site": {"name": "Decisions <!-- draft -->"}}')).toEqual(['1:19 config-marking'])
    // $comment is never published: notes may say anything.
    expect(problems('{"$comment": "OFFICIAL-SENSITIVE is never written here"}')).toEqual([])
  })

  it('checks the accessibility statement across keys', () => {
    expect(problems('{"accessibility": {"prepared": "2026-01-10", "lastReviewed": "2026-01-09"}}')).toEqual(['1:62 config-invalid'])
    expect(problems('{"accessibility": {"compliance": "partial"}}')).toEqual(['1:34 config-invalid'])
    expect(problems('{"accessibility": {"compliance": "full", "nonAccessible": ["Charts have no text."]}}')).toEqual(['1:34 config-invalid'])
    // A list alone sets the status; an empty one means none known.
    expect(parseSiteConfig('{"accessibility": {"nonAccessible": []}}').config?.accessibility.compliance).toBe('full')
    expect(parseSiteConfig('{"accessibility": {"nonAccessible": ["Charts have no text."]}}').config?.accessibility.compliance).toBe('partial')
  })

  it('reports every problem of the file at once', () => {
    const text = '{"approvals": 7, "x": 1, "site": {"name": ""}}'
    expect(problems(text)).toHaveLength(3)
  })
})
