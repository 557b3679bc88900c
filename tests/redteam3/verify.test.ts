/**
 * Red team round 3: `verify` on a hand-made leak. A clean site is built, then
 * a withheld sentence is written into an output file in a form a browser
 * shows as plain text. Verify must report it as a hit (a throw is not a
 * pass: it would hide a check that no longer reads the file).
 */
import fs from 'node:fs'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {build} from '../../src/build/build.js'
import {writeSite} from '../../src/build/write.js'
import {verify} from '../../src/verify/index.js'
import {expectBuildOk} from '../redteam/helpers.js'
import {tempCorpus} from '../redteam2/helpers.js'

const now = new Date('2026-11-25T12:00:00Z')
const secret = 'The preferred bidder Xylocorp Holdings offered four million pounds for the custody contract extension'
const paper = `---\nid: PCD 1\ntitle: Contract\ndate: "2024-05-01"\nclassification: OFFICIAL\n---\nPublic text.\n\n:::official-sensitive{exemptions="s43"}\n${secret}\n:::\n`

async function hitsWith(name: string, bytes: Buffer | string): Promise<number> {
  const {content, out} = tempCorpus({'a.md': paper})
  const result = await build({content, now})
  expectBuildOk(result)
  await writeSite(out, result.files!)
  fs.writeFileSync(path.join(out, name), bytes)
  return (await verify({content, out, now})).hits.length
}

/** Every letter as a hex character reference with leading zeros (valid HTML; verify's ENTITY_RE takes at most 6 hex digits). */
const padded = (s: string) => s.replace(/[a-z]/gi, (c) => `&#x${c.charCodeAt(0).toString(16).padStart(8, '0')};`)
/** Decimal references without the semicolon (browsers decode them; ENTITY_RE requires `;`). */
// (The secret has no digits, so no reference runs into a following digit.)
const noSemicolon = (s: string) => s.replace(/[a-z]/gi, (c) => `&#${c.charCodeAt(0)}`)

describe('verify on hand-made leaks', () => {
  it('control: an added file of public text only is no hit', async () => {
    expect(await hitsWith('extra.html', '<p>Public text.</p>')).toBe(0)
  })
  it('control: the sentence as plain HTML is caught', async () => {
    expect(await hitsWith('leak.html', `<p>${secret}</p>`)).toBeGreaterThan(0)
  })
  it('was a finding, now refused: hex character references with leading zeros (&#x00000058;)', async () => {
    expect(await hitsWith('leak.html', `<p>${padded(secret)}</p>`)).toBeGreaterThan(0)
  })
  it('was a finding, now refused: decimal character references without semicolons (&#88ylocorp)', async () => {
    expect(await hitsWith('leak.html', `<p>${noSemicolon(secret)}</p>`)).toBeGreaterThan(0)
  })
  it('was a finding, now refused: a UTF-16LE text file with a BOM', async () => {
    expect(await hitsWith('leak.txt', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(secret, 'utf16le')]))).toBeGreaterThan(0)
  })
  it('was a finding, now refused: a base64 data: URL in a page', async () => {
    expect(await hitsWith('leak.html', `<a href="data:text/plain;base64,${Buffer.from(secret).toString('base64')}">annex</a>`)).toBeGreaterThan(0)
  })
  it('held: gzip inside gzip', async () => {
    const zlib = await import('node:zlib')
    expect(await hitsWith('leak.bin', zlib.gzipSync(zlib.gzipSync(secret)))).toBeGreaterThan(0)
  })
  it('held: JSON \\u escapes', async () => {
    expect(await hitsWith('leak.json', JSON.stringify(secret.replace(/[a-z]/g, (c) => `\\u00${c.charCodeAt(0).toString(16)}`)).replace(/\\\\/g, '\\'))).toBeGreaterThan(0)
  })
})
