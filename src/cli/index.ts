/**
 * The command line: argv in, exit code out. The clock, the environment and
 * the streams are read here and passed down; nothing below calls process.exit.
 */
import {parseArgs} from 'node:util'
import {buildCommand} from './commands/build.js'
import {checkCommand} from './commands/check.js'
import {releaseCommand} from './commands/release.js'
import {scheduleCommand} from './commands/schedule.js'
import {verifyCommand} from './commands/verify.js'
import {previewCommand} from './commands/preview.js'
import {reportCommand} from './commands/report.js'
import {newCommand} from './commands/new.js'
import {importCommand} from './commands/import.js'
import type {Command} from './commands/types.js'
import {EXIT, exitCodesHelp} from './exit.js'
import {UsageError, type CliIo} from './io.js'

export const commands: Command[] = [buildCommand, checkCommand, releaseCommand, scheduleCommand, verifyCommand, previewCommand, reportCommand, newCommand, importCommand]

function mainHelp(): string {
  const width = Math.max(...commands.map((c) => c.name.length))
  return `mopac: publish MOPAC decision papers with sensitive material removed

Usage: mopac <command> [options]

Commands:
${commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

Run \`mopac <command> --help\` for a command's options.

${exitCodesHelp}
`
}

function commandHelp(command: Command): string {
  return `Usage: ${command.usage}\n\n${command.summary}.\n\n${command.help}\n\n${exitCodesHelp}\n`
}

export async function main(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(mainHelp())
    return name === undefined ? EXIT.usage : EXIT.ok
  }
  if (name === '--version' || name === '-v') {
    const {version} = await import('../build/version.js')
    io.stdout(version + '\n')
    return EXIT.ok
  }
  const command = commands.find((c) => c.name === name)
  if (!command) {
    io.stderr(`Unknown command \`${name}\`: run \`mopac --help\` for the list of commands\n`)
    return EXIT.usage
  }
  try {
    const {values, positionals} = parseArgs({
      args: rest,
      options: {...command.options, help: {type: 'boolean', short: 'h'}},
      allowPositionals: command.positionals ?? false,
      strict: true
    })
    if (values.help) {
      io.stdout(commandHelp(command))
      return EXIT.ok
    }
    return await command.run(values as Record<string, string | boolean | undefined>, io, positionals)
  } catch (error) {
    const code = (error as {code?: string}).code
    if (error instanceof UsageError || (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS'))) {
      io.stderr(`${(error as Error).message}\nRun \`mopac ${command.name} --help\` for usage.\n`)
      return EXIT.usage
    }
    throw error
  }
}
