/**
 * Red-team helpers: run one paper through the real gate and judge the result.
 * Every case states the one outcome it expects: refused (status 'invalid')
 * with the rule ids that name why, or published (status 'public', no error)
 * with no canary in any public field. A case never passes on "either".
 */
import {expect} from 'vitest'
import type {BuildResult} from '../../src/build/build.js'
import {processPaper} from '../../src/publish/process.js'
import type {ReleaseResult} from '../../src/release/release.js'
import type {PaperOutcome} from '../../src/publish/outcome.js'

export const NOW = new Date('2026-11-25T12:00:00Z')

export const FM = `---
id: PCD 1
title: Title
date: "2019-06-20"
classification: OFFICIAL
---
`

export function run(text: string, now = NOW): PaperOutcome {
  return processPaper({path: 'content/x.md', relativePath: 'x.md', bytes: Buffer.from(text, 'utf8')}, now)
}

/** A paper with the standard frontmatter and `body`. */
export function runBody(body: string, now = NOW): PaperOutcome {
  return run(FM + body, now)
}

/** Every public string of an outcome, lower-cased. */
export function publicText(outcome: PaperOutcome): string {
  if (outcome.status !== 'public' || !outcome.public) return ''
  return JSON.stringify(outcome.public).toLowerCase()
}

/** The rule ids (or, without one, the reasons) of an outcome's errors. */
export function errors(outcome: PaperOutcome): string[] {
  return outcome.messages.filter((m) => m.fatal).map((m) => m.ruleId ?? m.reason)
}

/** What a case expects: refused with these rule ids, or published without its canary. */
export type Expected = {refused: string[]} | {published: true}
export const refused = (...ruleIds: string[]): Expected => ({refused: ruleIds})
export const published: Expected = {published: true}

/** Must be refused (input is ambiguous or would publish the canary), with each of `ruleIds` among its errors. */
export function expectRefused(outcome: PaperOutcome, ...ruleIds: string[]): void {
  const describe = `${outcome.status}, errors ${JSON.stringify(errors(outcome))}`
  expect(outcome.status, describe).toBe('invalid')
  expect(outcome.public, describe).toBeUndefined()
  expect(errors(outcome).length, describe).toBeGreaterThan(0)
  for (const ruleId of ruleIds) expect(errors(outcome), describe).toContain(ruleId)
}

/** Must be published, with no error, and with no canary anywhere in the public paper. */
export function expectPublished(outcome: PaperOutcome, canary: string): void {
  const describe = `${outcome.status}, errors ${JSON.stringify(errors(outcome))}`
  expect(outcome.status, describe).toBe('public')
  expect(errors(outcome), describe).toEqual([])
  expect(publicText(outcome), 'canary published').not.toContain(canary.toLowerCase())
}

/** The outcome `expected` names, for tables that mix refusals and publications. */
export function expectOutcome(outcome: PaperOutcome, canary: string, expected: Expected): void {
  if ('refused' in expected) expectRefused(outcome, ...expected.refused)
  else expectPublished(outcome, canary)
}

/** Every error rule id of a build: problems that belong to no paper, then each paper's. */
export function buildErrors(result: Pick<BuildResult, 'outcomes' | 'problems'>): string[] {
  return [...result.problems, ...result.outcomes.flatMap((o) => o.messages)].filter((m) => m.fatal).map((m) => m.ruleId ?? m.reason)
}

/** The build must refuse (nothing to write), with each of `ruleIds` among its errors. */
export function expectBuildRefused(result: BuildResult, ...ruleIds: string[]): void {
  const describe = `ok ${result.ok}, errors ${JSON.stringify(buildErrors(result))}`
  expect(result.ok, describe).toBe(false)
  expect(result.files, describe).toBeUndefined()
  expect(buildErrors(result).length, describe).toBeGreaterThan(0)
  for (const ruleId of ruleIds) expect(buildErrors(result), describe).toContain(ruleId)
}

/** The build must succeed, with no error at all. */
export function expectBuildOk(result: BuildResult): void {
  expect(result.ok, `errors ${JSON.stringify(buildErrors(result))}`).toBe(true)
  expect(buildErrors(result)).toEqual([])
  expect(result.files).toBeDefined()
}

/**
 * A release that held back broken papers: status 'held', exactly the papers
 * `held` names (relative path to a rule id among that paper's errors) held,
 * none of them on the site unless it was live before (`kept`).
 */
export function expectReleaseHeld(result: ReleaseResult, held: Record<string, string>): void {
  const describe = `status ${result.status}, held ${JSON.stringify(result.held.map((h) => [h.file, h.ruleId]))}, errors ${JSON.stringify(result.build ? buildErrors(result.build) : [])}`
  expect(result.status, describe).toBe('held')
  expect(result.held.map((h) => h.file).sort(), describe).toEqual(Object.keys(held).sort())
  for (const [file, ruleId] of Object.entries(held)) {
    const outcome = result.build!.outcomes.find((o) => o.relativePath === file)!
    expect(errors(outcome), `${file}: ${describe}`).toContain(ruleId)
    const entry = result.held.find((h) => h.file === file)!
    if (!entry.live) expect(result.build!.publicPapers.map((p) => p.slug), describe).not.toContain(outcome.slug)
  }
}
