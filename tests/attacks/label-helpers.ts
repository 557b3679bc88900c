/** Papers and a planted page for the label red teams (tests/attacks/date-slot-redteam.test.ts, labels-cut-redteam.test.ts). */
import {verify, type VerifyHit} from '../../src/verify/index.js'
import {makeFixture, type Fixture} from '../verify/helpers.js'

export const NOW = new Date('2026-11-25T12:00:00Z')

/** A public paper. */
export const pub = (id: number, title: string, date = '2024-05-01', fm = '', body = `Body of ${id}.`): string =>
  `---\nid: PCD ${id}\ntitle: ${title}\ndate: "${date}"\nclassification: OFFICIAL\n${fm}---\n\n${body}\n`
/** A paper deferred past NOW. */
export const deferred = (title: string, fm = ''): string =>
  `---\nid: PCD 4998\ntitle: ${JSON.stringify(title)}\ndate: "2024-06-01"\nclassification: OFFICIAL\n${fm}deferral:\n  until: "2099-01-01"\n---\n\nLater.\n`
/** An OFFICIAL-SENSITIVE paper. */
export const os = (title: string, body: string): string =>
  `---\nid: PCD 4999\ntitle: ${JSON.stringify(title)}\ndate: "2024-06-01"\nclassification: OFFICIAL-SENSITIVE\n---\n\n${body}\n`
/** Public words elsewhere (so no single word of a secret is what reports it). */
export const OTHER = pub(12, 'Works on Brackwater Road and Ottoline Street', '2023-02-07', 'tags: [estates]\n')

let fx: Fixture | undefined

/** Removes the last fixture `planted` made (an `afterEach`). */
export async function cleanupPlanted(): Promise<void> {
  await fx?.cleanup()
  fx = undefined
}

/** Papers under content/, `page` planted at `file` in the site; the full search's hits there. */
export async function planted(papers: Record<string, string>, page: string, file = 'leak/index.html'): Promise<VerifyHit[]> {
  await cleanupPlanted()
  const files: Record<string, string> = {'public/index.html': '<p>Decisions</p>', [`public/${file}`]: page}
  for (const [name, text] of Object.entries(papers)) files[`content/${name}`] = text
  fx = await makeFixture(files)
  const r = await verify({content: fx.content, out: fx.out, now: NOW})
  return r.hits.filter((h) => h.outputFile === file)
}
