/**
 * remark plugin: the GitHub-flavoured Markdown that papers use (tables,
 * footnotes, strikethrough, task lists), without the autolink-literal
 * extension. Why: turning bare `www.` and `https://` text into links costs as
 * much parsing time as the rest of GFM together (docs/benchmarks.md), and
 * papers write links as `[text](url)`. A bare URL stays readable text.
 */
import {gfmFootnoteFromMarkdown, gfmFootnoteToMarkdown} from 'mdast-util-gfm-footnote'
import {gfmStrikethroughFromMarkdown, gfmStrikethroughToMarkdown} from 'mdast-util-gfm-strikethrough'
import {gfmTableFromMarkdown, gfmTableToMarkdown} from 'mdast-util-gfm-table'
import {gfmTaskListItemFromMarkdown, gfmTaskListItemToMarkdown} from 'mdast-util-gfm-task-list-item'
import {gfmFootnote} from 'micromark-extension-gfm-footnote'
import {gfmStrikethrough} from 'micromark-extension-gfm-strikethrough'
import {gfmTable} from 'micromark-extension-gfm-table'
import {gfmTaskListItem} from 'micromark-extension-gfm-task-list-item'
import type {Processor} from 'unified'

export default function remarkGfmPapers(this: Processor) {
  const data = this.data() as Record<string, unknown[] | undefined>
  ;(data.micromarkExtensions ??= []).push(gfmFootnote(), gfmStrikethrough({singleTilde: false}), gfmTable(), gfmTaskListItem())
  ;(data.fromMarkdownExtensions ??= []).push(gfmFootnoteFromMarkdown(), gfmStrikethroughFromMarkdown(), gfmTableFromMarkdown(), gfmTaskListItemFromMarkdown())
  ;(data.toMarkdownExtensions ??= []).push(gfmFootnoteToMarkdown(), gfmStrikethroughToMarkdown(), gfmTableToMarkdown(), gfmTaskListItemToMarkdown())
}
