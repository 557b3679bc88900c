/**
 * Checks the deployment examples in examples/ (cron, systemd, GitHub Actions).
 *
 * They are configuration, not code, so this test checks that each one parses,
 * that it has the keys a deployment depends on, and that the pieces agree
 * (for example, the directory rsync publishes is the one the release writes).
 * The crontab command is also run with stub `npx` and `rsync` commands, to
 * prove that the publish step happens after exit 0 and 5 only, and that exit
 * 5 still ends the job non-zero, after publishing. The workflow's shell steps
 * are run the same way: the Release step with a stub `npx`, the log steps
 * against a local bare repository standing in for `origin`, and the last step
 * on a sample summary. The systemd ExecStopPost= check is run with each
 * $EXIT_STATUS.
 *
 * `systemd-analyze verify` runs when it is on PATH, and is skipped otherwise.
 * verify fails a unit whose ExecStart/ExecStartPost program does not exist on
 * the machine running it (for example, /usr/bin/rsync on a build box). So the
 * units are copied to a temporary directory and the program of every Exec*=
 * line is replaced with /bin/true, keeping the arguments. What gets verified
 * is the unit syntax and settings, not what happens to be installed here.
 * The test separately asserts that the real programs are absolute paths.
 * verify exits 0 even for some problems (such as an unknown key), so any
 * line it prints about our units also fails the test. Lines about other
 * units on the host are ignored.
 */
import {spawnSync} from 'node:child_process'
import {chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join, resolve} from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {parse as parseYaml} from 'yaml'

const examples = resolve(import.meta.dirname, '..', 'examples')
const read = (rel: string): string => readFileSync(join(examples, rel), 'utf8')

const tempDirs: string[] = []
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mopac-examples-'))
  tempDirs.push(dir)
  return dir
}
afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, {recursive: true, force: true})
})

// --- cron expressions --------------------------------------------------------

const cronRanges: Array<[number, number]> = [[0, 59], [0, 23], [1, 31], [1, 12], [0, 7]]

/** One cron field: `*`, `n`, `a-b`, each optionally `/step`, comma-separated. */
function validCronField(field: string, min: number, max: number): boolean {
  return field.split(',').every((part) => {
    const m = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part)
    if (!m) return false
    const [, , lo, hi, step] = m
    const inRange = (v: string | undefined) => v === undefined || (Number(v) >= min && Number(v) <= max)
    if (!inRange(lo) || !inRange(hi)) return false
    if (lo !== undefined && hi !== undefined && Number(lo) > Number(hi)) return false
    return step === undefined || Number(step) >= 1
  })
}

function validCron(expr: string): boolean {
  const fields = expr.trim().split(/\s+/)
  return fields.length === 5 && fields.every((f, i) => validCronField(f, ...cronRanges[i]))
}

describe('cron field validator', () => {
  it('accepts valid and rejects invalid expressions', () => {
    expect(validCron('*/5 * * * *')).toBe(true)
    expect(validCron('0,30 9-17 * 1-12 1-5')).toBe(true)
    expect(validCron('*/5 * * *')).toBe(false)
    expect(validCron('60 * * * *')).toBe(false)
    expect(validCron('*/0 * * * *')).toBe(false)
    expect(validCron('@hourly')).toBe(false)
  })
})

// --- GitHub Actions ------------------------------------------------------------

interface Step {
  name?: string
  id?: string
  if?: string
  uses?: string
  run?: string
  with?: Record<string, unknown>
}
interface Workflow {
  on: {schedule?: Array<{cron: string}>; workflow_dispatch?: unknown}
  concurrency?: {group?: string; 'cancel-in-progress'?: boolean}
  permissions?: Record<string, string>
  jobs: Record<string, {permissions?: Record<string, string>; steps: Step[]}>
}

/** Runs a workflow `run:` script as GitHub does on Linux when no shell is given (`bash -e`). */
function runStep(script: string, cwd: string, env: Record<string, string>) {
  return spawnSync('bash', ['--noprofile', '--norc', '-e', '-c', script], {cwd, env: {...process.env, ...env}, encoding: 'utf8'})
}

