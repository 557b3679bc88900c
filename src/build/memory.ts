/**
 * A full garbage collection, asked for where much has just become garbage
 * and more is about to be made. V8 sets its next collection by the size the
 * heap had, so garbage left there is not collected before the process has
 * grown by as much again.
 *  - The command, after the leak check of a large site: its index and
 *    readings are garbage once it returns (about 900 MiB of heap at 20,000
 *    papers, little of it still used), and the record of published papers
 *    written next (every paper's body read and encoded, another gigabyte of
 *    short-lived strings) grew a `--no-cache` build of 20,000 papers to
 *    2.5 GiB; collected first, 1.75 GiB. At 4,000 papers: 278 MiB of heap
 *    before, 53 MiB after, in 0.04 s.
 *  - A worker thread, after a paper over 1 MB: its trees stay on the idle
 *    thread's heap while the main thread runs the leak check; a build of one
 *    3 MB paper peaked at 1.0-1.1 GiB, and 0.72-0.81 GiB with this.
 *
 * Node exposes `gc` only with `--expose-gc`; the flag is set here, once, and
 * the function taken from a new context (as Jest's leak detector does). Where
 * that fails, nothing is collected early: only memory depends on it.
 */
import v8 from 'node:v8'
import vm from 'node:vm'

/** The heap in use above which a collection is asked for (below it, the collection costs more than it saves). */
const LARGE = 512 * 2 ** 20

let collect: (() => void) | null | undefined

export function collectIfLarge(threshold = LARGE): void {
  if (v8.getHeapStatistics().used_heap_size < threshold) return
  if (collect === undefined) {
    try {
      v8.setFlagsFromString('--expose-gc')
      collect = vm.runInNewContext('gc') as () => void
      if (typeof collect !== 'function') collect = null
    } catch {
      collect = null
    }
  }
  collect?.()
}
