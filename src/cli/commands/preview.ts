/** `mopac preview`: the reviewer preview server; runs until interrupted, writes nothing. */
import {isLoopback, tokenProblem} from '../../preview/security.js'
import {formatLondonInstant} from '../../time/london.js'
import {EXIT} from '../exit.js'
import {UsageError, type CliIo} from '../io.js'
import {baseUrlOption, contentOption, outOption, resolveBaseUrl, resolveNow, stateOption} from '../options.js'
import {loadSiteConfig} from '../config.js'
import type {Command} from './types.js'
import path from 'node:path'

/** Resolves on the first SIGINT or SIGTERM. */
function interrupted(): Promise<string> {
  return new Promise((resolve) => {
    const on = (signal: string) => {
      process.off('SIGINT', on)
      process.off('SIGTERM', on)
      resolve(signal)
    }
    process.on('SIGINT', on)
    process.on('SIGTERM', on)
  })
}

export const previewCommand: Command = {
  name: 'preview',
  summary: 'Start the reviewer preview: every paper, sensitive material marked, beside its public rendering',
  usage: 'mopac preview [--content DIR] [--port N] [--host ADDR] [--at ISO] [--token T]',
  help: `Starts a local web server for reviewers. It lists every paper whatever its
status (public, deferred, withheld whole or invalid), and shows each paper with
its sensitive material outlined and labelled, beside the exact public
rendering, with the redaction report and any errors. Pages update when a
paper is saved. Writes nothing; stop it with Ctrl+C.

Pages show unredacted OFFICIAL-SENSITIVE material. The server listens on
127.0.0.1 only, unless --host says otherwise; then it requires a token.

Options:
  --content DIR   folder of papers (default: content)
  --port N        port to listen on (default: 4321; 0 picks a free port)
  --host ADDR     address to listen on (default: 127.0.0.1). Any address
                  other than loopback requires a token
  --at ISO        show statuses as at this instant (default: the current
                  time); without an offset it is London time
  --token T       the access token (16 or more letters, digits, . _ ~ -);
                  without it, one is generated when a token is required
  --out DIR       the live site folder, as given to build (default: public)
  --state DIR     the state folder, as given to build (default: .mopac):
                  its release log dates the public pages as the build does
  --base-url URL  as given to build (wins over the config file)`,
  options: {
    ...contentOption,
    port: {type: 'string', default: '4321'},
    host: {type: 'string', default: '127.0.0.1'},
    at: {type: 'string'},
    token: {type: 'string'},
    ...outOption,
    ...stateOption,
    ...baseUrlOption
  },
  async run(values, io: CliIo) {
    const content = values.content as string
    const host = values.host as string
    const portText = values.port as string
    if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65535) throw new UsageError(`Invalid --port \`${portText}\`: give a number from 0 to 65535`)
    const at = values.at === undefined ? undefined : resolveNow(values.at as string, io, '--at')
    const token = values.token as string | undefined
    if (token !== undefined) {
      const problem = tokenProblem(token)
      if (problem) throw new UsageError(`Invalid --token: ${problem}`)
    }
    // The preview renders papers only, but a bad site configuration is reported here too.
    const config = await loadSiteConfig(content, io, {baseUrl: resolveBaseUrl(values['base-url'] as string | undefined)})
    if (!config) return EXIT.content
    const state = values.state as string
    // Loaded here: the server and the file watcher are needed by this command only.
    const {PreviewError, startPreview} = await import('../../preview/server.js')
    let preview
    try {
      preview = await startPreview({
        content,
        host,
        port: Number(portText),
        at,
        now: io.now,
        token,
        // The build's cache, read only.
        cacheDir: path.join(state, 'cache'),
        // As the build renders pages: the same configuration, release log and live site.
        site: {config, baseUrl: config.site.baseUrl, state, out: values.out as string},
        approvals: {required: config.approvals},
        log: (line) => io.stderr(line + '\n')
      })
    } catch (error) {
      if (error instanceof PreviewError) {
        io.stderr(error.message + '\n')
        return error.message.startsWith('Content folder') ? EXIT.content : EXIT.usage
      }
      throw error
    }
    const stop = interrupted()
    io.stdout(`Reviewer preview of ${content}${at ? ` as at ${formatLondonInstant(at)}` : ''}: ${preview.openUrl}\n`)
    if (preview.token) {
      io.stdout(
        `Access token required${token ? '' : ` (generated: ${preview.token})`}. Open the address above once; it sets a cookie and drops the token from the address.\n`
      )
    }
    if (!isLoopback(host)) io.stderr(`Warning: listening on ${host}: anyone who can reach it and has the token can read unredacted papers.\n`)
    io.stderr('Pages show OFFICIAL-SENSITIVE material: not for publication. Press Ctrl+C to stop.\n')
    const started = performance.now()
    preview.ready.then(
      () => {
        const of = (s: string) => preview.store.views().filter((o) => o.status === s).length
        io.stderr(
          `Ready: ${preview.store.total} papers (${of('public')} public, ${of('deferred')} deferred, ${of('withheld')} withheld whole, ${of('invalid')} invalid) in ${((performance.now() - started) / 1000).toFixed(1)} s.\n`
        )
      },
      () => {}
    )
    await stop
    await preview.close()
    io.stderr('Preview stopped.\n')
    return EXIT.ok
  }
}
