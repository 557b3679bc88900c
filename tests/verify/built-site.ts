/** A real site built from a small corpus, for verify tests that need the site's own text. */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import {expect} from 'vitest'
import {build} from '../../src/build/build.js'
import {writeSite} from '../../src/build/write.js'
import {verify, type VerifyHit} from '../../src/verify/index.js'

export const NOW = new Date('2026-11-25T12:00:00Z')

/** A public paper with withheld blocks and spans, so its page carries the notices. */
export const PUBLIC_WITH_NOTICES = `---
id: PCD 4100
title: Gateway support contract extension
date: "2024-05-01"
classification: OFFICIAL
summary: Extends the gateway support contract while a replacement is procured.
tags: [contracts, technology]
decision_maker: Deputy Mayor for Policing and Crime
part2:
  exemptions: [s43]
---

The Deputy Mayor is asked to approve the extension of the gateway support contract.

:::official-sensitive{exemptions="s43"}
The incumbent supplier quoted a revised annual charge for the extension period.
:::

The project lead, :official-sensitive[Jane Smith]{exemptions="s40"}, manages the contract.

:::official-sensitive{exemptions="s31(1)(a) s40"}
Details of the investigation that prompted the review.
:::

Financial comments follow in the usual form.
`

export interface BuiltSite {
  dir: string
  content: string
  out: string
  /** Writes (or replaces) a file under content/. */
  paper(name: string, text: string): void
  /** Writes a file under the built site. */
  plant(rel: string, data: string | Buffer): void
  hits(): Promise<VerifyHit[]>
  cleanup(): void
}

/** Builds `files` (content-relative) into a site with the real pipeline. */
export async function builtSite(files: Record<string, string>, options: {baseUrl?: string} = {}): Promise<BuiltSite> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mopac-verify-site-'))
  const content = path.join(dir, 'content')
  const out = path.join(dir, 'public')
  const write = (root: string, rel: string, data: string | Buffer) => {
    const file = path.join(root, rel)
    fs.mkdirSync(path.dirname(file), {recursive: true})
    fs.writeFileSync(file, data)
  }
  for (const [rel, text] of Object.entries(files)) write(content, rel, text)
  const result = await build({content, now: NOW, baseUrl: options.baseUrl})
  expect(result.problems, JSON.stringify(result.problems)).toEqual([])
  expect(result.ok, JSON.stringify(result.outcomes.flatMap((o) => o.messages))).toBe(true)
  await writeSite(out, result.files!)
  return {
    dir,
    content,
    out,
    paper: (name, text) => write(content, name, text),
    plant: (rel, data) => write(out, rel, data),
    hits: async () => (await verify({content, out, now: NOW})).hits,
    cleanup: () => fs.rmSync(dir, {recursive: true, force: true})
  }
}

/** A paper that is never published (withheld whole). */
export function withheldPaper(id: string, title: string, body: string, summary?: string): string {
  return `---\nid: ${id}\ntitle: ${JSON.stringify(title)}\ndate: "2024-06-01"\nclassification: OFFICIAL-SENSITIVE\n${summary ? `summary: ${JSON.stringify(summary)}\n` : ''}---\n\n${body}\n`
}

/** A paper deferred past NOW. */
export function deferredPaper(id: string, title: string, body: string): string {
  return `---\nid: ${id}\ntitle: ${JSON.stringify(title)}\ndate: "2024-06-01"\nclassification: OFFICIAL\ndeferral:\n  until: "2099-01-01"\n---\n\n${body}\n`
}

/** The visible text of an HTML page (tags dropped, entities left as they are). */
export function pageText(html: string): string {
  return html
    .replace(/<(script|style)[\s\S]*?<\/\1>/g, ' ')
    .replace(/<[^>]*>/g, ' ')
    .replace(/\s+/g, ' ')
    .trim()
}
