/**
 * One root cause, one error: the messages of one file grouped under the
 * errors they follow from, so that a space after `:::` reads as one problem
 * rather than five. Only the printing groups: every message stays in the
 * outcome, and one that follows from an error is printed as a note under it,
 * so the paper is refused exactly as before.
 */

import type {PlainMessage} from '../publish/outcome.js'

/** The parts of a message the grouping reads. */
export type Placed = Pick<PlainMessage, 'line' | 'column' | 'endLine' | 'endColumn' | 'ruleId' | 'fatal'>

/**
 * Errors at a construct the parser read otherwise than it looks (text that
 * looks like a directive but is not one, a directive with an unknown name, a
 * `:::` line that opens or closes no block, an HTML comment not read as
 * one). Whatever else is reported inside such a construct's span (its text
 * is public, so a marking there is "published"; its `{exemptions=...}` stands
 * outside any span; its fences open nothing) follows from that reading.
 * First is the likeliest root when two start at the same place.
 */
export const MISREADINGS = ['directive-unparsed', 'directive-unknown', 'comment-unparsed', 'comment-unclosed', 'directive-stray-fence']

/**
 * Known causes and what they bring with them at the same construct (their
 * spans overlap), wherever in it each is placed.
 */
export const CONSEQUENCES: Record<string, string[]> = {
  // `{exemption="s43"}`: the ground is there, misspelt.
  'directive-attribute-unknown': ['redaction-no-ground'],
  // `:official-sensitive [Jane]{exemptions="s40"}`: the label and the ground went with the text.
  'directive-empty': ['redaction-no-ground', 'directive-label-early'],
  // `titel:` is both unknown and the missing `title` (reported at the same key).
  'frontmatter-unknown-key': ['frontmatter-missing']
}

/** A message and the messages that follow from it, in order. */
export interface Group<M extends Placed> {
  message: M
  followOns: M[]
}

/** A message's place as two numbers that compare as (line, column) do. */
interface Span {
  start: number
  end: number
}

const point = (line: number, column: number) => line * 2 ** 24 + Math.min(column, 2 ** 24 - 1)

function spanOf(m: Placed): Span | undefined {
  if (m.line == null) return undefined
  const start = point(m.line, m.column ?? 1)
  const end = m.endLine != null ? point(m.endLine, m.endColumn ?? 1) : start
  return {start, end: Math.max(start, end)}
}

/**
 * Group `messages` (one file's) under their root causes. A message follows
 * from an error when the error is a misreading and the message starts inside
 * its span, or when the two are a known cause and consequence at overlapping
 * spans. A cause always ranks before what follows from it (misreadings by
 * their order, then known causes, then the rest; then by position, the
 * larger span first), so no two messages follow from each other, and a
 * warning is never a cause. Groups come in the order of their roots' place.
 */
export function groupFollowOns<M extends Placed>(messages: readonly M[]): Array<Group<M>> {
  const rank = (m: M) => {
    const misreading = MISREADINGS.indexOf(m.ruleId ?? '')
    if (misreading !== -1) return misreading
    return m.ruleId !== undefined && m.ruleId in CONSEQUENCES ? MISREADINGS.length : MISREADINGS.length + 1
  }
  const items: Item<M>[] = messages.map((message, index) => ({message, index, span: spanOf(message), rank: rank(message), order: 0}))
  const key = (item: Item<M>) => {
    const span = item.span
    return [item.rank, span?.start ?? 0, -(span?.end ?? 0), item.index]
  }
  const ranked = [...items].sort((a, b) => compare(key(a), key(b)))
  ranked.forEach((item, i) => (item.order = i))

  // Misreadings of each rank, in ranked order (so by start), with the
  // furthest end so far: the first whose span reaches a point is found by
  // bisection, so thousands of stray fences group in n log n.
  const misreadings = MISREADINGS.map((_, r) => {
    const list = ranked.filter((item) => item.rank === r && item.message.fatal && item.span)
    let furthest = -Infinity
    return {list, reach: list.map((item) => (furthest = Math.max(furthest, item.span!.end)))}
  })
  const knownCauses = ranked.filter((item) => item.rank === MISREADINGS.length && item.message.fatal && item.span)

  /** The first ranked error that `item` follows from. */
  const causeOf = (item: Item<M>): Item<M> | undefined => {
    const span = item.span
    if (!span) return undefined
    for (const {list, reach} of misreadings) {
      let low = 0
      let high = reach.length
      while (low < high) {
        const middle = (low + high) >> 1
        if (reach[middle] < span.start) low = middle + 1
        else high = middle
      }
      const candidate = list[low]
      if (candidate && candidate.order < item.order && candidate.span!.start <= span.start) return candidate
    }
    return knownCauses.find((candidate) => candidate.order < item.order && CONSEQUENCES[candidate.message.ruleId!].includes(item.message.ruleId ?? '') && candidate.span!.start <= span.end && span.start <= candidate.span!.end)
  }
  const cause = new Map<Item<M>, Item<M>>()
  for (const item of ranked) {
    const found = causeOf(item)
    if (found) cause.set(item, found)
  }
  const root = (item: Item<M>) => {
    let at = item
    while (cause.has(at)) at = cause.get(at)!
    return at
  }

  const groups = new Map<Item<M>, Group<M>>()
  const byPlace = [...items].sort((a, b) => compare([a.span?.start ?? 0, a.message.fatal ? 0 : 1, a.index], [b.span?.start ?? 0, b.message.fatal ? 0 : 1, b.index]))
  for (const item of byPlace) if (!cause.has(item)) groups.set(item, {message: item.message, followOns: []})
  for (const item of byPlace) if (cause.has(item)) groups.get(root(item))!.followOns.push(item.message)
  return [...groups.values()]
}

interface Item<M> {
  message: M
  index: number
  span: Span | undefined
  rank: number
  /** Place in the ranked order: a cause comes before what follows from it. */
  order: number
}

function compare(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i]
  return 0
}
