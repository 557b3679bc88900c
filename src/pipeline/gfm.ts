/**
 * remark plugin: the GitHub-flavoured Markdown that papers use (tables,
 * footnotes, strikethrough, task lists), without the autolink-literal
 * extension. Why: turning bare `www.` and `https://` text into links costs as
 * much parsing time as the rest of GFM together (docs/benchmarks-history.md), and
 * papers write links as `[text](url)`. A bare URL stays readable text.
 */
import {gfmFootnoteFromMarkdown, gfmFootnoteToMarkdown, gfmStrikethroughFromMarkdown, gfmStrikethroughToMarkdown, gfmTableFromMarkdown, gfmTableToMarkdown, gfmTaskListItemFromMarkdown, gfmTaskListItemToMarkdown, gfmFootnote, gfmStrikethrough, gfmTable, gfmTaskListItem} from '../vendor/index.js'
import type {Processor} from 'unified'

export default function remarkGfmPapers(this: Processor) {
  const data = this.data() as Record<string, unknown[] | undefined>
  ;(data.micromarkExtensions ??= []).push(gfmFootnote(), gfmStrikethrough({singleTilde: false}), gfmTable(), gfmTaskListItem())
  ;(data.fromMarkdownExtensions ??= []).push(gfmFootnoteFromMarkdown(), gfmStrikethroughFromMarkdown(), gfmTableFromMarkdown(), gfmTaskListItemFromMarkdown())
  ;(data.toMarkdownExtensions ??= []).push(gfmFootnoteToMarkdown(), gfmStrikethroughToMarkdown(), gfmTableToMarkdown(), gfmTaskListItemToMarkdown())
}
