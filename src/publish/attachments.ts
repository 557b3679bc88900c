/**
 * Attachments: the local files (images, documents) that public text refers
 * to and that the build copies beside the page. One module, used by the
 * build and the preview, so both judge a file the same way.
 *
 * The rule is an allowlist decided by content, not a search for script:
 *
 * - the extension must be one of PDF, PNG, JPEG, GIF, WebP, CSV or SVG;
 * - the content must be that type (magic bytes, via `file-type`, and a walk
 *   of the format's structure), with nothing after the format's end (a PNG
 *   with a page appended, a motion photo's video);
 * - CSV is UTF-8 text with no control characters and no markup a browser
 *   could sniff as HTML;
 * - SVG is parsed as XML (saxes, namespaces resolved), checked against an
 *   allowlist of elements and attributes, and re-serialised from the parsed
 *   tree: the site gets the sanitized bytes, never the original.
 *
 * Everything else (web pages, scripts, XML, Office files, archives, plain
 * text) is refused, so nothing in `files/` can be served as HTML or XHTML.
 */
import {readRegularFile} from '../content/source-file.js'
import fs from 'node:fs/promises'
import path from 'node:path'
import {fileTypeFromBuffer} from 'file-type'
import {SaxesParser, type SaxesTagNS} from 'saxes'
import {MARKDOWN_NAME} from '../content/discover.js'
import type {AssetRef} from '../pipeline/data.js'
import type {PlainMessage} from './outcome.js'
import type {PublicAsset} from './types.js'

/** The largest attachment published: what the leak check reads of a file public text links to. */
export const MAX_ATTACHMENT_BYTES = 64 * 1024 * 1024

type Kind = 'pdf' | 'png' | 'jpeg' | 'gif' | 'webp' | 'csv' | 'svg'

/** The allowlist: extension (any letter case) -> the type its content must be. */
export const ATTACHMENT_TYPES: Readonly<Record<string, Kind>> = Object.freeze({
  '.pdf': 'pdf',
  '.png': 'png',
  '.jpg': 'jpeg',
  '.jpeg': 'jpeg',
  '.gif': 'gif',
  '.webp': 'webp',
  '.csv': 'csv',
  '.svg': 'svg'
})

const LABEL: Record<Kind, string> = {pdf: 'a PDF', png: 'a PNG image', jpeg: 'a JPEG image', gif: 'a GIF image', webp: 'a WebP image', csv: 'CSV text', svg: 'an SVG image'}

/** Extensions of pages and scripts: refused as unsafe (not merely an unlisted type), for a clearer message. */
const WEB_EXTENSIONS = /^\.(html?|xht(ml)?|shtml?|xml|xsl[t]?|svgz|js|mjs|cjs|php\d?|phtml|asp|aspx|jsp|swf|hta|mht(ml)?|vbs|wasm)$/

export type Admission = {ok: true; bytes: Uint8Array} | {ok: false; ruleId: 'asset-type' | 'asset-content' | 'asset-unsafe'; reason: string}

const refuse = (ruleId: 'asset-type' | 'asset-content' | 'asset-unsafe', reason: string): Admission => ({ok: false, ruleId, reason})

/**
 * Decide whether a file may be published as an attachment, from its name and
 * bytes. On success, `bytes` is what to publish (for SVG, the sanitized
 * re-serialisation; otherwise the file as it is). `reason` follows the file's
 * name in a message ("File `x.png` ...").
 */
