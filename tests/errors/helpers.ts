/** Run `main()` in this process on papers written to a temporary content folder. */
import fs from 'node:fs'
import path from 'node:path'
import {main} from '../../src/cli/index.js'
import {tempDir} from '../helpers/corpus.js'

export interface Run {
  code: number
  stdout: string
  stderr: string
  content: string
}

/** `mopac <args>` with a fake terminal: stderr a TTY or not, and the environment given. */
export async function mopac(args: string[], options: {isTTY?: boolean; env?: Record<string, string | undefined>} = {}): Promise<Omit<Run, 'content'>> {
  let stdout = ''
  let stderr = ''
  const io = {
    stdout: (text: string) => void (stdout += text),
    stderr: (text: string) => void (stderr += text),
    now: () => new Date('2026-11-25T12:00:00Z'),
    isTTY: options.isTTY ?? false,
    env: options.env ?? {}
  }
  const code = await main(args, io)
  return {code, stdout, stderr}
}

/** `mopac check` (or another command) on a content folder holding `papers` (name to text). */
export async function check(papers: Record<string, string>, options: {command?: string; args?: string[]; isTTY?: boolean; env?: Record<string, string | undefined>} = {}): Promise<Run> {
  const dir = tempDir('mopac-errors-')
  const content = path.join(dir, 'content')
  fs.mkdirSync(content)
  for (const [name, text] of Object.entries(papers)) fs.writeFileSync(path.join(content, name), text)
  const command = options.command ?? 'check'
  const extra = command === 'check' ? [] : ['--out', path.join(dir, 'public')]
  const result = await mopac([command, '--content', content, '--state', path.join(dir, 'state'), '--no-cache', ...extra, ...(options.args ?? [])], options)
  return {...result, content}
}

/** A paper with the given frontmatter lines (after the required keys) and body. */
export function paper(body: string, frontmatter = '', classification = 'OFFICIAL'): string {
  return `---\nid: PCD 7\ntitle: A paper\ndate: "2020-02-02"\nclassification: ${classification}\n${frontmatter}---\n\n${body}`
}

/** The one-line form of a problem: `file:line:column: error: reason  [rule-id]`. */
export const PROBLEM_LINE = /^(?<file>[^\s:][^:]*):(?<line>\d+):(?<column>\d+): (?<kind>error|warning): (?<reason>\S.*?)  \[(?<rule>[a-z0-9]+(?:-[a-z0-9]+)*)\]$/

/** The problem lines of a report. */
export function problemLines(stderr: string): string[] {
  return stderr.split('\n').filter((line) => PROBLEM_LINE.test(line))
}
