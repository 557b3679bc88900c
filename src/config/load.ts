/**
 * Read `mopac.config.json`: text in, the site configuration or positioned
 * messages out. Pure (no file system, no clock): the CLI reads the file and
 * prints the messages.
 *
 * The JSON is parsed with jsonc-parser, which keeps every value's offset, so
 * each problem is reported at the line and column of its key or value, all at
 * once: a syntax error, a key given twice, an unknown key, a bad value, a
 * marking or sensitive-material syntax in text the site would publish.
 * Strict JSON: no comments, no trailing commas (write notes in `$comment`).
 */
import {findNodeAtLocation, parseTree, printParseErrorCode, type Node as JsonNode, type ParseError} from 'jsonc-parser'
import type {Point} from 'unist'
import {VFile} from '../vendor/index.js'
import {findMarking, hasSensitiveSyntax} from '../content/markings.js'
import {CONFIG_FILE, DEFAULT_CONFIG} from './defaults.js'
import {allowedKeys, configSchema, type ConfigInput, type ContactInput} from './schema.js'
import type {Contact, SiteConfig} from './types.js'

export {CONFIG_FILE, DEFAULT_CONFIG}

export interface ConfigResult {
  /** The configuration, when the file is valid (defaults filled in). */
  config?: SiteConfig
  /** Its messages (errors are `fatal`), each at `line:column` of the file. */
  file: VFile
}

const PARSE_ERRORS: Record<string, string> = {
  InvalidSymbol: 'an unexpected character',
  InvalidNumberFormat: 'a badly written number',
  PropertyNameExpected: 'a key in double quotes was expected (a trailing comma?)',
  ValueExpected: 'a value was expected (a trailing comma?)',
  ColonExpected: 'a `:` was expected after the key',
  CommaExpected: 'a `,` was expected between items',
  CloseBraceExpected: 'a closing `}` was expected',
  CloseBracketExpected: 'a closing `]` was expected',
  EndOfFileExpected: 'nothing may follow the closing `}`',
  InvalidCommentToken: 'comments are not allowed in JSON (write notes in "$comment")',
  UnexpectedEndOfComment: 'an unclosed comment',
  UnexpectedEndOfString: 'an unclosed string',
  UnexpectedEndOfNumber: 'an unfinished number',
  InvalidUnicode: 'a bad \\u escape',
  InvalidEscapeCharacter: 'a bad escape after `\\`',
  InvalidCharacter: 'a control character inside a string'
}

/** Offset -> 1-based line and column. */
function pointAt(text: string, offset: number): Point {
  let line = 1
  let start = 0
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++
      start = i + 1
    }
  }
  return {line, column: offset - start + 1, offset}
}

function error(file: VFile, reason: string, place: Point, ruleId: string): void {
  const message = file.message(reason, {place, ruleId, source: 'mopac'})
  message.fatal = true
}

const pathText = (path: readonly PropertyKey[]) => path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '')

/**
 * Parse and validate the text of `mopac.config.json`. `path` names the file
 * in messages. An empty file is an error; a missing file is not this
 * function's business (the caller uses {@link DEFAULT_CONFIG}).
 */
export function parseSiteConfig(source: string, path = CONFIG_FILE): ConfigResult {
  return sorted(parse(source, path))
}