export async function admitAttachment(name: string, bytes: Uint8Array): Promise<Admission> {
  const ext = path.posix.extname(name.replace(/\\/g, '/')).toLowerCase()
  const kind = Object.hasOwn(ATTACHMENT_TYPES, ext) ? ATTACHMENT_TYPES[ext] : undefined
  const markup = startsWithMarkup(bytes)
  if (!kind) {
    if (WEB_EXTENSIONS.test(ext) || markup) return refuse('asset-unsafe', `is ${ext ? `a \`${ext}\` file` : 'a file with no extension'}, a web page, script or markup that would run in a reader's browser: publish a PDF or a plain image instead`)
    return refuse('asset-type', `is ${ext ? `a \`${ext}\` file` : 'a file with no extension'}: attachments may only be PDF, PNG, JPEG, GIF, WebP, CSV or SVG. Convert it (a document to PDF, a spreadsheet to CSV)`)
  }
  // Why: a browser sniffs content that opens with `<` as HTML or XML when a
  // server gives no (or a generic) type, whatever the extension.
  if (kind !== 'svg' && markup) return refuse('asset-unsafe', `is named \`${ext}\` but holds markup (it starts with \`<\`, like a web page or XML document), which a browser could run: publish ${LABEL[kind]} that really is one`)
  const detected = await fileTypeFromBuffer(bytes)
  const mismatch = () => refuse('asset-content', `is named \`${ext}\` but is not ${LABEL[kind]}${detected ? ` (its content is ${detected.ext.toUpperCase()})` : ''}: the extension must match the content`)
  switch (kind) {
    case 'pdf':
      if (detected?.ext !== 'pdf' && detected?.ext !== 'ai') return mismatch()
      return endsCleanly(bytes, pdfEnd(bytes), ext)
    case 'png':
      if (detected?.ext !== 'png' && detected?.ext !== 'apng') return mismatch()
      return endsCleanly(bytes, pngEnd(bytes), ext)
    case 'jpeg':
      if (detected?.ext !== 'jpg') return mismatch()
      return endsCleanly(bytes, jpegEnd(bytes), ext)
    case 'gif':
      if (detected?.ext !== 'gif') return mismatch()
      return endsCleanly(bytes, gifEnd(bytes), ext)
    case 'webp':
      if (detected?.ext !== 'webp') return mismatch()
      return endsCleanly(bytes, webpEnd(bytes), ext)
    case 'csv':
      if (detected) return mismatch()
      return checkCsv(bytes)
    case 'svg':
      if (detected && detected.ext !== 'xml') return mismatch()
      return sanitizeSvgAdmission(bytes)
  }
}

/** Whether the bytes, after a byte order mark and whitespace, open with `<` (HTML, XML, SVG). */
function startsWithMarkup(bytes: Uint8Array): boolean {
  const head = bytes.subarray(0, 1024)
  const encoding = head[0] === 0xfe && head[1] === 0xff ? 'utf-16be' : head[0] === 0xff && head[1] === 0xfe ? 'utf-16le' : 'latin1'
  return /^[\uFEFF\u00EF\u00BB\u00BF\u00FE\u00FF\s\0]*</.test(new TextDecoder(encoding).decode(head))
}

function endsCleanly(bytes: Uint8Array, end: number | string, ext: string): Admission {
  if (typeof end === 'string') return refuse('asset-content', `is named \`${ext}\` but ${end}: export it again`)
  if (end < bytes.length) return refuse('asset-content', `has ${bytes.length - end} bytes after the end of its ${ext.slice(1).toUpperCase()} data (an appended file, a page, or hidden data such as a motion photo's video), which would be published unseen: export it again`)
  return {ok: true, bytes}
}

// ---------------------------------------------------------------------------
// Binary formats: walk the structure to the format's end marker. Each
// returns the offset just past the end, or a reason the file is broken.

const u32be = (b: Uint8Array, i: number) => ((b[i] << 24) >>> 0) + (b[i + 1] << 16) + (b[i + 2] << 8) + b[i + 3]

function pngEnd(b: Uint8Array): number | string {
  let i = 8
  let first = true
  while (i + 12 <= b.length) {
    const length = u32be(b, i)
    const type = String.fromCharCode(b[i + 4], b[i + 5], b[i + 6], b[i + 7])
    if (first && type !== 'IHDR') return 'its PNG data does not start with a header chunk'
    first = false
    i += 12 + length
    if (i > b.length) break
    if (type === 'IEND') return i
  }
  return 'its PNG data is cut short (no end chunk)'
}