const git = (cwd: string, ...args: string[]): string => {
  const result = spawnSync('git', args, {cwd, encoding: 'utf8'})
  expect(result.status, `git ${args.join(' ')}: ${result.stderr}`).toBe(0)
  return result.stdout.trim()
}

describe('examples/github-actions/release.yml', () => {
  const workflow = parseYaml(read('github-actions/release.yml')) as Workflow
  const jobs = Object.values(workflow.jobs)
  const steps = jobs.flatMap((job) => job.steps)
  const index = (pred: (s: Step) => boolean) => steps.findIndex(pred)
  const releaseIndex = index((s) => typeof s.run === 'string' && s.run.includes('mopac release'))
  const releaseStep = steps[releaseIndex]
  const restoreIndex = index((s) => /release-log/.test(s.run ?? '') && /git (fetch|show)/.test(s.run ?? ''))
  const recordIndex = index((s) => /git push\b.*release-log/.test(s.run ?? ''))
  const uploadIndex = index((s) => s.uses?.startsWith('actions/upload-pages-artifact@') ?? false)
  const deployIndex = index((s) => s.uses?.startsWith('actions/deploy-pages@') ?? false)
  const status = (code: number) => `steps.${releaseStep.id}.outputs.status == '${code}'`
  // The step that fails the job on exit 5: it runs only on 5, and exits non-zero.
  const failIndex = index((s) => s.if !== undefined && s.if.includes(status(5)) && !s.if.includes(status(0)) && /^\s*exit [1-9]/m.test(s.run ?? ''))

  it('runs on a valid 5-field schedule and on manual dispatch', () => {
    const cron = workflow.on.schedule?.[0]?.cron
    expect(typeof cron).toBe('string')
    expect(validCron(cron as string)).toBe(true)
    expect(workflow.on).toHaveProperty('workflow_dispatch')
  })

  it('never runs two releases at once', () => {
    expect(workflow.concurrency?.group).toBeTruthy()
    // Cancelling a run halfway through a deploy would be worse than waiting.
    expect(workflow.concurrency?.['cancel-in-progress']).toBe(false)
  })

  it('has the permissions that Pages deploys and pushing the log need', () => {
    const perms = {...workflow.permissions, ...jobs[0].permissions}
    expect(perms.pages).toBe('write')
    expect(perms['id-token']).toBe('write')
    expect(perms.contents).toBe('write')
  })

  it('sets up Node 20 with the npm cache and installs with npm ci', () => {
    const setup = steps.find((s) => s.uses?.startsWith('actions/setup-node@'))
    expect(String(setup?.with?.['node-version'])).toBe('20')
    expect(setup?.with?.cache).toBe('npm')
    expect(index((s) => /^\s*npm ci\s*$/m.test(s.run ?? ''))).toBeGreaterThan(-1)
    expect(steps[0].uses).toMatch(/^actions\/checkout@/)
  })

  it('runs mopac release with an id so later steps can read its exit status', () => {
    expect(releaseIndex).toBeGreaterThan(-1)
    expect(releaseStep.id).toBeTruthy()
    expect(releaseStep.run).toMatch(/mopac release\b.*--json/)
    expect(releaseStep.run).toContain('GITHUB_OUTPUT')
  })

  it('restores the release log before the release and records it after deploying', () => {
    expect(restoreIndex).toBeGreaterThan(-1)
    expect(restoreIndex).toBeLessThan(releaseIndex)
    expect(recordIndex).toBeGreaterThan(deployIndex)
    // A plain fast-forward push: never force (no --force, -f or +refspec).
    const push = steps[recordIndex].run!.split('\n').find((l) => /git push\b/.test(l))!
    expect(push).not.toMatch(/--force|\s-f\b|\s\+|:\+/)
  })

  it('uploads and deploys public/ and records the log after exit 0 and after exit 5, and only then', () => {
    expect(uploadIndex).toBeGreaterThan(releaseIndex)
    expect(deployIndex).toBeGreaterThan(uploadIndex)
    expect(String(steps[uploadIndex].with?.path)).toMatch(/^public\/?$/)
    for (const i of [uploadIndex, deployIndex, recordIndex]) {
      expect(steps[i].if, steps[i].name).toContain(status(0))
      expect(steps[i].if, steps[i].name).toContain(status(5))
      // Nothing that would run it after a failed step or on other codes.
      expect(steps[i].if, steps[i].name).not.toMatch(/always\(\)|failure\(\)|'[1-46-9]'/)
    }
  })

  it('fails the job on exit 5, after deploying and after recording the log', () => {
    expect(failIndex).toBeGreaterThan(deployIndex)
    expect(failIndex).toBeGreaterThan(recordIndex)
    expect(steps[failIndex].run).toContain('::error')
  })

  it('the Release step records the exit status, and fails the step only on 1, 3 and other errors', () => {
    const dir = tempDir()
    const bin = join(dir, 'bin')
    mkdirSync(bin)
    writeFileSync(join(bin, 'npx'), '#!/bin/sh\necho \'{"held": []}\'\nexit "$MOPAC_EXIT"\n')
    chmodSync(join(bin, 'npx'), 0o755)
    for (const code of [0, 1, 3, 4, 5]) {
      const output = join(dir, `output-${code}`)
      writeFileSync(output, '')
      const result = runStep(releaseStep.run!, dir, {PATH: `${bin}:${process.env.PATH}`, MOPAC_EXIT: String(code), GITHUB_OUTPUT: output, RUNNER_TEMP: dir})
      expect(readFileSync(output, 'utf8'), `exit ${code}`).toBe(`status=${code}\n`)
      expect(result.status === 0, `step succeeds after exit ${code}: ${result.stdout}${result.stderr}`).toBe([0, 4, 5].includes(code))
      if (code === 5) expect(result.stdout).toMatch(/^::warning::/m)
      if (code === 1 || code === 3) expect(result.stdout).toMatch(/^::error::/m)
    }
  })

  it('the last step annotates each held paper and exits non-zero', () => {
    const dir = tempDir()
    const held = {file: 'pcd-1512.md', id: 'PCD 1512', slug: 'pcd-1512', live: true, line: 29, column: 1, ruleId: 'directive-unknown', reason: 'Unknown directive'}
    writeFileSync(join(dir, 'release.json'), JSON.stringify({status: 'held', exitCode: 5, held: [held]}))
    const result = runStep(steps[failIndex].run!, dir, {RUNNER_TEMP: dir})
    expect(result.status).not.toBe(0)
    expect(result.stdout).toMatch(/^::error::.*exited 5/m)
    const jq = spawnSync('jq', ['--version'])
    if (!jq.error && jq.status === 0) {
      expect(result.stdout).toContain('::error file=content/pcd-1512.md,line=29,col=1::Held PCD 1512: Unknown directive (the live version stays as last published)')
    }
  })

  it('keeps releases.jsonl and published/ on the release-log branch, and restores both', () => {
    const dir = tempDir()
    const origin = join(dir, 'origin.git')
    git(dir, 'init', '--bare', '--quiet', origin)
    const clone = (name: string) => {
      git(dir, 'clone', '--quiet', origin, name)
      return join(dir, name)
    }
    const env = {RUNNER_TEMP: dir, GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1'}
    const restore = (cwd: string) => runStep(steps[restoreIndex].run!, cwd, env)
    const record = (cwd: string, run: number) => runStep(steps[recordIndex].run!.replace('${{ github.run_id }}', String(run)), cwd, env)
    expect(steps[recordIndex].run).toContain('${{ github.run_id }}')

    // First run: no branch yet, so an empty log; then record what the release wrote.
    const first = clone('first')
    let result = restore(first)
    expect(result.status, result.stderr).toBe(0)
    expect(result.stdout).toContain('No release-log branch yet')
    mkdirSync(join(first, '.mopac', 'published'), {recursive: true})
    writeFileSync(join(first, '.mopac', 'releases.jsonl'), '{"event":"released","slug":"a"}\n')
    writeFileSync(join(first, '.mopac', 'published', 'index.json'), '{"papers":{"a":{"file":"a.md","sha256":"x"}}}')
    writeFileSync(join(first, '.mopac', 'published', 'a.json'), '{"slug":"a"}')
    writeFileSync(join(first, '.mopac', 'published', 'a.json.123.abcdef.tmp'), 'torn write')
    writeFileSync(join(first, '.mopac', 'cache.json'), 'not durable')
    writeFileSync(join(first, '.mopac', 'release.lock'), 'not durable')
    result = record(first, 1)
    expect(result.status, result.stderr).toBe(0)
    expect(git(origin, 'ls-tree', '-r', '--name-only', 'release-log').split('\n')).toEqual(['published/a.json', 'published/index.json', 'releases.jsonl'])

    // Next run, on a fresh runner: both come back.
    const second = clone('second')
    result = restore(second)
    expect(result.status, result.stderr).toBe(0)
    for (const rel of ['releases.jsonl', 'published/index.json', 'published/a.json']) {
      expect(readFileSync(join(second, '.mopac', rel), 'utf8'), rel).toBe(readFileSync(join(first, '.mopac', rel), 'utf8'))
    }
    expect(existsSync(join(second, '.mopac', 'published', 'a.json.123.abcdef.tmp'))).toBe(false)

    // Nothing changed: no new commit.
    result = record(second, 2)
    expect(result.status, result.stderr).toBe(0)
    expect(result.stdout).toContain('Release log unchanged.')
    expect(git(origin, 'rev-list', '--count', 'release-log')).toBe('1')

    // Only published/ changed (a held paper kept, another updated): a new commit on top.
    writeFileSync(join(second, '.mopac', 'published', 'b.json'), '{"slug":"b"}')
    result = record(second, 3)
    expect(result.status, result.stderr).toBe(0)
    expect(git(origin, 'rev-list', '--count', 'release-log')).toBe('2')
    expect(git(origin, 'show', 'release-log:published/b.json')).toBe('{"slug":"b"}')

    // A branch written before published/ existed still restores.
    const old = clone('old')
    const blob = spawnSync('git', ['hash-object', '-w', '--stdin'], {cwd: old, input: '{"event":"baseline"}\n', encoding: 'utf8'}).stdout.trim()
    const tree = spawnSync('git', ['mktree'], {cwd: old, input: `100644 blob ${blob}\treleases.jsonl\n`, encoding: 'utf8'}).stdout.trim()
    const commit = spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', 'commit-tree', tree, '-m', 'old log'], {cwd: old, encoding: 'utf8'}).stdout.trim()
    git(old, 'push', '--quiet', '--force', origin, `${commit}:refs/heads/release-log`)
    const third = clone('third')
    result = restore(third)
    expect(result.status, result.stderr).toBe(0)
    expect(readFileSync(join(third, '.mopac', 'releases.jsonl'), 'utf8')).toBe('{"event":"baseline"}\n')
    expect(existsSync(join(third, '.mopac', 'published'))).toBe(false)
  })
})

// --- crontab -------------------------------------------------------------------

describe('examples/cron/mopac-release.crontab', () => {
  const lines = read('cron/mopac-release.crontab').split('\n')
  // Leave out comments, blank lines and NAME=value environment settings.
  const jobs = lines.filter((l) => l.trim() !== '' && !l.trimStart().startsWith('#') && !/^\s*[A-Za-z_][A-Za-z0-9_]*\s*=/.test(l))

  it('has exactly one job line with five valid time fields', () => {
    expect(jobs).toHaveLength(1)
    const fields = jobs[0].trim().split(/\s+/)
    expect(validCron(fields.slice(0, 5).join(' '))).toBe(true)
    expect(fields.slice(0, 5).join(' ')).toBe('*/5 * * * *')
  })

  const command = jobs[0].trim().split(/\s+/).slice(5).join(' ')

  it('runs mopac release from the checkout and publishes only after exit 0 or 5', () => {
    expect(command).toMatch(/^cd \/srv\/mopac-publisher &&/)
    expect(command).toMatch(/npx --no mopac release --content content --out public --state \.mopac --json; r=\$\?;/)
    expect(command).toMatch(/case \$r in 0\|5\) rsync [^;|]*public\/ \/var\/www\/decisions\//)
    expect(command).toMatch(/exit \$s; \}/)
    expect(command).toMatch(/>> \S+\.log 2>&1/)
  })

  it('has no unescaped % (cron turns it into a newline)', () => {
    expect(command).not.toMatch(/(^|[^\\])%/)
  })

  it('really publishes on exit 0 and 5 only, and exit 5 still fails the job after publishing (run with stub npx and rsync)', () => {
    const dir = tempDir()
    const checkout = join(dir, 'checkout')
    const bin = join(dir, 'bin')
    const log = join(dir, 'release.log')
    mkdirSync(checkout)
    mkdirSync(bin)
    writeFileSync(join(bin, 'npx'), '#!/bin/sh\necho "npx $*"\nexit "$MOPAC_EXIT"\n')
    writeFileSync(join(bin, 'rsync'), `#!/bin/sh\necho "rsync $*"\ntouch "${join(dir, 'published')}"\nexit "\${RSYNC_EXIT:-0}"\n`)
    chmodSync(join(bin, 'npx'), 0o755)
    chmodSync(join(bin, 'rsync'), 0o755)
    const cmd = command.replace('/srv/mopac-publisher', checkout).replace(/>> \S+\.log/, `>> ${log}`)
    const run = (code: number, rsyncExit = 0) => {
      rmSync(join(dir, 'published'), {force: true})
      rmSync(log, {force: true})
      const result = spawnSync('/bin/sh', ['-c', cmd], {
        env: {...process.env, PATH: `${bin}:${process.env.PATH}`, MOPAC_EXIT: String(code), RSYNC_EXIT: String(rsyncExit)},
        encoding: 'utf8',
      })
      return {...result, published: existsSync(join(dir, 'published')), log: readFileSync(log, 'utf8')}
    }

    for (const code of [0, 1, 3, 4, 5]) {
      const result = run(code)
      expect(result.status, `exit ${code}`).toBe(code)
      expect(result.published, `published after exit ${code}`).toBe(code === 0 || code === 5)
      // What cron mails: one line on a failure, nothing on 0 or 4.
      const mail = `${result.stdout}${result.stderr}`
      if (code === 0 || code === 4) expect(mail, `cron output after exit ${code}`).toBe('')
      else expect(mail, `cron output after exit ${code}`).toMatch(new RegExp(`^[^\\n]*exited ${code}\\b[^\\n]*\\n$`))
      // Exit 5: after publishing, the log says plainly that papers were held.
      const heldAt = result.log.search(/^HELD:/m)
      if (code === 5) expect(heldAt, 'HELD line after rsync').toBeGreaterThan(result.log.search(/^rsync /m))
      else expect(heldAt, `no HELD line after exit ${code}`).toBe(-1)
      expect(result.log).toMatch(/^npx --no mopac release /m)
      expect(result.log).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/m)
    }

    // rsync failing fails the job with rsync's status, and is mailed, on 0 and on 5.
    for (const code of [0, 5]) {
      const result = run(code, 23)
      expect(result.status, `exit ${code}, rsync 23`).toBe(23)
      expect(result.stdout).toMatch(/exited 23\b/)
    }
  })
})

