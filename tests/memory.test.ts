/**
 * The collection the command asks for after the leak check of a large site
 * (src/build/memory.ts): above its threshold it collects what is garbage.
 */
import v8 from 'node:v8'
import {describe, expect, it} from 'vitest'
import {collectIfLarge} from '../src/build/memory.js'

const used = () => v8.getHeapStatistics().used_heap_size

describe('collectIfLarge', () => {
  it('collects the garbage on the heap when the heap in use is above the threshold', () => {
    let garbage: Array<{i: number; s: string}> | undefined = []
    for (let i = 0; i < 1_000_000; i++) garbage.push({i, s: `item ${i}`})
    garbage = undefined
    const before = used()
    collectIfLarge(0)
    // About 60 MiB of objects no longer reachable: most of it is gone.
    expect(before - used()).toBeGreaterThan(30 * 2 ** 20)
  })

  it('does nothing below the threshold', () => {
    expect(() => collectIfLarge(Number.MAX_SAFE_INTEGER)).not.toThrow()
  })
})
