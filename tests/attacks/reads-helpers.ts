/**
 * What the red teams of the content folder's reads share
 * (paper-reads.test.ts, listing-and-reads.test.ts): a paper, one with a
 * withheld secret, a content folder of such files, an in-memory command io.
 */
import fs from 'node:fs'
import path from 'node:path'
import type {CliIo} from '../../src/cli/io.js'
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
