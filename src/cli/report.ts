/** Printing messages with vfile-reporter. */
import {reporter} from 'vfile-reporter'
import {messageFiles, type BuildResult} from '../build/build.js'
import type {CliIo} from './io.js'

/** Print every message of a run, all at once. Returns whether any is an error. */
export function printMessages(result: Pick<BuildResult, 'outcomes' | 'problems'>, io: CliIo, contentLabel: string): boolean {
  const files = messageFiles(result, contentLabel)
  if (files.length > 0) io.stderr(reporter(files, {color: io.isTTY}) + '\n')
  return files.some((f) => f.messages.some((m) => m.fatal))
}
