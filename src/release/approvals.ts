/**
 * The approvals file: `approvals.jsonl` in the content folder, one JSON line
 * per approval, appended and never rewritten, so it travels in git with the
 * papers and its history is the review's. Read and appended here (the edge);
 * what an approval means is src/publish/approvals.ts.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import {FileRefused, readRegularFile} from '../content/source-file.js'
import {approvalSchema, parseApprovals, type Approval, type ApprovalProblem} from '../publish/approvals.js'

export const APPROVALS_FILE = 'approvals.jsonl'

export class ApprovalsFileError extends Error {}

/** The largest approvals file read (a line is a few hundred bytes: a million approvals). */
const APPROVALS_LIMIT = 256 * 1024 * 1024

export function approvalsPath(content: string): string {
  return path.join(content, APPROVALS_FILE)
}

/** Every valid approval in the content folder's file (none when there is no file), and the lines that approve nothing. */
export async function readApprovals(content: string): Promise<{records: Approval[]; problems: ApprovalProblem[]}> {
  let text: string
  try {
    if ((await fs.lstat(approvalsPath(content))).isSymbolicLink()) {
      // As papers are: read only as a regular file inside the content folder.
      return {records: [], problems: [{line: 1, reason: 'the file is a symbolic link: it approves nothing (replace it with the file itself)'}]}
    }
    text = Buffer.from(readRegularFile(approvalsPath(content), {limit: APPROVALS_LIMIT})).toString('utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {records: [], problems: []}
    // A pipe, a folder, a file that cannot be read: it approves nothing (a pipe is never waited on).
    if (error instanceof FileRefused) return {records: [], problems: [{line: 1, reason: `the file cannot be read (${error.reason}): it approves nothing (make it a regular file)`}]}
    throw error
  }
  return parseApprovals(text)
}

/**
 * Append one approval in a single write (O_APPEND), after ending a torn last
 * line, so concurrent approvers never interleave within a line.
 */
export async function appendApproval(content: string, approval: Approval): Promise<void> {
  const record = approvalSchema.parse(approval)
  const file = approvalsPath(content)
  const link = await fs.lstat(file).then((stat) => stat.isSymbolicLink(), () => false)
  if (link) throw new ApprovalsFileError(`${file} is a symbolic link: approvals are written only to a regular file inside the content folder. Replace the link with the file itself`)
  let prefix = ''
  try {
    const text = Buffer.from(readRegularFile(file, {limit: APPROVALS_LIMIT})).toString('utf8')
    if (text.length > 0 && !text.endsWith('\n')) prefix = '\n'
  } catch (error) {
    if ((error as FileRefused).code === 'ENOENT') {
      // None yet: made by the append.
    } else if (error instanceof FileRefused) throw new ApprovalsFileError(`${file} cannot be read (${error.reason}): approvals are written only to a regular file inside the content folder`)
    else throw error
  }
  await fs.appendFile(file, prefix + JSON.stringify(record) + '\n', {encoding: 'utf8', flag: 'a'})
}