// --- systemd -------------------------------------------------------------------

type Unit = Record<string, Record<string, string[]>>

/** Parses a systemd unit file: [Section], Key=Value (keys may repeat), # and ; comments, trailing \ continues a line. */
function parseUnit(text: string): Unit {
  const unit: Unit = {}
  let section: string | undefined
  const joined = text.replace(/\\\n/g, ' ')
  for (const [n, raw] of joined.split('\n').entries()) {
    const line = raw.trim()
    if (line === '' || line.startsWith('#') || line.startsWith(';')) continue
    const header = /^\[([^\]]+)\]$/.exec(line)
    if (header) {
      section = header[1]
      unit[section] ??= {}
      continue
    }
    const kv = /^([A-Za-z0-9]+)\s*=\s*(.*)$/.exec(line)
    if (!kv || section === undefined) throw new Error(`line ${n + 1} is not [Section] or Key=Value: ${raw}`)
    ;(unit[section][kv[1]] ??= []).push(kv[2])
  }
  return unit
}

const one = (unit: Unit, section: string, key: string): string => {
  const values = unit[section]?.[key]
  expect(values, `[${section}] ${key}`).toBeDefined()
  return values![values!.length - 1]
}

/** The program of an Exec*= value, without the special prefixes -@:+! */
const execProgram = (value: string) => /^[-@:+!]*(\S+)/.exec(value)![1]