function parse(source: string, path: string): ConfigResult {
  const file = new VFile({path, value: source})
  // Without a byte order mark, so columns are those an editor shows.
  const text = source.startsWith('\ufeff') ? source.slice(1) : source
  const parseErrors: ParseError[] = []
  const root = parseTree(text, parseErrors, {disallowComments: true, allowTrailingComma: false, allowEmptyContent: false})
  const reported = new Set<number>()
  for (const problem of parseErrors) {
    // One message per place (a trailing comma is both "key expected" and "value expected").
    if (reported.has(problem.offset)) continue
    reported.add(problem.offset)
    const name = printParseErrorCode(problem.error)
    error(file, `Invalid JSON: ${PARSE_ERRORS[name] ?? name}`, pointAt(text, problem.offset), 'config-json')
  }
  if (parseErrors.length > 0 || !root) {
    if (!root && parseErrors.length === 0) error(file, 'The file is empty: write `{}` for MOPAC\'s defaults, or remove the file', {line: 1, column: 1}, 'config-json')
    return {file}
  }
  if (root.type !== 'object') {
    error(file, 'The configuration must be a JSON object (`{ ... }`)', pointAt(text, root.offset), 'config-invalid')
    return {file}
  }

  const at = (node: JsonNode | undefined) => pointAt(text, node?.offset ?? 0)
  /** The node of a path's value, or the nearest node above it that exists. */
  const nearest = (path: readonly PropertyKey[]): JsonNode => {
    for (let n = path.length; n >= 0; n--) {
      const node = findNodeAtLocation(root, path.slice(0, n) as (string | number)[])
      if (node) return node
    }
    return root
  }
  /** The key node of the property `key` of the object at `path`. */
  const keyNode = (path: readonly PropertyKey[], key: string): JsonNode | undefined => {
    const object = findNodeAtLocation(root, path as (string | number)[])
    return object?.children?.find((property) => property.children?.[0]?.value === key)?.children?.[0]
  }

  // Checks on the tree itself: keys given twice (JSON would keep the last
  // silently), and public text holding a marking, sensitive-material syntax
  // or a comment (the site would print it as written).
  let ok = true
  const walk = (node: JsonNode, path: PropertyKey[]) => {
    if (node.type === 'object') {
      const seen = new Set<string>()
      for (const property of node.children ?? []) {
        const [keyPart, value] = property.children ?? []
        const key = String(keyPart?.value)
        if (seen.has(key)) {
          ok = false
          error(file, `\`${pathText([...path, key])}\` is given twice: give each key once`, at(keyPart), 'config-duplicate-key')
        }
        seen.add(key)
        if (value) walk(value, [...path, key])
      }
    } else if (node.type === 'array') {
      node.children?.forEach((child, i) => walk(child, [...path, i]))
    } else if (node.type === 'string' && path[0] !== '$schema' && path[0] !== '$comment') {
      const value = String(node.value)
      const marking = findMarking(value)
      if (marking || hasSensitiveSyntax(value) || /<!--|-->/.test(value)) {
        ok = false
        error(
          file,
          `\`${pathText(path)}\` holds ${marking ? `the marking \`${marking}\`` : /<!--|-->/.test(value) ? 'an HTML comment' : 'sensitive-material syntax'}: everything in this file but \`approvals\` is published on every page, so it must be public text`,
          at(node),
          'config-marking'
        )
      }
    }
  }
  walk(root, [])

  const raw = JSON.parse(text.trim() === '' ? 'null' : text) as unknown
  const result = configSchema.safeParse(raw)
  if (!result.success) {
    ok = false
    const unknownAt = new Set(result.error.issues.filter((issue) => issue.code === 'unrecognized_keys').map((issue) => pathText(issue.path)))
    for (const issue of result.error.issues) {
      // An object with an unknown key is reported for that key alone (not also as empty).
      if (issue.code === 'custom' && unknownAt.has(pathText(issue.path))) continue
      if (issue.code === 'unrecognized_keys') {
        for (const key of issue.keys) {
          error(file, `Unknown key \`${pathText([...issue.path, key])}\`: the keys allowed ${issue.path.length > 0 ? `in \`${pathText(issue.path)}\`` : 'at the top'} are ${allowedKeys(issue.path).join(', ')} (see README, "Site configuration")`, at(keyNode(issue.path, key)), 'config-unknown-key')
        }
        continue
      }
      error(file, `Invalid \`${pathText(issue.path) || 'configuration'}\`: ${issue.message}`, at(nearest(issue.path)), 'config-invalid')
    }
  }
  if (!ok || !result.success) return {file}

  const input = result.data
  const config = resolve(input)
  // Checks across keys, on the values in force (defaults included).
  const {accessibility} = config
  const given = input.accessibility ?? {}
  if (accessibility.lastReviewed < accessibility.prepared) {
    const key = given.lastReviewed !== undefined ? 'lastReviewed' : 'prepared'
    error(file, `Invalid \`accessibility.${key}\`: the statement was last reviewed (${accessibility.lastReviewed}) before it was prepared (${accessibility.prepared}); give both dates`, at(nearest(['accessibility', key])), 'config-invalid')
  }
  if (accessibility.compliance === 'full' && accessibility.nonAccessible.length > 0) {
    error(file, 'Invalid `accessibility.compliance`: "full" means no content is known not to be accessible, yet `nonAccessible` lists some; say "partial", or empty the list', at(nearest(['accessibility', 'compliance'])), 'config-invalid')
  }
  if (accessibility.compliance !== 'full' && accessibility.nonAccessible.length === 0) {
    error(file, `Invalid \`accessibility.compliance\`: "${accessibility.compliance}" needs the content that is not accessible listed in \`nonAccessible\` (the model statement asks for it)`, at(nearest(['accessibility', 'compliance'])), 'config-invalid')
  }
  if (file.messages.some((m) => m.fatal)) return {file}
  return {config, file}
}

