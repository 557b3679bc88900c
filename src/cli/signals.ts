/**
 * A run that writes a site, stopped by SIGINT or SIGTERM (Ctrl+C, a cron
 * `timeout`): the staging folders it is filling are removed at once, then it
 * stops as the signal would have stopped it. Why: a stage is filled while
 * pages are made, and half a site, never checked, must not be left beside
 * --out until the next run. (--out and the release log are untouched either
 * way: the swap is two renames, and the next run repairs one cut between.)
 */
import {discardStagesSync} from '../build/write.js'

/** Run `work` with that handling; the handlers go when it ends. */
export async function removingStagesOnStop<T>(work: () => Promise<T>): Promise<T> {
  const signals = ['SIGINT', 'SIGTERM'] as const
  const off = () => {
    for (const signal of signals) process.off(signal, stop)
  }
  function stop(signal: NodeJS.Signals): void {
    discardStagesSync()
    off()
    // With no handler left, the signal does what it does by default: end the process.
    process.kill(process.pid, signal)
  }
  for (const signal of signals) process.on(signal, stop)
  try {
    return await work()
  } finally {
    off()
  }
}
