/**
 * Frontmatter: split with gray-matter, parsed as YAML with the failsafe schema
 * (every scalar stays text), validated with a strict zod schema. Every problem
 * is reported at its key's line and column, all at once.
 */
import {matter, LineCounter, parseDocument, isMap, isPair, isScalar, isSeq, visitYaml, z} from '../vendor/index.js'
import type {Document, Node as YamlNode} from 'yaml'
import type {Point, Position} from 'unist'
import type {VFile} from 'vfile'
import {parseCalendarDate, parseLondonInstant} from '../time/london.js'
import {parseExemption, splitExemptions} from './exemptions.js'
import {findMarking, hasSensitiveSyntax} from './markings.js'
import {fail} from './messages.js'
import {closest, didYouMean, suggestClassification, suggestExemption} from './suggest.js'
import type {Frontmatter} from './types.js'

const text = z.string().trim().min(1, 'must not be empty')
const list = z.union([z.array(text), text.transform((value) => splitExemptions(value))])

/**
 * The public and internal keys of a paper. Why strict: a misspelt `deferal:`
 * must stop the build, not publish the paper early.
 */
export const frontmatterSchema = z.strictObject({
  id: text,
  title: text,
  date: text,
  classification: text,
  decision_maker: text.optional(),
  summary: text.optional(),
  tags: z.array(text).optional(),
  draft: z.enum(['true', 'false'], {message: 'must be `true` or `false`'}).optional(),
  withdrawn: z
    .strictObject({
      date: text,
      explanation: text,
      remove: z.enum(['true', 'false'], {message: 'must be `true` or `false`'}).optional()
    })
    .optional(),
  updates: z.array(z.strictObject({date: text, note: text})).optional(),
  deferral: z
    .strictObject({
      until: text,
      reason: text.optional()
    })
    .optional(),
  part2: z
    .strictObject({
      exemptions: list.optional(),
      review: text.optional()
    })
    .optional()
})

export interface FrontmatterResult {
  frontmatter?: Frontmatter
  /** The body with the frontmatter replaced by spaces, so positions stay true. */
  body: string
  deferUntil?: Date
  level?: 'OFFICIAL' | 'OFFICIAL-SENSITIVE'
  /** Valid `part2.exemptions`, for checking the body even when other keys are wrong. */
  defaultExemptions?: string[]
  /** `draft: true`, read even when other keys are wrong (a broken draft is still a draft). */
  draft?: boolean
}

const officialSensitiveRe = /^OFFICIAL-SENSITIVE(?: \[[A-Z][A-Z -]*\])?$/

