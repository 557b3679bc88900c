/**
 * The leak check's heap watch (src/verify/heap.ts) collects only when the
 * heap is large and has grown by what was live after the last collection,
 * or by a fixed headroom, whichever is less.
 */
import {describe, expect, it} from 'vitest'
import {heapWatch} from '../../src/verify/heap.js'

describe('heapWatch', () => {
  it('collects over the threshold, then only when the heap has doubled since', () => {
    let heap = 100
    let runs = 0
    const watch = heapWatch(500, () => heap, () => () => {
      runs++
      heap = Math.round(heap * 0.6)
    })
    watch.check()
    expect(runs).toBe(0)
    heap = 600
    watch.check()
    expect(runs).toBe(1)
    expect(heap).toBe(360)
    heap = 700
    watch.check()
    expect(runs).toBe(1)
    heap = 720
    watch.check()
    expect(runs).toBe(2)
    expect(watch.collections()).toBe(2)
  })

  it('collects a large live heap once it has grown by the headroom, not only when it has doubled', () => {
    let heap = 1000
    let runs = 0
    const watch = heapWatch(500, () => heap, () => () => {
      runs++
      heap = 900
    }, 300)
    watch.check()
    expect(runs).toBe(1)
    heap = 1150
    watch.check()
    expect(runs).toBe(1)
    heap = 1200
    watch.check()
    expect(runs).toBe(2)
  })

  it('does nothing where the collector cannot be had', () => {
    const watch = heapWatch(1, () => 10, () => null)
    watch.check()
    expect(watch.collections()).toBe(0)
  })

  it('runs the real collector on a real heap', () => {
    const watch = heapWatch(1)
    watch.check()
    expect(watch.collections()).toBe(1)
  })
})
