/**
 * The marked rendering for reviewers: the UNREDACTED body, with every
 * sensitive block and span outlined and labelled. It comes from the
 * pipeline's one processor in `review` mode (same parse, same plugins as the
 * public rendering), with local files and papers addressed at the preview's
 * own routes. Never written anywhere: the preview server renders it on request.
 */
import {readPaper} from '../content/read.js'
import {REVIEW_PREFIX, renderReview} from '../pipeline/processor.js'
import type {PaperInput} from '../publish/process.js'
import {contentUrl, paperUrl} from './urls.js'

/** Ids in the marked rendering carry this prefix (the public rendering's is `user-content-`), so the two can share a page. */
export const MARKED_PREFIX = REVIEW_PREFIX

/** A local file or paper, at the preview's address for it. */
function previewUrl(source: string): string {
  return /\.md$/i.test(source) ? paperUrl(source) : contentUrl(source)
}

/** The marked HTML of a paper's body. */
export function renderMarked(input: PaperInput): string {
  const paper = readPaper(input.path, input.relativePath, input.bytes)
  // As the public path reads them (publish/process.ts): the same default exemptions.
  paper.file.data.defaultExemptions = paper.defaultExemptions
  paper.file.data.relativePath = input.relativePath
  return renderReview(paper.file, previewUrl)
}
