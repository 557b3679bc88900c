/**
 * Runs before each test file (vitest.config.ts `setupFiles`). Test files
 * share worker processes (`isolate: false`), so whatever a file sets in
 * process.env, such as a TZ to run in New York time, is put back when the
 * file ends, before the next file in the same process starts.
 */
import {afterAll} from 'vitest'

const before = {...process.env}

afterAll(() => {
  for (const key of Object.keys(process.env)) if (!(key in before)) delete process.env[key]
  for (const [key, value] of Object.entries(before)) if (process.env[key] !== value) process.env[key] = value
})
