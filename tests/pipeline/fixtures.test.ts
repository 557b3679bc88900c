/**
 * Fixture tests for the redaction pipeline: each folder under
 * tests/fixtures/pipeline holds `input.md`, the expected public Markdown
 * `output.md` (absent when the paper must not publish) and `messages.txt`
 * (every message, `line:column ruleId reason`). A missing expectation fails
 * the test; UPDATE=1 writes (or rewrites) them: review them by hand.
 * Every `CANARY_*` string and every `canary-*` host in an input is sensitive
 * and must not appear in the output.
 */
import fs from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {processPaper} from '../../src/publish/process.js'

const root = path.join(import.meta.dirname, '../fixtures/pipeline')
const update = process.env.UPDATE === '1'
const now = new Date('2026-01-01T00:00:00Z')

function expectFile(file: string, actual: string | undefined) {
  const exists = fs.existsSync(file)
  if (actual === undefined) {
    if (update && exists) fs.rmSync(file)
    expect(update ? false : exists, `${file} should not exist: the paper must not publish`).toBe(false)
    return
  }
  if (update) fs.writeFileSync(file, actual)
  // Why: a missing expectation written on the fly would pass whatever the
  // pipeline did; it must be written on purpose and reviewed.
  expect(update || exists, `${file} is missing: run UPDATE=1 npx vitest run tests/pipeline and review it`).toBe(true)
  expect(actual).toBe(fs.readFileSync(file, 'utf8'))
}

describe('pipeline fixtures', () => {
  for (const name of fs.readdirSync(root).sort()) {
    it(name, () => {
      const dir = path.join(root, name)
      const input = fs.readFileSync(path.join(dir, 'input.md'))
      const outcome = processPaper({path: 'input.md', relativePath: 'input.md', bytes: input}, now)
      const messages = outcome.messages.map((m) => `${m.line}:${m.column} ${m.fatal ? 'error' : 'warning'} ${m.ruleId} ${m.reason}`).join('\n')
      expectFile(path.join(dir, 'messages.txt'), messages + '\n')
      const markdown = outcome.public?.markdown
      expectFile(path.join(dir, 'output.md'), markdown)
      if (outcome.public) {
        // Canaries planted in sensitive places never come out.
        const all = outcome.public.markdown + outcome.public.html
        expect(all).not.toMatch(/CANARY_|canary-/)
        expectFile(path.join(dir, 'output.html'), outcome.public.html)
      }
    })
  }
})
