/** A paper parsed whole and in pieces (src/pipeline/pieces.ts), for comparing the two trees. */
import remarkDirective from 'remark-directive'
import remarkParse from 'remark-parse'
import {unified} from 'unified'
import {VFile} from 'vfile'
import remarkGfmPapers from '../../src/pipeline/gfm.js'
import {installPieces, pieceStarts} from '../../src/pipeline/pieces.js'

const processor = unified().use(remarkParse).use(remarkGfmPapers).use(remarkDirective)
const inPieces = installPieces(processor as never)
processor.freeze()
export const parse = (document: string) => processor.parse(document)

/** The tree parsed whole, and in pieces of at least `size` characters. */
export function both(document: string, size = 1) {
  return {whole: parse(document), pieces: inPieces((text) => parse(text), document, new VFile(document), size), starts: pieceStarts(document, size)}
}
