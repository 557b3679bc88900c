import type {ParseArgsConfig} from 'node:util'
import type {CliIo} from '../io.js'

/** One subcommand: its help and a function that returns an exit code. */
export interface Command {
  name: string
  summary: string
  usage: string
  help: string
  options: NonNullable<ParseArgsConfig['options']>
  /** Positional arguments allowed (default none). */
  positionals?: boolean
  run(values: Record<string, string | boolean | undefined>, io: CliIo, positionals: string[]): Promise<number>
}
