import {mkdtemp, mkdir, writeFile, rm} from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

export interface Fixture {
  root: string
  content: string
  out: string
  write(rel: string, data: string | Buffer): Promise<void>
  cleanup(): Promise<void>
}

/** Creates a temp dir with `content/` and `public/`; `write('content/a.md', ...)`. */
export async function makeFixture(files: Record<string, string | Buffer> = {}): Promise<Fixture> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'mopac-verify-'))
  const content = path.join(root, 'content')
  const out = path.join(root, 'public')
  await mkdir(content, { recursive: true })
  await mkdir(out, { recursive: true })
  const write = async (rel: string, data: string | Buffer): Promise<void> => {
    const abs = path.join(root, rel)
    await mkdir(path.dirname(abs), { recursive: true })
    await writeFile(abs, data)
  }
  for (const [rel, data] of Object.entries(files)) await write(rel, data)
  return { root, content, out, write, cleanup: () => rm(root, { recursive: true, force: true }) }
}

export const PUBLIC_PAPER = `---
id: PCD 1001
title: Estates strategy refresh
date: 2026-01-10
classification: OFFICIAL
decision_maker: Deputy Mayor for Policing and Crime
summary: Approval of the refreshed estates strategy for the next five years.
tags:
  - estates
  - strategy
part2:
  exemptions: s43
  review: 2027-06-01
---

# Background

The Deputy Mayor for Policing and Crime is asked to approve the refreshed estates strategy
for the Metropolitan Police Service, replacing the strategy agreed in 2021.

:::official-sensitive{exemptions="s43"}
The preferred bidder is Northgate Holdings and the negotiated price of the freehold
is four million pounds, subject to contract and planning consent.

| Bidder | Score |
|---|---|
| Northgate Holdings | 87 |
:::

The contract lead is :official-sensitive[Jane Smith]{exemptions="s40"} in the estates team.

## Financial implications

The costs are contained within the approved capital programme for the coming financial year.
`

export const DEFERRED_PAPER = `---
id: PCD 1450
title: Covert surveillance technology procurement
date: 2026-02-01
classification: OFFICIAL
decision_maker: Deputy Mayor for Policing and Crime
summary: Procurement of specialist equipment for covert operations by the Met.
deferral:
  until: 2026-12-10T09:30
  reason: Disclosure would prejudice Operation Kestrel
---

# Background

The Met proposes to buy specialist listening equipment from an approved supplier
under the national framework, with delivery expected before the spring.
`

export const CLEAN_HTML = `<!doctype html>
<html lang="en"><head><title>Estates strategy refresh | MOPAC decisions</title>
<meta name="description" content="Approval of the refreshed estates strategy for the next five years."></head>
<body><header>Mayor&#39;s Office for Policing &amp; Crime</header>
<main><h1>Estates strategy refresh</h1>
<p>PCD 1001 &middot; 10 January 2026</p>
<h2>Background</h2>
<p>The Deputy Mayor for Policing and Crime is asked to approve the refreshed estates strategy
for the Metropolitan Police Service, replacing the strategy agreed in 2021.</p>
<div class="redaction">[Redacted: exempt under s43]</div>
<p>The contract lead is <span class="redacted">[Redacted: s40]</span> in the estates team.</p>
<h2>Financial implications</h2>
<p>The costs are contained within the approved capital programme for the coming financial year.</p>
</main><footer>All content is available under the Open Government Licence v3.0, except where otherwise stated.</footer></body></html>
`

export const CLEAN_SITEMAP = `<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>https://example.org/decisions/pcd-1001/</loc><lastmod>2026-01-10</lastmod></url>
</urlset>
`
