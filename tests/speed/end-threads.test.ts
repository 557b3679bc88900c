/**
 * A command's processor ends its worker threads once its papers are
 * processed (`endThreads`: an idle thread keeps its heap, about 450 MB at
 * 20,000 papers, through the rendering and the leak check). Threads run the
 * compiled code, so this drives dist/ (`npm test` compiles it first): the
 * papers are processed on threads, and a second run after the threads ended
 * starts new ones and gives the same outcomes.
 */
import fs from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {distPool, root} from '../helpers/dist-pool.js'

describe('a command ends its worker threads when its papers are processed', () => {
  it('processes on threads, ends them, and processes again on new ones with the same outcomes', async () => {
    const {createProcessor, runningWorkerThreads} = await distPool()
    const content = path.join(root, 'content')
    const inputs = fs
      .readdirSync(content)
      .filter((name) => name.endsWith('.md'))
      .sort()
      .map((name) => ({path: path.join(content, name), relativePath: name, bytes: fs.readFileSync(path.join(content, name))}))
    expect(inputs.length).toBeGreaterThan(1)
    const now = new Date('2026-11-30T12:00:00Z')
    // Without: the threads stay (shared by the builds of a long-lived process).
    await createProcessor({workers: 2}).processAll(inputs, now)
    expect(runningWorkerThreads()).toBeGreaterThan(0)
    const processor = createProcessor({workers: 2, endThreads: true})
    const first = await processor.processAll(inputs, now)
    expect(runningWorkerThreads()).toBe(0)
    const second = await processor.processAll(inputs, now)
    expect(runningWorkerThreads()).toBe(0)
    expect(processor.stats.processed).toBe(inputs.length * 2)
    expect(first.map((o) => o.status)).toContain('public')
    expect(second.map((o) => [o.status, o.public?.html])).toEqual(first.map((o) => [o.status, o.public?.html]))
  })
})
