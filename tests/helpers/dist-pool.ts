/**
 * The compiled worker pool (dist/build/pool.js), for tests of the worker
 * threads: threads run the compiled code, which `npm test` builds before
 * vitest runs. Each test file that imports it gets its own module, so its
 * own pool.
 */
import fs from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {expect} from 'vitest'
import type * as Pool from '../../src/build/pool.js'

/** The repository's root folder. */
export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..')

/** The compiled pool module, after checking it was built. */
export async function distPool(): Promise<typeof Pool> {
  const dist = path.join(root, 'dist', 'build', 'pool.js')
  expect(fs.existsSync(dist), 'dist/ is built by npm test before vitest runs').toBe(true)
  return (await import(dist)) as typeof Pool
}
