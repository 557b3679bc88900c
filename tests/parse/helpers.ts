/**
 * Helpers for the parse tests: one paper through the real pipeline
 * (`processPaper`), and what it published.
 */
import {expect} from 'vitest'
import {processPaper} from '../../src/publish/process.js'
import type {PaperOutcome} from '../../src/publish/outcome.js'

export const NOW = new Date('2026-11-25T12:00:00Z')

export const FM = `---
id: PCD 1
title: Title
date: "2019-06-20"
classification: OFFICIAL
---
`

/** A paper with the standard frontmatter (or `frontmatter`) and `body`. */
export function paper(body: string, frontmatter = FM): PaperOutcome {
  return processPaper({path: 'content/x.md', relativePath: 'x.md', bytes: Buffer.from(frontmatter + body, 'utf8')}, NOW)
}

/** Rule ids of the errors. */
export function errors(outcome: PaperOutcome): string[] {
  return outcome.messages.filter((m) => m.fatal).map((m) => m.ruleId ?? m.reason)
}

/** Every public string of an outcome, lower-cased ('' when not public). */
export function published(outcome: PaperOutcome): string {
  if (outcome.status !== 'public' || !outcome.public) return ''
  return JSON.stringify(outcome.public).toLowerCase()
}

/** Refused with an error, or none of the canaries is published. */
export function expectSafe(outcome: PaperOutcome, ...canaries: string[]): void {
  if (outcome.status === 'invalid') {
    expect(errors(outcome).length, 'invalid without an error').toBeGreaterThan(0)
    return
  }
  const text = published(outcome)
  for (const canary of canaries) expect(text, `${canary} published`).not.toContain(canary.toLowerCase())
}

/** Refused, with `rule` among its errors (at `line` when given). */
export function expectRefused(outcome: PaperOutcome, rule: string, line?: number): void {
  expect(outcome.status, JSON.stringify(outcome.messages.map((m) => `${m.ruleId}@${m.line}`))).toBe('invalid')
  const hits = outcome.messages.filter((m) => m.fatal && m.ruleId === rule)
  expect(hits.length, `no ${rule} in ${JSON.stringify(errors(outcome))}`).toBeGreaterThan(0)
  if (line !== undefined) expect(hits.map((m) => m.line)).toContain(line)
}

/** Public, with no error. */
export function expectPublic(outcome: PaperOutcome): void {
  expect(errors(outcome)).toEqual([])
  expect(outcome.status).toBe('public')
}
