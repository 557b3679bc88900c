/**
 * A run that writes a site, stopped by SIGINT, SIGTERM or SIGHUP (Ctrl+C, a
 * cron `timeout`, a closed terminal): the staging folders it is filling and
 * the old site it is removing go at once, no stage is made or swapped in
 * after, and it stops as the signal would have stopped it. Why: a stage is filled while
 * pages are made, and half a site, never checked, must not be left beside
 * --out until the next run. (--out and the release log are untouched either
 * way: the swap is two renames, and the next run repairs one cut between.)
 */
import {stopStaging} from '../build/write.js'

/** Run `work` with that handling; the handlers go when it ends. */
export async function removingStagesOnStop<T>(work: () => Promise<T>): Promise<T> {
  // SIGHUP too: a terminal or SSH session closed under a run.
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const
  const off = () => {
    for (const signal of signals) process.off(signal, stop)
  }
  function stop(signal: NodeJS.Signals): void {
    stopStaging()
    off()
    // With no handler of ours left, the signal ends the process (as it would
    // have; a library's own exit handler, such as the lock's, runs first).
    // Until it does, no stage is made or swapped in (stopStaging).
    process.kill(process.pid, signal)
  }
  for (const signal of signals) process.on(signal, stop)
  try {
    return await work()
  } finally {
    off()
  }
}
