/**
 * What the red teams of the content folder's reads share
 * (paper-reads.test.ts, listing-and-reads.test.ts): a paper, one with a
 * withheld secret, a content folder of such files, an in-memory command io,
 * the real bin run with a deadline, a FIFO's blocked reader let go.
 */
import {spawn} from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import type {CliIo} from '../../src/cli/io.js'
import {repo} from '../helpers/cli.js'
import {tempDir} from '../helpers/corpus.js'

export const SECRET = 'Zanzibarqux supplier pricing'
export const NOW = '2026-06-01T12:00:00Z'

export const paper = (n: number, body = `Public text about estates number ${n}.`) =>
  `---\nid: PCD ${n}\ntitle: Estates decision ${n}\ndate: "2026-01-10"\nclassification: OFFICIAL\nsummary: Summary of decision ${n}.\n---\n\n${body}\n`
export const secretPaper = paper(1, `Public text about estates.\n\n:::official-sensitive{exemptions="s43"}\n${SECRET}.\n:::`)

/** A content folder `name` of `files` under a new temporary folder, with where its site and state go. */
export function setup(files: Record<string, string> = {'a.md': secretPaper}, name = 'content', prefix = 'mopac-reads-') {
  const root = tempDir(prefix)
  const content = path.join(root, name)
  fs.mkdirSync(content)
  for (const [file, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(content, file)), {recursive: true})
    fs.writeFileSync(path.join(content, file), text)
  }
  return {root, content, out: path.join(root, 'public'), state: path.join(root, 'state')}
}

export const io = (): CliIo & {err: () => string} => {
  let err = ''
  return {stdout: () => {}, stderr: (t) => void (err += t), now: () => new Date(NOW), isTTY: false, env: {}, err: () => err}
}

const bin = path.join(repo, 'bin/mopac.js')

/**
 * The real bin; SIGKILLed when still running after `ms` (then `hung`). With
 * `rss`, its peak memory (maxRSS, MiB) reported at exit (else NaN).
 */
export function runBin(args: string[], ms: number, cwd: string, {rss = false}: {rss?: boolean} = {}): Promise<{code: number | null; hung: boolean; stderr: string; rssMiB: number}> {
  const pre: string[] = []
  if (rss) {
    const hook = path.join(cwd, 'rss-hook.cjs')
    fs.writeFileSync(hook, `process.on('exit', () => process.stderr.write('\\nMAXRSS ' + process.resourceUsage().maxRSS + '\\n'))\n`)
    pre.push('-r', hook)
  }
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...pre, bin, ...args], {cwd, stdio: ['ignore', 'ignore', 'pipe']})
    let stderr = ''
    child.stderr.on('data', (d) => (stderr += d))
    let hung = false
    const timer = setTimeout(() => {
      hung = true
      child.kill('SIGKILL')
    }, ms)
    child.on('exit', (code) => {
      clearTimeout(timer)
      const peak = /MAXRSS (\d+)/.exec(stderr)
      resolve({code, hung, stderr, rssMiB: peak ? Math.round(Number(peak[1]) / 1024) : NaN})
    })
  })
}

/** Lets a reader blocked opening the FIFO go (a writer opens it, writes `text`, closes it: the reader sees EOF). */
export function release(fifo: string, text = ''): void {
  try {
    const fd = fs.openSync(fifo, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK)
    if (text) fs.writeSync(fd, text)
    fs.closeSync(fd)
  } catch {}
}