/** Messages in the order of the file. */
function sorted(result: ConfigResult): ConfigResult {
  result.file.messages.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0))
  return result
}

function contactOf(input: ContactInput | undefined, fallback: Contact): Contact {
  if (!input) return fallback
  const out: Contact = {}
  if (input.email !== undefined) out.email = input.email
  if (input.phone !== undefined) out.phone = input.phone
  if (input.address !== undefined) out.address = input.address
  if (input.webForm !== undefined) out.webForm = input.webForm
  return out
}

/** The absolute site URL, ending in `/`, without query or fragment. */
export function normaliseBaseUrl(value: string): string {
  const url = new URL(value)
  url.search = ''
  url.hash = ''
  return url.href.endsWith('/') ? url.href : url.href + '/'
}

/**
 * The configuration in force: the file's values over MOPAC's defaults. A
 * contact given replaces the default contact whole. The list of content
 * that is not accessible is the default only when neither it nor the
 * compliance status is given.
 */
export function resolve(input: ConfigInput): SiteConfig {
  const d = DEFAULT_CONFIG
  const a = input.accessibility ?? {}
  const nonAccessible = a.nonAccessible ?? (a.compliance === undefined ? d.accessibility.nonAccessible : [])
  const foi = input.foi ?? {}
  const request = contactOf(foi.email !== undefined || foi.phone !== undefined || foi.address !== undefined || foi.webForm !== undefined ? foi : undefined, d.foi.request)
  const baseUrl = input.site?.baseUrl
  return {
    site: {name: input.site?.name ?? d.site.name, ...(baseUrl ? {baseUrl: normaliseBaseUrl(baseUrl)} : {})},
    organisation: {
      name: input.organisation?.name ?? d.organisation.name,
      shortName: input.organisation?.shortName ?? d.organisation.shortName,
      website: input.organisation?.website ?? d.organisation.website,
      address: input.organisation?.address ?? d.organisation.address
    },
    accessibility: {
      contact: contactOf(a.contact, d.accessibility.contact),
      responseDays: a.responseDays ?? d.accessibility.responseDays,
      compliance: a.compliance ?? (nonAccessible.length > 0 ? 'partial' : 'full'),
      nonAccessible,
      prepared: a.prepared ?? d.accessibility.prepared,
      lastReviewed: a.lastReviewed ?? (a.prepared !== undefined && a.prepared > d.accessibility.lastReviewed ? a.prepared : d.accessibility.lastReviewed),
      ...(a.lastTested ? {lastTested: a.lastTested} : {})
    },
    privacy: {
      contact: contactOf(input.privacy?.contact, d.privacy.contact),
      ...((input.privacy?.lastUpdated ?? d.privacy.lastUpdated) ? {lastUpdated: input.privacy?.lastUpdated ?? d.privacy.lastUpdated} : {})
    },
    foi: {request, internalReview: contactOf(foi.internalReview, request)},
    ico: {
      complaintsUrl: input.ico?.complaintsUrl ?? d.ico.complaintsUrl,
      phone: input.ico?.phone ?? d.ico.phone,
      address: input.ico?.address ?? d.ico.address
    },
    approvals: input.approvals ?? d.approvals
  }
}