/** Read, check and place the frontmatter of `source` (LF line endings, no BOM). */
export function readFrontmatter(source: string, file: VFile): FrontmatterResult {
  const lineCounter = new LineCounter()
  let document: Document | undefined
  let parsed: matter.GrayMatterFile<string>
  try {
    parsed = matter(source, {
      engines: {
        // Why: gray-matter would `eval` a `---js` block; only YAML is read.
        ...Object.fromEntries(['js', 'javascript', 'json', 'coffee', 'coffeescript', 'cson', 'toml'].map((name) => [name, refuseEngine])),
        yaml(yamlText: string) {
          document = parseDocument(yamlText, {schema: 'failsafe', lineCounter, uniqueKeys: true, prettyErrors: true})
          if (document.errors.length > 0) throw document.errors[0]
          // Why: converting deeply nested keys (`? ? ? ...`) takes time that
          // grows far faster than the text; no paper's frontmatter nests deeply.
          // Why: an alias copies one value into another key; an internal value
          // (\`deferral.reason\`) would be published under a public one.
          let aliased: YamlNode | undefined
          visitYaml(document, {Alias(_, node) {
            aliased = node as YamlNode
            return visitYaml.BREAK
          }, Node(_, node) {
            if ((node as {anchor?: string}).anchor) {
              aliased = node as YamlNode
              return visitYaml.BREAK
            }
            return undefined
          }})
          if (aliased) {
            const pos = lineCounter.linePos(aliased.range?.[0] ?? 0)
            throw Object.assign(new Error('YAML anchors and aliases (`&name`, `*name`) are not allowed: write each value out in full'), {linePos: [{line: pos.line, col: pos.col}]})
          }
          const tooDeep = deeperThan(document.contents, MAX_YAML_DEPTH)
          if (tooDeep) {
            const pos = lineCounter.linePos(tooDeep.range?.[0] ?? 0)
            throw Object.assign(new Error(`nested more than ${MAX_YAML_DEPTH} levels deep: write plain keys and values`), {linePos: [{line: pos.line, col: pos.col}]})
          }
          return (document.toJS() ?? {}) as object
        }
      }
    } as never)
  } catch (error) {
    const yamlError = error as {linePos?: Array<{line: number; col: number}>; message?: string; code?: string}
    const at = yamlError.linePos?.[0]
    // Why: the YAML text begins right after `---`, so its line 1 is the file's line 1.
    const place: Point | undefined = at ? {line: at.line, column: at.col} : {line: 1, column: 1}
    const reason = String(yamlError.message ?? error).split('\n')[0].replace(/ at line \d+, column \d+:?$/, '')
    fail(file, `Invalid YAML in the frontmatter: ${reason}`, place, 'frontmatter-yaml')
    return {body: blankFrontmatter(source)}
  }

  const firstLine = source.slice(0, source.indexOf('\n') + 1 || source.length)
  if (/^---\s*\S/.test(firstLine)) {
    fail(file, 'The frontmatter must be YAML: its first line is three dashes and nothing else', {line: 1, column: 1}, 'frontmatter-yaml')
    return {body: blankFrontmatter(source)}
  }
  const body = source.endsWith(parsed.content)
    ? source.slice(0, source.length - parsed.content.length).replace(/[^\n]/g, ' ') + parsed.content
    : blankFrontmatter(source)

  if (!document) {
    fail(file, 'Missing frontmatter: a paper starts with `---`, its keys (`id`, `title`, `date`, `classification`), then `---`', {line: 1, column: 1}, 'frontmatter-missing')
    return {body}
  }

  const yamlDoc = document
  const placeOf = (path: PropertyKey[], value = false): Point | Position => locate(yamlDoc, lineCounter, path, value)
  const raw = parsed.data
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    fail(file, 'Frontmatter must be a mapping of keys to values', {line: 1, column: 1}, 'frontmatter-invalid')
    return {body}
  }

  const result = frontmatterSchema.safeParse(raw)
  let ok = result.success
  if (!result.success) {
    // A misspelt key (`titel`) is both unknown and, often, a required key
    // missing: the missing one is reported at the misspelt one, so that the
    // two read as one problem.
    const misspelt = new Map<string, {key: string; place: Point | Position}>()
    for (const issue of result.error.issues) {
      if (issue.code !== 'unrecognized_keys') continue
      for (const key of issue.keys) {
        const where = [...issue.path, key].join('.')
        const suggestion = closest(key, keysAt(issue.path).filter((known) => getIn(raw, [...issue.path, known]) === undefined))
        const place = placeOf([...issue.path, key])
        if (suggestion !== undefined) misspelt.set([...issue.path, suggestion].join('.'), {key, place})
        fail(file, `Unknown frontmatter key \`${where}\`${didYouMean(suggestion)}: allowed keys are id, title, date, classification, decision_maker, summary, tags, draft, withdrawn.date, withdrawn.explanation, withdrawn.remove, updates (date, note), deferral.until, deferral.reason, part2.exemptions, part2.review`, place, 'frontmatter-unknown-key')
      }
    }
    for (const issue of result.error.issues) {
      if (issue.code === 'unrecognized_keys') continue
      const where = issue.path.join('.')
      const missing = issue.code === 'invalid_type' && getIn(raw, issue.path) === undefined
      const meant = missing ? misspelt.get(where) : undefined
      if (meant) {
        fail(file, `Missing required frontmatter key \`${where}\`: is \`${meant.key}\` meant to be it?`, meant.place, 'frontmatter-missing')
      } else if (missing) {
        fail(file, `Missing required frontmatter key \`${where}\``, placeOf(issue.path.slice(0, -1)), 'frontmatter-missing')
      } else {
        fail(file, `Invalid frontmatter \`${where}\`: ${issue.message}`, placeOf(issue.path, true), 'frontmatter-invalid')
      }
    }
  }

  // The checks below also run when the schema failed, on whatever is there,
  // so one run reports every problem of the paper.
  const data = raw as Record<string, unknown>
  const str = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined)
  const deferralRaw = data.deferral as Record<string, unknown> | undefined
  const part2Raw = data.part2 as Record<string, unknown> | undefined

  const dateText = str(data.date)
  if (dateText !== undefined) {
    const date = parseCalendarDate(dateText)
    if (!date.ok) {
      ok = false
      fail(file, `Invalid \`date\`: ${date.reason}`, placeOf(['date'], true), 'date-invalid')
    }
  }

  let level: FrontmatterResult['level']
  const classification = str(data.classification)?.trim()
  if (classification === 'OFFICIAL') level = 'OFFICIAL'
  else if (classification === undefined) {
    // Reported by the schema.
  } else if (officialSensitiveRe.test(classification)) level = 'OFFICIAL-SENSITIVE'
  else if (/^(TOP[ -])?SECRET\b/i.test(classification)) {
    ok = false
    fail(file, `Classification \`${classification}\` must not be stored here: remove this paper from the content folder and handle it through the secure route`, placeOf(['classification'], true), 'classification-forbidden')
  } else {
    ok = false
    const suggestion = suggestClassification(classification, (c) => c === 'OFFICIAL' || officialSensitiveRe.test(c))
    fail(file, `Unknown classification \`${classification}\`${didYouMean(suggestion)}: expected \`OFFICIAL\` or \`OFFICIAL-SENSITIVE\` (optionally with a descriptor in brackets, e.g. \`OFFICIAL-SENSITIVE [COMMERCIAL]\`)`, placeOf(['classification'], true), 'classification-unknown')
  }

  let deferUntil: Date | undefined
  const untilText = deferralRaw && typeof deferralRaw === 'object' ? str(deferralRaw.until) : undefined
  if (untilText !== undefined) {
    const until = parseLondonInstant(untilText)
    if (until.ok) deferUntil = until.value
    else {
      ok = false
      fail(file, `Invalid \`deferral.until\`: ${until.reason}`, placeOf(['deferral', 'until'], true), 'date-invalid')
    }
  }

  // Withdrawal and correction dates are calendar dates, like `date`.
  const withdrawnRaw = data.withdrawn as Record<string, unknown> | undefined
  const datedValues: Array<[PropertyKey[], unknown]> = []
  if (withdrawnRaw && typeof withdrawnRaw === 'object') datedValues.push([['withdrawn', 'date'], withdrawnRaw.date])
  if (Array.isArray(data.updates)) data.updates.forEach((update, i) => update && typeof update === 'object' && datedValues.push([['updates', i, 'date'], (update as Record<string, unknown>).date]))
  for (const [keyPath, value] of datedValues) {
    if (typeof value !== 'string') continue
    const parsed = parseCalendarDate(value)
    if (!parsed.ok) {
      ok = false
      fail(file, `Invalid \`${keyPath.join('.')}\`: ${parsed.reason}`, placeOf(keyPath, true), 'date-invalid')
    }
  }

  const reviewText = part2Raw && typeof part2Raw === 'object' ? str(part2Raw.review) : undefined
  if (reviewText !== undefined) {
    const review = parseCalendarDate(reviewText)
    if (!review.ok) {
      ok = false
      fail(file, `Invalid \`part2.review\`: ${review.reason}`, placeOf(['part2', 'review'], true), 'date-invalid')
    }
  }

  const exemptionsRaw = part2Raw && typeof part2Raw === 'object' ? part2Raw.exemptions : undefined
  const exemptions = Array.isArray(exemptionsRaw) ? exemptionsRaw.filter((e): e is string => typeof e === 'string') : typeof exemptionsRaw === 'string' ? splitExemptions(exemptionsRaw) : []
  const defaultExemptions: string[] = []
  for (const [index, exemption] of exemptions.entries()) {
    if (parseExemption(exemption)) defaultExemptions.push(exemption)
    else {
      ok = false
      fail(file, `Unknown exemption \`${exemption}\`${didYouMean(suggestExemption(exemption))}: expected a section of the Freedom of Information Act 2000 from \`s21\` to \`s44\`, optionally with a subsection, e.g. \`s43\` or \`s31(1)(a)\``, placeOf(['part2', 'exemptions', index], true), 'exemption-unknown')
    }
  }

  // Why: these values are published as they are; a marking or sensitive
  // syntax there means the author meant them to be withheld.
  const published: Array<[PropertyKey[], unknown]> = [[['id'], data.id], [['title'], data.title], [['summary'], data.summary], [['decision_maker'], data.decision_maker]]
  if (Array.isArray(data.tags)) data.tags.forEach((tag, i) => published.push([['tags', i], tag]))
  if (withdrawnRaw && typeof withdrawnRaw === 'object') published.push([['withdrawn', 'explanation'], withdrawnRaw.explanation])
  if (Array.isArray(data.updates)) data.updates.forEach((update, i) => update && typeof update === 'object' && published.push([['updates', i, 'note'], (update as Record<string, unknown>).note]))
  for (const [keyPath, value] of published) {
    if (typeof value !== 'string') continue
    // Why: an HTML comment is an internal note wherever it stands; in a value
    // that is published whole it would be shown to every reader.
    if (/<!--|-->|&lt;!--|--&gt;|&#0*60;!--|&#x0*3c;!--|--&#0*62;|--&#x0*3e;/i.test(value)) {
      ok = false
      fail(file, `\`${keyPath.join('.')}\` holds an HTML comment (\`<!-- ... -->\`), an internal note, but it is published whole: remove the note`, placeOf(keyPath, true), 'comment-in-frontmatter')
      continue
    }
    // Why: control characters, noncharacters and lone surrogates (from YAML
    // escapes) make the feed ill-formed XML and crash the search indexer.
    if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(value)) {
      ok = false
      fail(file, `\`${keyPath.join('.')}\` holds a control character or an invalid code point (from a YAML escape?): write plain text`, placeOf(keyPath, true), 'frontmatter-invalid')
      continue
    }
    const marking = findMarking(value)
    if (marking || hasSensitiveSyntax(value)) {
      ok = false
      fail(file, `\`${keyPath.join('.')}\` ${marking ? `carries the marking \`${marking}\`` : 'holds sensitive-material syntax'}, but it is published whole: remove it (the classification and the body's \`:::official-sensitive\` blocks say what is withheld)`, placeOf(keyPath, true), 'frontmatter-marking')
    }
  }

  // A comment is ambiguous next to what is published (\`classification: OFFICIAL # OFFICIAL-SENSITIVE\`).
  const yamlLines = source.slice(0, source.length - parsed.content.length).split('\n')
  yamlLines.forEach((line, i) => {
    const comment = /(^|\s)#(.*)$/.exec(line)
    if (i > 0 && comment && findMarking(comment[2])) {
      ok = false
      fail(file, 'A YAML comment carries a marking: say it in the value (`classification: OFFICIAL-SENSITIVE`) or remove the comment', {line: i + 1, column: comment.index + comment[1].length + 1}, 'frontmatter-marking')
    }
  })
  // A YAML document end (`...`) inside, or a second block after, would be
  // ignored: its keys (a deferral!) would not apply.
  yamlLines.slice(1, -2).forEach((line, i) => {
    if (/^\.\.\.[ \t]*$/.test(line)) {
      ok = false
      fail(file, 'A YAML document end (`...`) inside the frontmatter: what follows would be ignored. Keep one block between two `---` lines', {line: i + 2, column: 1}, 'frontmatter-yaml')
    }
  })
  const after = parsed.content.split('\n')
  const firstBody = after.findIndex((line) => line.trim() !== '')
  if (firstBody !== -1 && /^(---|\.\.\.)[ \t]*$/.test(after[firstBody])) {
    const end = after.findIndex((line, i) => i > firstBody && /^(---|\.\.\.)[ \t]*$/.test(line))
    if (end !== -1 && after.slice(firstBody + 1, end).some((line) => /^[ \t]*[A-Za-z_][\w.-]*[ \t]*:/.test(line))) {
      ok = false
      fail(file, 'A second frontmatter block after the first: its keys would be ignored and its text published. Put every key in the first block', {line: yamlLines.length + firstBody, column: 1}, 'frontmatter-yaml')
    }
  }

  // The closing line must be the delimiter alone (trailing spaces and tabs are
  // fine): text after it would be dropped. gray-matter ends the block right
  // after the dashes, so the rest of that line starts its content.
  const head = source.slice(0, source.length - parsed.content.length)
  const closing = head.endsWith('\n') ? (yamlLines.at(-2) ?? '') : (yamlLines.at(-1) ?? '') + /^[^\n]*/.exec(parsed.content)![0]
  if (!/^(---|\.\.\.)[ \t]*$/.test(closing)) {
    ok = false
    fail(file, 'The frontmatter must end with a line of three dashes and nothing else', {line: Math.max(1, head.endsWith('\n') ? yamlLines.length - 1 : yamlLines.length), column: 1}, 'frontmatter-yaml')
  }

  const draft = data.draft === 'true'
  if (!ok || !result.success) return {body, defaultExemptions, draft}
  const frontmatter = result.data as Frontmatter
  return {frontmatter, body, deferUntil, level, defaultExemptions, draft}
}

