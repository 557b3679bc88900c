/** `mopac preview` from the command line: prints its address, serves, stops on SIGINT with exit 0; usage errors. */
import {describe, expect, it} from 'vitest'
import {main} from '../../src/cli/index.js'
import type {CliIo} from '../../src/cli/io.js'
import {tempContent, until} from './helpers.js'

function io(): CliIo & {out: string; err: string} {
  const captured = {out: '', err: ''}
  return Object.assign(captured, {
    stdout: (text: string) => void (captured.out += text),
    stderr: (text: string) => void (captured.err += text),
    now: () => new Date('2026-06-01T12:00:00Z'),
    isTTY: false,
    env: {}
  })
}

describe('mopac preview', () => {
  it('prints its address, serves until SIGINT, then exits 0', async () => {
    const temp = tempContent()
    const out = io()
    const sigintBefore = process.listenerCount('SIGINT')
    try {
      const running = main(['preview', '--content', temp.content, '--port', '0', '--at', '2026-06-01T13:00'], out)
      await until(() => /http:\/\/127\.0\.0\.1:\d+\//.test(out.out))
      const url = /(http:\/\/127\.0\.0\.1:\d+\/)/.exec(out.out)![1]
      expect(out.out).toContain('as at 1 June 2026')
      await until(() => out.err.includes('Ready: 4 papers (1 public, 1 deferred, 1 withheld whole, 1 invalid)'))
      const res = await fetch(url)
      expect(res.status).toBe(200)
      expect(await res.text()).toContain('set with --at')
      process.emit('SIGINT' as never)
      expect(await running).toBe(0)
      expect(process.listenerCount('SIGINT')).toBe(sigintBefore)
      await expect(fetch(url)).rejects.toThrow()
    } finally {
      temp.cleanup()
    }
  })

  it('generates and prints a token off loopback', async () => {
    const temp = tempContent()
    const out = io()
    try {
      // 0.0.0.0 is not loopback: a token is required (the test only talks to it on 127.0.0.1).
      const running = main(['preview', '--content', temp.content, '--port', '0', '--host', '0.0.0.0'], out)
      await until(() => out.out.includes('?token='))
      const token = /\?token=([A-Za-z0-9_-]+)/.exec(out.out)![1]
      expect(out.out).toContain(`generated: ${token}`)
      expect(out.err).toContain('Warning: listening on 0.0.0.0')
      const port = /:(\d+)\/\?token=/.exec(out.out)![1]
      expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(401)
      expect((await fetch(`http://127.0.0.1:${port}/?token=${token}`, {redirect: 'manual'})).status).toBe(303)
      process.emit('SIGTERM' as never)
      expect(await running).toBe(0)
    } finally {
      temp.cleanup()
    }
  })

  it('rejects bad options', async () => {
    const out = io()
    expect(await main(['preview', '--port', 'abc'], out)).toBe(2)
    expect(out.err).toContain('Invalid --port')
    expect(await main(['preview', '--token', 'short'], out)).toBe(2)
    expect(out.err).toContain('Invalid --token')
    expect(await main(['preview', '--at', 'tomorrow'], out)).toBe(2)
    expect(out.err).toContain('Invalid --at')
    expect(await main(['preview', '--content', 'tests/preview/fixtures/content', '--port', '0', '--host', 'no-such-host.invalid'], out)).toBe(2)
    expect(out.err).toContain('Cannot listen on no-such-host.invalid')
    expect(await main(['preview', '--content', '/nonexistent/folder', '--port', '0'], out)).toBe(1)
    expect(out.err).toContain('does not exist')
  })
})