function jpegEnd(b: Uint8Array): number | string {
  let i = 2
  while (i < b.length) {
    if (b[i] !== 0xff) return 'its JPEG data is malformed'
    while (b[i] === 0xff) i++
    const marker = b[i++]
    if (marker === undefined) break
    if (marker === 0xd9) return i
    if ((marker >= 0xd0 && marker <= 0xd7) || marker === 0x01) continue
    if (i + 2 > b.length) break
    const length = (b[i] << 8) + b[i + 1]
    if (length < 2) return 'its JPEG data is malformed'
    i += length
    if (marker === 0xda) {
      // Entropy-coded data runs to the next marker that is not a stuffed 0xFF00 or a restart.
      while (i < b.length) {
        if (b[i] !== 0xff) {
          i++
          continue
        }
        const next = b[i + 1]
        if (next === 0x00 || (next >= 0xd0 && next <= 0xd7)) i += 2
        else if (next === 0xff) i++
        else break
      }
    }
  }
  return 'its JPEG data is cut short (no end marker)'
}

function gifEnd(b: Uint8Array): number | string {
  if (b.length < 13) return 'its GIF data is cut short'
  let i = 13
  if (b[10] & 0x80) i += 3 * 2 ** ((b[10] & 7) + 1)
  const subBlocks = () => {
    while (i < b.length) {
      const size = b[i++]
      if (size === 0) return true
      i += size
    }
    return false
  }
  while (i < b.length) {
    const block = b[i++]
    if (block === 0x3b) return i
    if (block === 0x21) {
      i++
      if (!subBlocks()) break
    } else if (block === 0x2c) {
      if (i + 9 > b.length) break
      const packed = b[i + 8]
      i += 9
      if (packed & 0x80) i += 3 * 2 ** ((packed & 7) + 1)
      i++ // LZW minimum code size
      if (!subBlocks()) break
    } else return 'its GIF data is malformed'
  }
  return 'its GIF data is cut short (no trailer)'
}

function webpEnd(b: Uint8Array): number | string {
  if (b.length < 12) return 'its WebP data is cut short'
  const size = b[4] + (b[5] << 8) + (b[6] << 16) + ((b[7] << 24) >>> 0)
  const end = 8 + size + (size % 2)
  if (end > b.length) return 'its WebP data is cut short'
  return end
}

/** A PDF ends at its last `%%EOF`; only line ends, spaces or NULs may follow. */
function pdfEnd(b: Uint8Array): number | string {
  const tail = Buffer.from(b.subarray(Math.max(0, b.length - 2048))).toString('latin1')
  const at = tail.lastIndexOf('%%EOF')
  if (at === -1) return 'its PDF data is cut short (no `%%EOF`)'
  const rest = tail.slice(at + 5)
  return /^[\s\0]*$/.test(rest) ? b.length : b.length - rest.length
}

// ---------------------------------------------------------------------------
// CSV

function checkCsv(bytes: Uint8Array): Admission {
  let text: string
  try {
    text = new TextDecoder('utf-8', {fatal: true, ignoreBOM: true}).decode(bytes)
  } catch {
    return refuse('asset-content', 'is named `.csv` but is not UTF-8 text: save it as "CSV UTF-8"')
  }
  if (text.startsWith('\uFEFF')) text = text.slice(1)
  const control = /[\0-\x08\x0B\x0C\x0E-\x1F\x7F-\x9F]/.exec(text)
  if (control) return refuse('asset-content', `is named \`.csv\` but holds a control character (U+${control[0].charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}), so it is not plain text: save it as "CSV UTF-8"`)
  // Why: a browser may sniff text as HTML (or, in old browsers, as UTF-7 HTML);
  // a data table needs no tags.
  const tag = /<[A-Za-z!?/]/.exec(text)
  if (tag) return refuse('asset-unsafe', `is named \`.csv\` but holds markup (\`${tag[0]}\`), which a browser could read as a web page: remove it (write "less than" or add a space after \`<\`)`)
  if (/\+AD[wz]-?/i.test(text)) return refuse('asset-unsafe', 'is named `.csv` but holds `+ADw-`, which old browsers read as `<` (UTF-7): remove it')
  return {ok: true, bytes}
}

// ---------------------------------------------------------------------------
// SVG: parse, check against the allowlist, re-serialise.

