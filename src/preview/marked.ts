/**
 * The marked rendering for reviewers: the UNREDACTED body, with every
 * sensitive block and span outlined and labelled. Same parser, directive
 * check and raw-HTML/URL sanitizing as the public pipeline; `remarkMarkSensitive`
 * runs where `remarkRedact` would. Never written anywhere: the preview
 * server renders it on request.
 */
import path from 'node:path'
import type {Root as HastRoot} from 'hast'
import type {Root} from 'mdast'
import rehypeRaw from 'rehype-raw'
import rehypeSanitize from 'rehype-sanitize'
import rehypeStringify from 'rehype-stringify'
import remarkDirective from 'remark-directive'
import remarkGfm from '../pipeline/gfm.js'
import remarkParse from 'remark-parse'
import remarkRehype from 'remark-rehype'
import {unified} from 'unified'
import {visit} from 'unist-util-visit'
import {VFile} from 'vfile'
import {readPaper} from '../content/read.js'
import {isLocalUrl} from '../pipeline/assets.js'
import remarkCheckDirectives from '../pipeline/directives.js'
import remarkMarkSensitive, {markedSchema} from '../pipeline/mark-sensitive.js'
import remarkSanitize from '../pipeline/sanitize.js'
import type {PaperInput} from '../publish/process.js'
import {contentUrl, paperUrl} from './urls.js'

/** Ids in the marked rendering carry this prefix (the public rendering's is `user-content-`), so the two can share a page. */
export const MARKED_PREFIX = 'marked-content-'

/** Point local images and links at the preview's `/content/` route (or a paper's review page). */
function remarkPreviewUrls() {
  return function (tree: Root, file: VFile) {
    const paperDir = path.posix.dirname(file.data.relativePath ?? 'paper.md')
    visit(tree, (node) => {
      if (node.type !== 'image' && node.type !== 'link' && node.type !== 'definition') return
      if (!isLocalUrl(node.url)) return
      const at = node.url.search(/[?#]/)
      const [pathPart, suffix] = at === -1 ? [node.url, ''] : [node.url.slice(0, at), node.url.slice(at)]
      let decoded: string
      try {
        decoded = decodeURIComponent(pathPart)
      } catch {
        node.url = ''
        return
      }
      const source = path.posix.normalize(path.posix.join(paperDir, decoded))
      if (decoded.startsWith('/') || decoded.includes('\\') || source === '.' || source === '..' || source.startsWith('../')) {
        // The paper has an error for this (asset-outside); show nothing.
        node.url = ''
        return
      }
      node.url = source.endsWith('.md') ? paperUrl(source) : contentUrl(source) + suffix
    })
  }
}

/** In-page links (`#fn-1`) to the prefixed ids. */
function rehypeMarkedFragmentLinks() {
  return function (tree: HastRoot) {
    visit(tree, 'element', (node) => {
      const href = node.properties?.href
      if (node.tagName === 'a' && typeof href === 'string' && href.startsWith('#')) {
        node.properties.href = '#' + MARKED_PREFIX + href.slice(1)
      }
    })
  }
}

function createMarker() {
  return unified()
    .use(remarkParse)
    .use(remarkGfm)
    .use(remarkDirective)
    .use(remarkCheckDirectives)
    .use(remarkMarkSensitive)
    .use(remarkSanitize)
    .use(remarkPreviewUrls)
}

function createWriter() {
  return unified()
    .use(remarkRehype, {allowDangerousHtml: true, clobberPrefix: '', footnoteLabelTagName: 'h2'})
    .use(rehypeRaw)
    .use(rehypeSanitize, {...markedSchema, clobberPrefix: MARKED_PREFIX})
    .use(rehypeMarkedFragmentLinks)
    .use(rehypeStringify)
}

let marker: ReturnType<typeof createMarker> | undefined
let writer: ReturnType<typeof createWriter> | undefined

/** The marked HTML of a paper's body (empty when the file cannot be read as text). */
export function renderMarked(input: PaperInput): string {
  const paper = readPaper(input.path, input.relativePath, input.bytes)
  const file = new VFile({path: input.path, value: String(paper.file.value ?? '')})
  file.data.defaultExemptions = paper.frontmatter?.part2?.exemptions ?? []
  file.data.relativePath = input.relativePath
  marker ??= createMarker()
  writer ??= createWriter()
  const tree = marker.runSync(marker.parse(file), file) as Root
  const hast = writer.runSync(tree as never, file)
  return String(writer.stringify(hast as never, file))
}
