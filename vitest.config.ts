import {defineConfig} from 'vitest/config'

export default defineConfig({
  plugins: [
    {
      // Why: Vite resolves packages with the `development` condition when not
      // building for production, so under vitest micromark and
      // mdast-util-from-markdown loaded their dev/ builds: every token
      // passed through `debug()` and devlop's assertions of micromark's own
      // invariants, about three times the parsing cost of the builds
      // bin/mopac.js loads (Node's default conditions). With the condition
      // dropped, tests run the same code as the command; vitest passes the
      // remaining conditions (`node`) to its workers' --conditions.
      name: 'node-conditions',
      configEnvironment(_name, config) {
        const conditions = config.resolve?.conditions
        if (conditions) config.resolve!.conditions = conditions.filter((c) => c !== 'development|production' && c !== 'development')
      }
    }
  ],
  test: {
    include: ['tests/**/*.test.ts'],
    exclude: ['tests/browser/**', 'node_modules/**'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    // Why: on a 2-core machine vitest's default is one worker (cores - 1);
    // most files wait on child processes, Java or the disk part of the time,
    // so two keep both cores busy.
    maxWorkers: 2,
    // Why: with fewer kept than started, a worker left idle near the end is
    // shut down by a timer whose failure nobody awaits (tinypool 1.1); with
    // shared workers (isolate: false) that surfaced as an unhandled
    // "Terminating worker thread" and exit 1 after every test had passed.
    minWorkers: 2,
    // Why: a fresh process per file loaded the whole pipeline (unified,
    // micromark, the site) again for each of about 90 files, a third of the
    // run. Files share their worker's modules instead; no test mocks a
    // module, and tests/helpers/restore-env.ts puts back what a file sets in
    // process.env.
    isolate: false,
    setupFiles: ['tests/helpers/restore-env.ts'],
    globalSetup: ['tests/helpers/global-tmp.ts']
  }
})
