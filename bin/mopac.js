#!/usr/bin/env node
// The `mopac` command: the only place that touches process.exit.
import {main} from '../dist/cli/index.js'

const io = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  now: () => new Date(),
  isTTY: Boolean(process.stderr.isTTY),
  env: process.env
}

main(process.argv.slice(2), io).then(
  (code) => {
    process.exitCode = code
  },
  (error) => {
    process.stderr.write(`mopac: unexpected failure (a bug; nothing was published):\n${error?.stack ?? error}\n`)
    process.exitCode = 70
  }
)
