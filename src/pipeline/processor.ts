/**
 * The redaction pipeline, in order. Parsing and checking are one processor;
 * the public Markdown and the HTML are both rendered from the one redacted
 * tree it produces (each paper is parsed once).
 */
import type {Root as HastRoot} from 'hast'
import type {Root} from 'mdast'
import {rehypeRaw, rehypeSanitize, rehypeStringify, remarkDirective, remarkParse, remarkRehype, remarkStringify, unified} from '../vendor/index.js'
import type {Processor} from 'unified'
import type {VFile} from 'vfile'
import remarkAssets from './assets.js'
import remarkPruneDefinitions from './definitions.js'
import remarkCheckDirectives from './directives.js'
import remarkGfmPapers from './gfm.js'
import rehypeFragmentLinks, {CLOBBER_PREFIX} from './fragment-links.js'
import remarkCheckMarkings from './markings.js'
import remarkPaperLinks from './paper-links.js'
import remarkMarkSensitive, {markedSchema} from './mark-sensitive.js'
import remarkRedact from './redact.js'
import remarkSanitize from './sanitize.js'
import {sanitizeSchema} from './schema.js'
import {bodyText} from './text.js'
import {walk} from './walk.js'

/**
 * How a paper is rendered: `public` redacts (what the site publishes);
 * `review` marks sensitive material instead of removing it (the reviewer
 * preview, never written anywhere). Both come from this one processor: the
 * same parse and the same plugins, in the same order, except step 2.
 */
export type RenderMode = 'public' | 'review'

export interface PipelineOptions {
  mode: RenderMode
  /**
   * Where a local file the text refers to is addressed (`review`: the
   * preview's own routes). Default: its copy beside the public page.
   */
  resolveUrl?: (source: string) => string
}

/** Parse a paper body and redact it (or, in `review` mode, mark it). */
export function createRedactor(options: PipelineOptions = {mode: 'public'}) {
  return (
    unified()
      .use(remarkParse)
      // GFM without bare-URL autolinking (see gfm.ts), and directives.
      .use(remarkGfmPapers)
      .use(remarkDirective)
      // 1. Every directive is `official-sensitive` with a valid ground (or an error).
      .use(remarkCheckDirectives)
      // 2. Sensitive blocks and spans leave; notices take their place (review: they are outlined and labelled).
      .use(options.mode === 'public' ? remarkRedact : remarkMarkSensitive)
      // 3. Comments go; raw HTML and URLs are made safe.
      .use(remarkSanitize)
      // 4. Definitions only withheld material used go; dangling public references are errors.
      .use(remarkPruneDefinitions)
      // 5. Markings left in public headings (error) or prose (warning).
      .use(remarkCheckMarkings)
      // 6. Links to papers not public at this instant keep their text, lose their address.
      .use(remarkPaperLinks)
      // 7. Local files the public text uses, pointed at their copies.
      .use(remarkAssets, {resolveUrl: options.resolveUrl})
  )
}

/** The sanitize schema: GitHub's plus `<abbr>`, plus the notices this pipeline inserts (see schema.ts). */
export {sanitizeSchema}

let redactor: ReturnType<typeof createRedactor> | undefined
let markdownWriter: Processor<undefined, undefined, undefined, Root, string> | undefined
let htmlWriter: ReturnType<typeof createHtmlWriter> | undefined
let plainHtmlWriter: ReturnType<typeof createHtmlWriter> | undefined

function createHtmlWriter(raw: boolean, mode: RenderMode = 'public') {
  const prefix = mode === 'public' ? CLOBBER_PREFIX : REVIEW_PREFIX
  return (
    unified()
      .use(remarkRehype, {allowDangerousHtml: raw, clobberPrefix: '', footnoteLabelTagName: 'h2'})
      // Raw HTML is parsed into the tree (parse5) only when a paper has some.
      .use(raw ? rehypeRaw : () => undefined)
      // Why: sanitize after the last step that can introduce markup.
      .use(rehypeSanitize, mode === 'public' ? sanitizeSchema : {...markedSchema, clobberPrefix: prefix})
      .use(rehypeFragmentLinks, {prefix})
      .use(rehypeStringify)
  )
}

function hasHtml(tree: Root): boolean {
  let found = false
  walk(tree, (node) => {
    if (node.type === 'html') found = true
    return !found && undefined
  })
  return found
}

/** Parse and redact `file` (its value is the body with the frontmatter blanked). */
export function redact(file: VFile): Root {
  redactor ??= createRedactor()
  const tree = redactor.parse(file)
  return redactor.runSync(tree, file) as Root
}

/** The public Markdown of a redacted tree. */
export function toMarkdown(tree: Root): string {
  markdownWriter ??= unified().use(remarkStringify, {bullet: '-', emphasis: '_', rule: '-', fences: true}).use(remarkGfmPapers) as never
  return markdownWriter!.stringify(tree)
}

/** Ids in the review rendering carry this prefix (the public rendering's is `user-content-`), so the two can share a page. */
export const REVIEW_PREFIX = 'marked-content-'

let reviewWriter: ReturnType<typeof createHtmlWriter> | undefined
const reviewers = new WeakMap<NonNullable<PipelineOptions['resolveUrl']>, ReturnType<typeof createRedactor>>()

/**
 * The review rendering of a paper: its UNREDACTED body with every sensitive
 * block and span outlined and labelled, from the same processor as the public
 * one. `file`'s value is the body with the frontmatter blanked.
 */
export function renderReview(file: VFile, resolveUrl: NonNullable<PipelineOptions['resolveUrl']>): string {
  let processor = reviewers.get(resolveUrl)
  if (!processor) reviewers.set(resolveUrl, (processor = createRedactor({mode: 'review', resolveUrl})))
  const tree = processor.runSync(processor.parse(file), file) as Root
  reviewWriter ??= createHtmlWriter(true, 'review')
  const hast = reviewWriter.runSync(tree as never, file)
  return String(reviewWriter.stringify(hast as never, file))
}

/** The sanitized HTML of a redacted tree. */
export function toHtml(tree: Root): string {
  return toBody(tree).html
}

/** The sanitized HTML of a redacted tree and its text as search reads it (./text.ts), from the one hast. */
export function toBody(tree: Root): {html: string; text: string} {
  const writer = hasHtml(tree) ? (htmlWriter ??= createHtmlWriter(true)) : (plainHtmlWriter ??= createHtmlWriter(false))
  // mdast-util-to-hast reads the tree without changing it, so no copy is needed.
  const hast = writer.runSync(tree as never) as unknown as HastRoot
  return {html: String(writer.stringify(hast as never)), text: bodyText(hast)}
}
