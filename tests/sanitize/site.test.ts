/**
 * Internal notes and raw HTML through a whole build: random corpora of
 * papers with comments in every kind of code, raw HTML element and
 * container, and raw HTML pieces. Each paper is refused with a comment rule,
 * or built; no comment canary, script, handler or `javascript:` URL is in
 * any file of the site (pages, public Markdown, search index, feed,
 * decisions.json/csv; file names too), and every public word is.
 */
import fs from 'node:fs'
import path from 'node:path'
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {build} from '../../src/build/build.js'
import {writeSite} from '../../src/build/write.js'
import {processPaper} from '../../src/publish/process.js'
import {tempDir} from '../helpers/corpus.js'
import {findCanaries, scanSite} from '../helpers/scan.js'
import {COMMENT_RULES, FM, placement, render} from './places.js'

const NOW = new Date('2026-11-25T12:00:00Z')
const BASE = 'https://decisions.example.org/'

const frontmatter = (n: number) => FM.replace('id: PCD 1', `id: PCD ${700 + n}`).replace('title: Comments', `title: Paper ${n}`)

/** A paper of raw HTML: public words inside allowed elements, secret ones where the sanitizer must remove them. */
const rawHtmlPaper = `${frontmatter(99)}Water is H<sub>zprawsub1</sub>O. Press <kbd>zprawkbd2</kbd>. <abbr title="zprawtitle3">zprawabbr4</abbr>.

<span onclick="zkrawhandler1()">zprawspan5</span> <a href="javascript:zkrawjs2()">zprawlink6</a> <script>zkrawscript3()</script> <!-- zkrawcomment4 -->

<div>

*zprawdiv7* <img src="https://example.org/x.png" onerror="zkrawerror5()" alt="zprawalt8">

</div>

<style>p { background: url(https://zkrawstyle6.example/) }</style>
`
const RAW_SECRETS = ['zkrawhandler1', 'zkrawjs2', 'zkrawscript3', 'zkrawcomment4', 'zkrawerror5']
const RAW_PUBLICS = ['zprawsub1', 'zprawkbd2', 'zprawtitle3', 'zprawabbr4', 'zprawspan5', 'zprawlink6', 'zprawdiv7', 'zprawalt8']

describe('comments and raw HTML in a built site', () => {
  it('random corpora: refused papers name a comment rule; built sites hold no note and every public word', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(placement, {minLength: 1, maxLength: 3}), {minLength: 1, maxLength: 6}), async (papers) => {
        const dir = tempDir('mopac-sanitize-')
        try {
          const content = path.join(dir, 'content')
          fs.mkdirSync(content)
          fs.writeFileSync(path.join(content, 'raw.md'), rawHtmlPaper)
          const secrets = [...RAW_SECRETS]
          const publics: Array<{word: string; slug: string}> = RAW_PUBLICS.map((word) => ({word, slug: 'pcd-799'}))
          papers.forEach((placements, n) => {
            const {body, spans, publics: words} = render(placements, `p${n}`)
            const text = frontmatter(n) + body
            const outcome = processPaper({path: `${n}.md`, relativePath: `${n}.md`, bytes: Buffer.from(text)}, NOW)
            secrets.push(...spans.map((span) => span.canary))
            if (outcome.status === 'invalid') {
              const rules = outcome.messages.filter((m) => m.fatal).map((m) => m.ruleId)
              expect(rules.length, text).toBeGreaterThan(0)
              for (const rule of rules) expect(COMMENT_RULES, text).toContain(rule)
              return
            }
            fs.writeFileSync(path.join(content, `${n}.md`), text)
            publics.push(...words.map((word) => ({word, slug: `pcd-${700 + n}`})))
          })
          const result = await build({content, now: NOW, baseUrl: BASE})
          expect(result.outcomes.flatMap((o) => o.messages.filter((m) => m.fatal))).toEqual([])
          expect(result.ok).toBe(true)
          const out = path.join(dir, 'public')
          await writeSite(out, result.files!)
          const files = scanSite(out)
          expect(findCanaries(files, secrets)).toEqual([])
          for (const {word, slug} of publics) {
            const found = findCanaries(files, [word]).map((hit) => hit.file)
            expect(found, word).toContain(`decisions/${slug}/index.html`)
            expect(found, word).toContain(`decisions/${slug}/index.md`)
            // The search index holds the page's words, attribute values aside.
            if (word !== 'zprawtitle3' && word !== 'zprawalt8') expect(found.some((file) => /^search-index\/s[0-9a-f]\/terms\//.test(file)), `${word} not in the search index: ${found}`).toBe(true)
          }
          const pages = files.filter((file) => file.name.startsWith('decisions/'))
          for (const page of pages) expect(page.text, page.name).not.toMatch(/onclick|onerror|javascript:|<!--|zkraw/)
        } finally {
          fs.rmSync(dir, {recursive: true, force: true})
        }
      }),
      {numRuns: 15, seed: 20261202}
    )
  })

  it('a paper with a comment in code stops the build with comment-in-code', async () => {
    const dir = tempDir('mopac-sanitize-')
    try {
      const content = path.join(dir, 'content')
      fs.mkdirSync(content)
      fs.writeFileSync(path.join(content, 'a.md'), `${frontmatter(1)}Public.\n\n\`\`\`\n<!-- zkcodenote1 -->\n\`\`\`\n`)
      fs.writeFileSync(path.join(content, 'b.md'), `${frontmatter(2)}Another public paper.\n`)
      const result = await build({content, now: NOW, baseUrl: BASE})
      expect(result.ok).toBe(false)
      expect(result.files).toBeUndefined()
      const message = result.outcomes.flatMap((o) => o.messages).find((m) => m.fatal)
      expect(message?.ruleId).toBe('comment-in-code')
      expect(message?.line).toBe(10)
    } finally {
      fs.rmSync(dir, {recursive: true, force: true})
    }
  })
})