const SVG_NS = 'http://www.w3.org/2000/svg'
const XLINK_NS = 'http://www.w3.org/1999/xlink'
const XML_NS = 'http://www.w3.org/XML/1998/namespace'
const XMLNS_NS = 'http://www.w3.org/2000/xmlns/'
/** Namespaces whose elements can run script or embed pages in an SVG document. */
const ACTIVE_NS = new Set(['http://www.w3.org/1999/xhtml', 'http://www.w3.org/1998/Math/MathML', 'http://www.w3.org/1999/XSL/Transform', 'http://www.w3.org/2001/xml-events', 'http://www.mozilla.org/keymaster/gatekeeper/there.is.only.xul'])
/** Nesting deeper than this is refused (no chart needs it; it guards the serializer's recursion). */
const MAX_DEPTH = 200

/** SVG elements that draw, group or describe; no script, embedded content, images, animation or fonts. */
const SVG_ELEMENTS = new Set([
  'svg', 'g', 'defs', 'symbol', 'use', 'switch', 'title', 'desc', 'metadata', 'a', 'style', 'view',
  'path', 'rect', 'circle', 'ellipse', 'line', 'polyline', 'polygon',
  'text', 'tspan', 'textPath',
  'linearGradient', 'radialGradient', 'stop', 'pattern', 'clipPath', 'mask', 'marker',
  'filter', 'feBlend', 'feColorMatrix', 'feComponentTransfer', 'feComposite', 'feConvolveMatrix', 'feDiffuseLighting',
  'feDisplacementMap', 'feDistantLight', 'feDropShadow', 'feFlood', 'feFuncA', 'feFuncB', 'feFuncG', 'feFuncR',
  'feGaussianBlur', 'feMerge', 'feMergeNode', 'feMorphology', 'feOffset', 'fePointLight', 'feSpecularLighting',
  'feSpotLight', 'feTile', 'feTurbulence'
])

/** Why some SVG elements are refused, for the message. */
const REFUSED_WHY: Record<string, string> = {
  script: 'runs script',
  foreignObject: 'embeds a web page',
  set: 'animates attributes (it can turn a link into `javascript:`)',
  animate: 'animates attributes (it can turn a link into `javascript:`)',
  animateMotion: 'is animation',
  animateTransform: 'is animation',
  animateColor: 'is animation',
  discard: 'is animation',
  handler: 'runs script',
  listener: 'attaches event handlers',
  image: 'embeds or loads an image (convert the whole picture to PNG)',
  feImage: 'embeds or loads an image',
  iframe: 'embeds a page',
  tref: 'refers to other documents',
  cursor: 'loads a file from elsewhere',
  'font-face-uri': 'loads a font from elsewhere'
}

/** Attributes with no namespace that SVG gives a meaning to (geometry, presentation, structure, accessibility). */
const SVG_ATTRIBUTES = new Set([
  'id', 'class', 'style', 'lang', 'role', 'tabindex', 'focusable', 'version', 'baseProfile',
  'x', 'y', 'x1', 'x2', 'y1', 'y2', 'cx', 'cy', 'r', 'rx', 'ry', 'fx', 'fy', 'fr', 'd', 'points', 'width', 'height',
  'viewBox', 'preserveAspectRatio', 'transform', 'pathLength', 'href',
  'gradientUnits', 'gradientTransform', 'spreadMethod', 'offset',
  'patternUnits', 'patternContentUnits', 'patternTransform', 'clipPathUnits', 'maskUnits', 'maskContentUnits',
  'markerUnits', 'markerWidth', 'markerHeight', 'refX', 'refY', 'orient',
  'filterUnits', 'primitiveUnits', 'in', 'in2', 'result', 'stdDeviation', 'dx', 'dy', 'rotate', 'textLength', 'lengthAdjust',
  'startOffset', 'method', 'spacing', 'side', 'path', 'mode', 'operator', 'k1', 'k2', 'k3', 'k4', 'type', 'values', 'tableValues',
  'slope', 'intercept', 'amplitude', 'exponent', 'order', 'kernelMatrix', 'divisor', 'bias', 'targetX', 'targetY', 'edgeMode',
  'kernelUnitLength', 'preserveAlpha', 'surfaceScale', 'diffuseConstant', 'specularConstant', 'specularExponent',
  'azimuth', 'elevation', 'pointsAtX', 'pointsAtY', 'pointsAtZ', 'z', 'limitingConeAngle', 'scale', 'xChannelSelector',
  'yChannelSelector', 'radius', 'baseFrequency', 'numOctaves', 'seed', 'stitchTiles',
  'requiredFeatures', 'requiredExtensions', 'systemLanguage', 'media', 'title', 'viewTarget', 'zoomAndPan',
  // Presentation attributes.
  'alignment-baseline', 'baseline-shift', 'clip', 'clip-path', 'clip-rule', 'color', 'color-interpolation',
  'color-interpolation-filters', 'color-profile', 'color-rendering', 'direction', 'display', 'dominant-baseline',
  'enable-background', 'fill', 'fill-opacity', 'fill-rule', 'filter', 'flood-color', 'flood-opacity', 'font', 'font-family',
  'font-size', 'font-size-adjust', 'font-stretch', 'font-style', 'font-variant', 'font-weight', 'glyph-orientation-horizontal',
  'glyph-orientation-vertical', 'image-rendering', 'isolation', 'kerning', 'letter-spacing', 'lighting-color', 'marker', 'marker-end',
  'marker-mid', 'marker-start', 'mask', 'mask-type', 'mix-blend-mode', 'opacity', 'overflow', 'paint-order', 'pointer-events',
  'shape-rendering', 'stop-color', 'stop-opacity', 'stroke', 'stroke-dasharray', 'stroke-dashoffset', 'stroke-linecap',
  'stroke-linejoin', 'stroke-miterlimit', 'stroke-opacity', 'stroke-width', 'text-anchor', 'text-decoration', 'text-rendering',
  'transform-origin', 'transform-box', 'unicode-bidi', 'vector-effect', 'visibility', 'word-spacing', 'writing-mode'
])