/** The value of a --flag in a command line. */
const flag = (cmd: string, name: string) => new RegExp(`--${name}[= ](\\S+)`).exec(cmd)?.[1]

const under = (path: string, dir: string) => resolve(path) === resolve(dir) || resolve(path).startsWith(resolve(dir) + '/')

describe('examples/systemd', () => {
  const serviceText = read('systemd/mopac-release.service')
  const timerText = read('systemd/mopac-release.timer')
  const service = parseUnit(serviceText)
  const timer = parseUnit(timerText)

  it('service is a oneshot release run as the mopac user', () => {
    expect(one(service, 'Service', 'Type')).toBe('oneshot')
    expect(one(service, 'Service', 'User')).toBe('mopac')
    expect(one(service, 'Service', 'WorkingDirectory')).toBe('/srv/mopac-publisher')
    const start = one(service, 'Service', 'ExecStart')
    expect(start).toContain('mopac')
    expect(start).toMatch(/\bmopac(\.js)? release\b/)
    expect(start).toContain('--json')
    const success = one(service, 'Service', 'SuccessExitStatus').split(/\s+/)
    expect(success).toContain('4')
    // Exit 5 swapped a new site in: ExecStartPost, which runs only after a
    // successful ExecStart, must still publish it.
    expect(success).toContain('5')
  })

  it('fails the unit after publishing when the release exits 5 (ExecStopPost reads $EXIT_STATUS)', () => {
    const stopPost = service.Service.ExecStopPost ?? []
    expect(stopPost).toHaveLength(1)
    const m = /^\/bin\/sh -c '([^']*)'$/.exec(stopPost[0])
    expect(m, stopPost[0]).not.toBeNull()
    // $$ is systemd's escape for a literal $; a % would be a systemd specifier.
    expect(m![1]).toContain('$$EXIT_STATUS')
    expect(m![1].replace(/\$\$/g, '')).not.toContain('$')
    expect(m![1]).not.toContain('%')
    const script = m![1].replace(/\$\$/g, '$')
    // SuccessExitStatus= applies to every command of the unit, so the check
    // must fail with a status that is not listed there.
    const success = one(service, 'Service', 'SuccessExitStatus').split(/\s+/)
    for (const status of ['0', '1', '3', '4', '5', '']) {
      const result = spawnSync('/bin/sh', ['-c', script], {env: {...process.env, EXIT_STATUS: status}, encoding: 'utf8'})
      if (status === '5') {
        expect(result.status, 'exit status after 5').not.toBe(0)
        expect(success).not.toContain(String(result.status))
        expect(result.stderr).toMatch(/exited 5/)
      } else {
        expect(result.status, `after ${status || 'no status'}`).toBe(0)
      }
    }
  })

  it('publishes with rsync from the directory the release writes', () => {
    const start = one(service, 'Service', 'ExecStart')
    const post = one(service, 'Service', 'ExecStartPost')
    expect(execProgram(post)).toMatch(/\/rsync$/)
    const [src, dest] = post.trim().split(/\s+/).slice(-2)
    const out = flag(start, 'out')!
    const workDir = one(service, 'Service', 'WorkingDirectory')
    expect(resolve(workDir, src)).toBe(resolve(workDir, out))
    expect(src.endsWith('/')).toBe(true) // copy the contents, not the directory itself
    expect(dest).toBe('/var/www/decisions/')
  })

  it('uses absolute program paths in Exec lines', () => {
    for (const key of ['ExecStart', 'ExecStartPost', 'ExecStopPost']) {
      for (const value of service.Service[key]) expect(execProgram(value)).toMatch(/^\//)
    }
  })

  it('is hardened, and everything it writes is writable under ProtectSystem=strict', () => {
    const s = (key: string) => one(service, 'Service', key)
    expect(s('NoNewPrivileges')).toBe('true')
    expect(s('ProtectSystem')).toBe('strict')
    expect(s('PrivateTmp')).toBe('true')
    expect(s('ProtectHome')).toBe('true')
    const writable = [
      ...(service.Service.ReadWritePaths ?? []).flatMap((v) => v.split(/\s+/)).map((p) => p.replace(/^-/, '')),
      ...(service.Service.StateDirectory ?? []).flatMap((v) => v.split(/\s+/)).map((d) => `/var/lib/${d}`),
    ]
    const start = s('ExecStart')
    const wd = s('WorkingDirectory')
    const targets = [flag(start, 'out')!, flag(start, 'state')!, s('ExecStartPost').trim().split(/\s+/).pop()!]
    for (const target of targets) {
      const path = resolve(wd, target)
      expect(writable.some((dir) => under(path, dir)), `${path} writable`).toBe(true)
      // A path listed on its own in ReadWritePaths= is a bind mount, which the
      // release's rename swap cannot replace. Output and state must be below a writable directory.
      if (target !== targets[2]) expect(writable.some((dir) => resolve(dir) === path), `${path} is not itself a mount`).toBe(false)
    }
  })

  it('timer fires every 5 minutes, catches up after downtime, and is enabled by timers.target', () => {
    expect(one(timer, 'Timer', 'OnCalendar')).toBe('*:0/5')
    expect(one(timer, 'Timer', 'Persistent')).toBe('true')
    expect(one(timer, 'Timer', 'AccuracySec')).toBe('1s')
    expect(one(timer, 'Timer', 'Unit')).toBe('mopac-release.service')
    expect(one(timer, 'Install', 'WantedBy')).toBe('timers.target')
  })

  const systemdAnalyze = spawnSync('systemd-analyze', ['--version'], {encoding: 'utf8'})
  const haveSystemdAnalyze = !systemdAnalyze.error && systemdAnalyze.status === 0

  it.skipIf(!haveSystemdAnalyze)('systemd-analyze verify accepts both units (Exec programs replaced with /bin/true)', () => {
    const dir = tempDir()
    const trueBin = existsSync('/bin/true') ? '/bin/true' : '/usr/bin/true'
    const stubbed = serviceText.replace(/^(Exec[A-Za-z]*=[-@:+!]*)\S+/gm, `$1${trueBin}`)
    expect(stubbed).not.toContain('/usr/bin/rsync')
    writeFileSync(join(dir, 'mopac-release.service'), stubbed)
    writeFileSync(join(dir, 'mopac-release.timer'), timerText)
    const result = spawnSync(
      'systemd-analyze',
      ['verify', '--man=no', join(dir, 'mopac-release.service'), join(dir, 'mopac-release.timer')],
      {encoding: 'utf8', timeout: 30_000},
    )
    const ours = `${result.stdout}\n${result.stderr}`.split('\n').filter((l) => l.includes('mopac-release') || l.includes(dir))
    expect(ours, 'systemd-analyze verify output about our units').toEqual([])
    expect(result.status).toBe(0)
  })

  it.skipIf(!haveSystemdAnalyze)('systemd-analyze accepts the OnCalendar expression', () => {
    const result = spawnSync('systemd-analyze', ['calendar', one(timer, 'Timer', 'OnCalendar')], {encoding: 'utf8'})
    expect(result.status, result.stderr).toBe(0)
    expect(result.stdout).toMatch(/Normalized form: \*-\*-\* \*:00\/5:00/)
  })
})
