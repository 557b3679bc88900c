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
import {approveCommand} from './commands/approve.js'
import type {Command} from './commands/types.js'
import {closest, didYouMean} from '../content/suggest.js'
import {EXIT, exitCodesHelp} from './exit.js'
import {UsageError, type CliIo} from './io.js'
import {parseReporter, reporterHelp} from './report.js'

export const commands: Command[] = [buildCommand, checkCommand, releaseCommand, scheduleCommand, verifyCommand, previewCommand, reportCommand, newCommand, importCommand, approveCommand]

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
  const help = 'reporter' in command.options ? `${command.help}\n${reporterHelp}` : command.help
  return `Usage: ${command.usage}\n\n${command.summary}.\n\n${help}\n\n${exitCodesHelp}\n`
}

/**
 * parseArgs' "Unknown option '--contnet'", said our way: the nearest option
 * of the command, or else the commands the option belongs to.
 */
function unknownOption(error: Error, command: Command): string {
  const option = /Unknown option '([^']+)'/.exec(error.message)?.[1]
  if (option === undefined) return error.message
  const flags = Object.entries({...command.options, help: {short: 'h'}}).flatMap(([name, spec]) => [`--${name}`, ...('short' in spec && spec.short ? [`-${spec.short}`] : [])])
  const suggestion = option.startsWith('--') ? closest(option, flags.filter((flag) => flag.startsWith('--'))) : undefined
  const elsewhere = commands.filter((other) => other !== command && option.startsWith('--') && option.slice(2) in other.options).map((other) => `\`mopac ${other.name}\``)
  const others = suggestion === undefined && elsewhere.length > 0 ? ` (it is an option of ${elsewhere.join(', ')})` : ''
  return `Unknown option \`${option}\` for \`mopac ${command.name}\`${didYouMean(suggestion)}${others}`
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
    const suggestion = closest(name, commands.map((c) => c.name))
    io.stderr(`Unknown command \`${name}\`${didYouMean(suggestion, (s) => `mopac ${s}`)}: run \`mopac --help\` for the list of commands\n`)
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
    // Checked before the run, so a mistyped reporter costs no build.
    if ('reporter' in command.options) parseReporter((values as Record<string, unknown>).reporter)
    return await command.run(values as Record<string, string | boolean | undefined>, io, positionals)
  } catch (error) {
    // A paper changed on disk while the run used the version it read, or
    // refused whole (too large): src/content/source-file.ts, the leak
    // check's own. Nothing was published.
    if ((error as {changedDuringRun?: unknown})?.changedDuringRun === true) {
      io.stderr(`${(error as Error).message}\n`)
      return EXIT.content
    }
    const code = (error as {code?: string}).code
    if (error instanceof UsageError || (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS'))) {
      const message = code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ? unknownOption(error as Error, command) : (error as Error).message
      io.stderr(`${message}\nRun \`mopac ${command.name} --help\` for usage.\n`)
      return EXIT.usage
    }
    throw error
  }
}
