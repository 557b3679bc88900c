/**
 * The third-party modules the build loads at run time (the unified
 * ecosystem, the frontmatter and configuration parsers, London time), in one
 * module. Why: Node reads and compiles each of their hundreds of files at
 * every start of the command and of each worker thread, about 0.3 s; after
 * `tsc`, `scripts/bundle-vendor.js` bundles this module's compiled form into
 * one file (about 0.08 s to load), which the npm scripts run. Compiled by
 * `tsc` alone it is the same modules, loaded one by one.
 *
 * Everything the build imports from these packages comes from here, so that
 * one copy of each is loaded (a VFile or a processor from two copies would
 * not be the same class). The leak check (src/verify) imports its own
 * packages directly: it shares no code with the rest. Type-only imports
 * name the packages themselves.
 */
export {VFile} from 'vfile'
export {reporter} from 'vfile-reporter'
export {unified} from 'unified'
export {CONTINUE, EXIT, SKIP, visit} from 'unist-util-visit'
export {toString} from 'mdast-util-to-string'
export {gfmFootnoteFromMarkdown, gfmFootnoteToMarkdown} from 'mdast-util-gfm-footnote'
export {gfmFootnote} from 'micromark-extension-gfm-footnote'
export {gfmStrikethroughFromMarkdown, gfmStrikethroughToMarkdown} from 'mdast-util-gfm-strikethrough'
export {gfmStrikethrough} from 'micromark-extension-gfm-strikethrough'
export {gfmTableFromMarkdown, gfmTableToMarkdown} from 'mdast-util-gfm-table'
export {gfmTable} from 'micromark-extension-gfm-table'
export {gfmTaskListItemFromMarkdown, gfmTaskListItemToMarkdown} from 'mdast-util-gfm-task-list-item'
export {gfmTaskListItem} from 'micromark-extension-gfm-task-list-item'
export {fromHtml} from 'hast-util-from-html'
export {toHtml} from 'hast-util-to-html'
export {defaultSchema, sanitize} from 'hast-util-sanitize'
export {h, s} from 'hastscript'
export {default as rehypeParse} from 'rehype-parse'
export {default as rehypeRaw} from 'rehype-raw'
export {default as rehypeRemark} from 'rehype-remark'
export {default as rehypeSanitize} from 'rehype-sanitize'
export {default as rehypeStringify} from 'rehype-stringify'
export {default as remarkDirective} from 'remark-directive'
export {default as remarkParse} from 'remark-parse'
export {default as remarkRehype} from 'remark-rehype'
export {default as remarkStringify} from 'remark-stringify'
export {z} from 'zod'
export {default as matter} from 'gray-matter'
export {LineCounter, isMap, isPair, isScalar, isSeq, parseDocument, visit as visitYaml} from 'yaml'
export {TZDate} from '@date-fns/tz'