interface SvgElement {
  local: string
  attributes: [name: string, value: string][]
  children: (SvgElement | string)[]
}

class SvgRefusal extends Error {
  constructor(
    readonly ruleId: 'asset-content' | 'asset-unsafe',
    message: string
  ) {
    super(message)
  }
}

function sanitizeSvgAdmission(bytes: Uint8Array): Admission {
  try {
    const clean = sanitizeSvg(bytes)
    // Why: the output must be a fixed point, so what a browser parses is
    // exactly the checked tree.
    if (sanitizeSvg(clean) !== clean) throw new SvgRefusal('asset-unsafe', 'could not be sanitized to a stable form: convert it to PNG')
    return {ok: true, bytes: new TextEncoder().encode(clean)}
  } catch (error) {
    if (error instanceof SvgRefusal) return refuse(error.ruleId, error.message)
    throw error
  }
}

/**
 * Parse an SVG document, check it against the allowlist and return it
 * re-serialised from the parsed tree. Throws `SvgRefusal` (with the reason)
 * for anything that can run script or load something from elsewhere.
 * Dropped without a word: comments, other processing instructions, a
 * DOCTYPE without an internal subset, `<metadata>`, elements and attributes
 * in other (editor) namespaces, and attributes SVG gives no meaning to.
 */