/** The deepest nesting of mappings, sequences and keys the frontmatter may have. */
const MAX_YAML_DEPTH = 16

/** The first node nested deeper than `limit`, walking without recursion. */
function deeperThan(root: unknown, limit: number): YamlNode | undefined {
  const stack: Array<[unknown, number]> = [[root, 0]]
  while (stack.length > 0) {
    const [node, depth] = stack.pop()!
    if (!node || typeof node !== 'object') continue
    if (depth > limit) return node as YamlNode
    if (isMap(node) || isSeq(node)) for (const item of node.items) stack.push([item, depth + 1])
    else if (isPair(node)) stack.push([node.key, depth], [node.value, depth])
  }
  return undefined
}

function refuseEngine(): never {
  throw Object.assign(new Error('the frontmatter must be YAML: start it with a line of three dashes and nothing else'), {linePos: [{line: 1, col: 1}]})
}

function blankFrontmatter(source: string): string {
  const match = /^---[^\n]*\n[\s\S]*?\n(?:---|\.\.\.)[ \t]*(?:\n|$)/.exec(source)
  if (!match) return source
  return match[0].replace(/[^\n]/g, ' ') + source.slice(match[0].length)
}

/** The keys the schema allows at `path` (`[]` for the top level, `['deferral']`, `['updates', 0]`). */
function keysAt(path: PropertyKey[]): string[] {
  let schema: z.ZodType | undefined = frontmatterSchema
  const unwrap = (type: z.ZodType | undefined) => (type instanceof z.ZodOptional ? (type.unwrap() as z.ZodType) : type)
  for (const key of path) {
    schema = unwrap(schema)
    if (schema instanceof z.ZodObject) schema = (schema.shape as Record<string, z.ZodType>)[String(key)]
    else if (schema instanceof z.ZodArray) schema = schema.element as z.ZodType
    else return []
  }
  schema = unwrap(schema)
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : []
}

