#!/usr/bin/env node
/**
 * Bundle `dist/vendor/index.js` (the third-party modules the build loads,
 * gathered in src/vendor/index.ts) into one file, in place, after `tsc`:
 *
 *   node scripts/bundle-vendor.js
 *
 * Why: Node reads, resolves and compiles each of the packages' hundreds of
 * files at every start of the command and of each worker thread (about
 * 0.3 s); one file loads in about 0.08 s. The npm scripts that compile
 * (`prepare`, `test`, `test:browser`, `bench`) run this after `tsc`.
 * Without it the module is the same code, loaded file by file.
 *
 * The bundle resolves packages as Node does for the command (the `node` and
 * `import` conditions, never `development`, whose builds of micromark check
 * every token), and is written beside the module then renamed over it.
 * Running it twice does nothing the second time.
 */
import fs from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)))
const target = path.join(root, 'dist', 'vendor', 'index.js')
const MARK = '// mopac: bundled by scripts/bundle-vendor.js'

if (!fs.existsSync(target)) {
  console.error(`bundle-vendor: ${path.relative(root, target)} is missing: run \`tsc -p tsconfig.build.json\` first`)
  process.exit(1)
}
if (fs.readFileSync(target, 'utf8').startsWith(MARK)) process.exit(0)

let build
try {
  ;({build} = await import('esbuild'))
} catch {
  // (Installed without the dev dependencies: the module works unbundled, only slower to load.)
  console.error('bundle-vendor: esbuild is not installed; dist/vendor/index.js is left unbundled (the same code, slower to start)')
  process.exit(0)
}

const temp = `${target}.${process.pid}.tmp.js`
try {
  await build({
    entryPoints: [target],
    outfile: temp,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    conditions: ['node', 'import', 'default'],
    // CommonJS packages in the bundle (gray-matter) call `require` for Node's own modules.
    banner: {js: `${MARK}\nimport {createRequire as __mopacCreateRequire} from 'node:module';\nconst require = __mopacCreateRequire(import.meta.url);`},
    legalComments: 'inline',
    logLevel: 'warning'
  })
  fs.renameSync(temp, target)
} finally {
  fs.rmSync(temp, {force: true})
}
