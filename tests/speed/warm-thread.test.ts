/**
 * A command's processor starts a worker thread before the papers are read
 * (`warm`), so that a one-paper build does not wait for a thread to load
 * the pipeline. The warm thread must then be the one that processes the
 * paper: a command reads its papers synchronously, so the thread's empty
 * warm-up batch is still waiting to be sent when the first real batch
 * comes, and Piscina used to start a second thread for that batch, which
 * the build waited for while the warm one sat idle. Threads run the
 * compiled code, so this drives dist/ (`npm test` compiles it first).
 */
import fs from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {distPool, root} from '../helpers/dist-pool.js'

describe('the warm worker thread', () => {
  it('processes the first paper: no second thread is started for it', async () => {
    const {createProcessor, runningWorkerThreads} = await distPool()
    expect(runningWorkerThreads()).toBe(0)
    const content = path.join(root, 'content')
    const name = fs.readdirSync(content).filter((file) => file.endsWith('.md')).sort()[0]
    const input = {path: path.join(content, name), relativePath: name, bytes: fs.readFileSync(path.join(content, name))}
    // As a command does: the processor is made, and the paper handed over
    // before this thread's event loop has turned.
    const processor = createProcessor({workers: 2, warm: true})
    const [outcome] = await processor.processAll([input], new Date('2026-11-30T12:00:00Z'))
    expect(processor.stats.processed).toBe(1)
    expect(outcome.messages.filter((m) => m.fatal)).toEqual([])
    expect(runningWorkerThreads()).toBe(1)
  })
})