function getIn(value: unknown, path: PropertyKey[]): unknown {
  let current = value
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined
    current = (current as Record<PropertyKey, unknown>)[key]
  }
  return current
}

/**
 * Where the key (or item, or with `value` its value) at `path` stands, from
 * its first character to its last; or the line and column of the nearest
 * parent when it is not there.
 */
function locate(document: Document, lineCounter: LineCounter, path: PropertyKey[], value = false): Point | Position {
  let node: YamlNode | null | undefined = document.contents as YamlNode | null
  let offset = node?.range?.[0] ?? 0
  let end: number | undefined
  for (const [index, key] of path.entries()) {
    end = undefined
    const last = index === path.length - 1
    if (isMap(node)) {
      const pair = node.items.find((item) => isPair(item) && isScalar(item.key) && String(item.key.value) === String(key))
      if (!pair) break
      node = pair.value as YamlNode | null
      const keyRange = (pair.key as YamlNode).range
      const range = value && last && node?.range ? node.range : keyRange
      offset = range?.[0] ?? offset
      end = range?.[1]
    } else if (isSeq(node) && typeof key === 'number') {
      const item = node.items[key] as YamlNode | undefined
      if (!item) break
      offset = item.range?.[0] ?? offset
      end = item.range?.[1]
      node = item
    } else break
  }
  const pos = lineCounter.linePos(offset)
  const start = {line: pos.line, column: pos.col}
  if (end === undefined || end <= offset) return start
  const to = lineCounter.linePos(end)
  return {start, end: {line: to.line, column: to.col}}
}