export function sanitizeSvg(input: Uint8Array | string): string {
  let text: string
  if (typeof input === 'string') text = input
  else {
    try {
      text = new TextDecoder('utf-8', {fatal: true, ignoreBOM: true}).decode(input)
    } catch {
      throw new SvgRefusal('asset-content', 'is named `.svg` but is not UTF-8 text: save it as UTF-8, or convert it to PNG')
    }
  }
  if (text.startsWith('\uFEFF')) text = text.slice(1)

  const parser = new SaxesParser({xmlns: true, position: true})
  const stack: (SvgElement | null)[] = []
  let root: SvgElement | undefined
  const at = () => ` (line ${parser.line}, column ${parser.column} of the SVG)`
  const unsafe = (what: string) => {
    throw new SvgRefusal('asset-unsafe', `${what}${at()}: an SVG attachment may only draw (no script, event handlers, embedded pages or images, animation, or references outside the file). Remove it, or convert the image to PNG`)
  }

  parser.on('xmldecl', (decl) => {
    if (decl.encoding && !/^(utf-?8|us-ascii)$/i.test(decl.encoding)) {
      throw new SvgRefusal('asset-content', `declares the encoding \`${decl.encoding}\`: save it as UTF-8, or convert it to PNG`)
    }
  })
  parser.on('doctype', (doctype) => {
    // Why: an internal subset declares entities (expansion bombs, hidden text).
    if (doctype.includes('[')) unsafe('has a DOCTYPE that declares entities')
  })
  parser.on('processinginstruction', (pi) => {
    if (pi.target.toLowerCase() === 'xml-stylesheet') unsafe('has an `xml-stylesheet` instruction (a stylesheet can turn the file into a page)')
  })
  parser.on('opentag', (tag: SaxesTagNS) => {
    const parent = stack.at(-1)
    if (stack.length >= MAX_DEPTH) throw new SvgRefusal('asset-unsafe', `nests elements more than ${MAX_DEPTH} deep${at()}: simplify it, or convert it to PNG`)
    // Inside a dropped subtree everything is dropped, but still checked for what a browser would run.
    const element = openElement(tag, stack.length === 0, parent === null, unsafe)
    if (element && parent) parent.children.push(element)
    if (element && stack.length === 0) root = element
    stack.push(element)
  })
  parser.on('text', (value) => {
    const parent = stack.at(-1)
    if (parent) parent.children.push(value)
  })
  parser.on('cdata', (value) => {
    const parent = stack.at(-1)
    if (parent) parent.children.push(value)
  })
  parser.on('closetag', () => {
    const element = stack.pop()
    if (element?.local === 'style') checkCss(element.children.map((c) => (typeof c === 'string' ? c : '')).join(''), 'a `<style>` element', unsafe)
    if (element?.local === 'style' && element.children.some((c) => typeof c !== 'string')) unsafe('has elements inside `<style>`')
  })

  try {
    parser.write(text).close()
  } catch (error) {
    if (error instanceof SvgRefusal) throw error
    const detail = String((error as Error).message ?? error).replace(/^(?:.*?:)?(\d+):(\d+): (.*?)\.?$/s, 'line $1, column $2 of the SVG: $3')
    throw new SvgRefusal('asset-content', `is named \`.svg\` but is not well-formed XML (${detail}): fix it, or convert it to PNG`)
  }
  if (!root) throw new SvgRefusal('asset-content', 'is named `.svg` but has no `<svg>` root element in the SVG namespace (`xmlns="http://www.w3.org/2000/svg"`): fix it, or convert it to PNG')
  return serialize(root)
}

/**
 * Check one element; return it (allowed), or null (dropped with its
 * subtree). Throws through `unsafe` for anything that can run script.
 */
function openElement(tag: SaxesTagNS, isRoot: boolean, inDropped: boolean, unsafe: (what: string) => never): SvgElement | null {
  const {uri, local} = tag
  if (ACTIVE_NS.has(uri)) unsafe(`has an element \`<${tag.name}>\` in the namespace ${uri}, which can run script or embed a page`)
  if (uri === SVG_NS && !SVG_ELEMENTS.has(local)) {
    unsafe(`has an element \`<${local}>\`, which ${Object.hasOwn(REFUSED_WHY, local) ? REFUSED_WHY[local] : 'is not on the list of SVG elements allowed in attachments'}`)
  }
  // Attributes are checked even on dropped elements: a handler is refused wherever it stands.
  const attributes: [string, string][] = []
  for (const attribute of Object.values(tag.attributes)) {
    const kept = checkAttribute(attribute.uri, attribute.local, attribute.name, attribute.value, local, unsafe)
    if (kept) attributes.push(kept)
  }
  if (isRoot) {
    if (uri !== SVG_NS || local !== 'svg') throw new SvgRefusal('asset-content', 'is named `.svg` but its root element is not `<svg>` in the SVG namespace (`xmlns="http://www.w3.org/2000/svg"`): fix it, or convert it to PNG')
  }
  // Other namespaces (editors' own: Inkscape, Illustrator, RDF) and <metadata> draw nothing.
  if (inDropped || uri !== SVG_NS || local === 'metadata') return null
  return {local, attributes, children: []}
}

