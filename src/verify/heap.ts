/**
 * A full garbage collection when the heap has grown well past what was live
 * at the last one. Why: the check of a large site makes gigabytes of
 * short-lived text (every source and output file, cut into words), and V8
 * lets the heap grow far before it collects on a machine with memory to
 * spare: `mopac verify` alone at 20,000 papers peaked anywhere from 1.2 to
 * 2.3 GiB from run to run, with about 700 MiB live throughout (measured
 * phase by phase). Asked for every so often, a collection happens only
 * when the heap is over 512 MiB and has grown by as much as was live after
 * the last one, or by 384 MiB, whichever is less, so a small site and a
 * heap V8 keeps down pay nothing. Why the 384 MiB: in a build of 20,000
 * papers the check's index is some 900 MiB live while it reads the site,
 * and twice that, with the process's other memory, is over the 2 GiB a
 * build is held to (2.1-2.4 GiB in a sixth session's runs).
 *
 * The leak check shares no code with the build, so this is its own copy of
 * the idea of src/build/memory.ts. Node exposes `gc` only with
 * `--expose-gc`; the flag is set here, once, and the function taken from a
 * new context. Where that fails, nothing is collected early: only memory
 * depends on it.
 */
import v8 from 'node:v8'
import vm from 'node:vm'

const LARGE = 512 * 2 ** 20
const GROWTH = 2
const HEADROOM = 384 * 2 ** 20

let collect: (() => void) | null | undefined

function gc(): (() => void) | null {
  if (collect === undefined) {
    try {
      v8.setFlagsFromString('--expose-gc')
      collect = vm.runInNewContext('gc') as () => void
      if (typeof collect !== 'function') collect = null
    } catch {
      collect = null
    }
  }
  return collect
}

/**
 * A watch over one check's heap: `check()` every so often collects when the
 * heap has grown as above. (`used` and `collect` are the heap's, unless a
 * test gives its own.)
 */
export function heapWatch(large = LARGE, used: () => number = () => v8.getHeapStatistics().used_heap_size, collectNow: () => (() => void) | null = gc, headroom = HEADROOM): {check: () => void; collections: () => number} {
  let live = 0
  let collections = 0
  return {
    check() {
      const now = used()
      if (now < large || (live > 0 && now < Math.min(live * GROWTH, live + headroom))) return
      const run = collectNow()
      if (!run) return
      run()
      collections++
      live = used()
    },
    collections: () => collections
  }
}
