/**
 * Reading the site configuration for a command: `<content>/mopac.config.json`
 * when it exists, MOPAC's defaults when it does not. Flags win over the file.
 * A bad file is printed with every problem at its line and column.
 */
import path from 'node:path'
import {reporter} from '../vendor/index.js'
import {CONFIG_FILE, DEFAULT_CONFIG, parseSiteConfig} from '../config/load.js'
import {FileRefused, readRegularFile} from '../content/source-file.js'
import type {SiteConfig} from '../config/types.js'
import type {CliIo} from './io.js'

export type {SiteConfig}

/** The largest configuration file read (a site's is a few hundred bytes). */
const CONFIG_LIMIT = 1024 * 1024

/**
 * The configuration in force for the content folder `content`, with
 * `baseUrl` (from `--base-url`, already checked) over the file's. Prints the
 * problems and returns undefined when the file is invalid: the caller exits 1
 * and publishes nothing.
 */
export async function loadSiteConfig(content: string, io: CliIo, flags: {baseUrl?: string} = {}): Promise<SiteConfig | undefined> {
  const file = path.join(content, CONFIG_FILE)
  let text: string
  try {
    // Only as a regular file (a pipe there would stop the run for ever), of at most 1 MiB.
    text = Buffer.from(readRegularFile(file, {follow: true, limit: CONFIG_LIMIT})).toString('utf8')
  } catch (error) {
    const code = (error as FileRefused).code
    // No file (or no content folder, which the build reports): the defaults.
    if (code === 'ENOENT' || code === 'ENOTDIR') return withFlags(DEFAULT_CONFIG, flags)
    io.stderr(`${file}: cannot be read (${(error as FileRefused).reason ?? String(error)}): make it a regular file MOPAC can read, or remove it for MOPAC's defaults\n`)
    return undefined
  }
  const result = parseSiteConfig(text, file)
  if (result.file.messages.length > 0) io.stderr(reporter([result.file], {color: io.isTTY}) + '\n')
  if (!result.config) {
    io.stderr(`${file} has errors: nothing is published until they are fixed (see README, "Site configuration").\n`)
    return undefined
  }
  return withFlags(result.config, flags)
}

function withFlags(config: SiteConfig, flags: {baseUrl?: string}): SiteConfig {
  if (flags.baseUrl === undefined) return config
  return {...config, site: {...config.site, baseUrl: flags.baseUrl}}
}