function checkAttribute(uri: string, local: string, name: string, value: string, element: string, unsafe: (what: string) => never): [string, string] | undefined {
  if (uri === XMLNS_NS || name === 'xmlns') return undefined
  if (/^on/i.test(local)) unsafe(`has an event handler \`${name}\` on \`<${element}>\``)
  if (uri === XLINK_NS) {
    if (local === 'href') return ['xlink:href', fragmentOnly(value, name, element, unsafe)]
    if (local === 'title') return ['xlink:title', value]
    return undefined
  }
  if (uri === XML_NS) return local === 'space' || local === 'lang' ? [`xml:${local}`, value] : undefined
  if (uri !== '') return undefined
  if (local === 'href') return ['href', fragmentOnly(value, name, element, unsafe)]
  const aria = local.startsWith('aria-') && /^aria-[a-z]+$/.test(local)
  if (!aria && !SVG_ATTRIBUTES.has(local)) return undefined
  // Why: no attribute kept has a use for a script address, whatever a browser makes of it.
  if (/(java|vb)script:/i.test(value.replace(/[\0-\x20]/g, ''))) unsafe(`has a script address in \`${name}\` on \`<${element}>\``)
  if (local === 'style') checkCss(value, `the \`style\` attribute of \`<${element}>\``, unsafe)
  else if (/url\s*\(/i.test(value)) checkCss(value, `the \`${name}\` attribute of \`<${element}>\``, unsafe)
  return [local, value]
}

/** A reference must point inside the file (`#id`): no `javascript:`, `data:` or other files. */
function fragmentOnly(value: string, name: string, element: string, unsafe: (what: string) => never): string {
  // As a browser reads a URL: surrounding spaces and controls ignored, tabs and newlines removed.
  const url = value.replace(/^[\0-\x20]+|[\0-\x20]+$/g, '').replace(/[\t\n\r]/g, '')
  if (!url.startsWith('#')) {
    const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase()
    unsafe(`has \`${name}="${value.slice(0, 60)}"\` on \`<${element}>\`, ${scheme ? `a \`${scheme}:\` address` : 'a reference to another file'} (only references inside the file, \`#id\`, are allowed)`)
  }
  return url
}

/** CSS in SVG: no escapes, imports or addresses other than `url(#id)` (no script, nothing fetched from elsewhere). */
function checkCss(css: string, where: string, unsafe: (what: string) => never): void {
  if (css.includes('\\')) unsafe(`has a backslash escape in ${where}`)
  const bad = /@import|expression\s*\(|javascript:|vbscript:|behavior\s*:|-moz-binding|image-set\s*\(|\bimage\s*\(|\bsrc\s*\(|<\/?[a-z!]/i.exec(css)
  if (bad) unsafe(`has \`${bad[0]}\` in ${where}`)
  for (const match of css.matchAll(/url\s*\(\s*(['"]?)\s*([^'")\s]*)/gi)) {
    if (!match[2].startsWith('#')) unsafe(`has \`${match[0].slice(0, 60)}\` in ${where} (only \`url(#id)\`, inside the file, is allowed)`)
  }
}

const escapeText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r/g, '&#13;')
const escapeAttribute = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;')

function serialize(root: SvgElement): string {
  const out: string[] = []
  const usesXlink = (element: SvgElement): boolean => element.attributes.some(([n]) => n.startsWith('xlink:')) || element.children.some((c) => typeof c !== 'string' && usesXlink(c))
  const write = (element: SvgElement, isRoot: boolean) => {
    out.push('<', element.local)
    if (isRoot) {
      out.push(` xmlns="${SVG_NS}"`)
      if (usesXlink(element)) out.push(` xmlns:xlink="${XLINK_NS}"`)
    }
    for (const [name, value] of element.attributes) out.push(' ', name, '="', escapeAttribute(value), '"')
    if (element.children.length === 0) {
      out.push('/>')
      return
    }
    out.push('>')
    for (const child of element.children) {
      if (typeof child === 'string') out.push(escapeText(child))
      else write(child, false)
    }
    out.push('</', element.local, '>')
  }
  write(root, true)
  out.push('\n')
  return out.join('')
}

// ---------------------------------------------------------------------------
// The check the build and the preview share.

/**
 * Check and read the files one paper refers to. Shared by the build and the
 * preview, so both judge an attachment the same way.
 * @param root the real path of the content folder
 * @param papers real paths and inodes of every paper (`paperIdentities`; a link to one is refused)
 * @returns the files to publish (SVG sanitized) and one error per refused file
 */
export async function checkAssets(content: string, root: string, refs: AssetRef[], papers: Set<string>): Promise<{assets: PublicAsset[]; messages: PlainMessage[]}> {
  const assets: PublicAsset[] = []
  const messages: PlainMessage[] = []
  for (const ref of refs) {
    const place = {line: ref.position?.start.line, column: ref.position?.start.column}
    const problem = (reason: string, ruleId: string) => messages.push({reason, ...place, fatal: true, ruleId})
    let real: string
    let bytes: Uint8Array
    try {
      real = await fs.realpath(path.join(content, ref.source))
      // Why: a symlink must not carry a file from outside the content folder.
      if (real !== root && !real.startsWith(root + path.sep)) {
        problem(`File \`${ref.source}\` is a link to outside the content folder: keep attachments inside it`, 'asset-outside')
        continue
      }
      // Why: a link (or a symlink) to a paper would copy its source, sensitive parts and all.
      if (papers.has(real) || MARKDOWN_NAME.test(real) || MARKDOWN_NAME.test(ref.source)) {
        problem(`File \`${ref.source}\` is a source paper (or links to one): it would be published whole, sensitive parts and all. Link to the decision page instead`, 'asset-paper')
        continue
      }
      const stat = await fs.stat(real)
      if (!stat.isFile()) throw new Error('not a file')
      // A hard link to a paper has a path of its own but the paper's inode.
      if (papers.has(`inode:${stat.dev}:${stat.ino}`)) {
        problem(`File \`${ref.source}\` is a source paper (a hard link to one): it would be published whole, sensitive parts and all. Link to the decision page instead`, 'asset-paper')
        continue
      }
      // Why a limit: the leak check reads every file public text links to
      // whole, and refuses one it cannot (src/verify/index.ts).
      if (stat.size > MAX_ATTACHMENT_BYTES) {
        problem(`File \`${ref.source}\` is larger than ${MAX_ATTACHMENT_BYTES / 2 ** 20} MiB: split or compress it (the leak check reads every attachment whole)`, 'asset-too-large')
        continue
      }
      // As a regular file only, at most its size when opened (a pipe swapped in since is never waited on).
      bytes = readRegularFile(real, {follow: true, limit: MAX_ATTACHMENT_BYTES})
    } catch {
      problem(`File \`${ref.source}\` does not exist: add it to the content folder or fix the address`, 'asset-missing')
      continue
    }
    // Why: anything that opens like a paper (a `---` line, any line ending) is
    // refused; so is a text file (CSV, SVG) that holds a paper's signs
    // anywhere: a frontmatter fence line, a `classification:` key or
    // sensitive-material syntax (a copy of a paper behind a blank line).
    if (/^(\uFEFF)?---[ \t]*(\r\n|\r|\n)/.test(Buffer.from(bytes.subarray(0, 64)).toString('utf8')) || (/\.(csv|svg)$/i.test(ref.source) && looksLikePaper(Buffer.from(bytes).toString('utf8')))) {
      problem(`File \`${ref.source}\` looks like a paper (a \`---\` frontmatter line, a \`classification:\` key or \`official-sensitive\` syntax): it would be published whole. Link to the decision page instead`, 'asset-paper')
      continue
    }
    // Judged on the name the file is served under, and on its bytes.
    let admission: Admission
    try {
      admission = await admitAttachment(ref.target, bytes)
    } catch {
      admission = {ok: false, ruleId: 'asset-content', reason: 'could not be read as the type its name says: export it again'}
    }
    if (!admission.ok) {
      problem(`File \`${ref.source}\` ${admission.reason}`, admission.ruleId)
      continue
    }
    assets.push({target: ref.target, bytes: admission.bytes})
  }
  return {assets, messages}
}

/** Whether text holds a paper's signs: a frontmatter fence line, a classification key, sensitive-material syntax. */
function looksLikePaper(text: string): boolean {
  return /^[ \t\uFEFF]*(?:---|\+\+\+)[ \t]*\r?$/m.test(text) || /^[ \t\uFEFF]*classification[ \t]*:/im.test(text) || /:official-sensitive/i.test(text)
}
