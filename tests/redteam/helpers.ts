/**
 * Red-team helpers: run one paper through the real gate and judge the result.
 * SAFE means: the paper is refused (status 'invalid' with an error), or no
 * canary reaches any public field of the outcome.
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

export function errors(outcome: PaperOutcome): string[] {
  return outcome.messages.filter((m) => m.fatal).map((m) => m.ruleId ?? m.reason)
}

/** Refused with an error, or the canary is nowhere in the public paper. */
export function expectSafe(outcome: PaperOutcome, canary: string): void {
  if (outcome.status === 'invalid') {
    expect(errors(outcome).length, 'invalid without an error').toBeGreaterThan(0)
    return
  }
  expect(publicText(outcome), `${outcome.status}: canary published`).not.toContain(canary.toLowerCase())
}

/** Must be refused outright (input is ambiguous). */
export function expectRefused(outcome: PaperOutcome): void {
  expect(outcome.status, `messages: ${JSON.stringify(outcome.messages.map((m) => m.ruleId))}`).toBe('invalid')
  expect(errors(outcome).length).toBeGreaterThan(0)
}
