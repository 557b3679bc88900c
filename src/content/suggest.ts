/**
 * "Did you mean ...?": the nearest of the words a place allows to a word
 * that is not one of them, by Levenshtein distance (leven). A suggestion is
 * made only when one candidate is nearer than every other: a guess between
 * two is left to the author. The phrase is part of the message's reason, so
 * every reader of messages (terminal, preview, release log) gets it; the CLI
 * finds it again with `suggestionIn` to print it under the code frame.
 */
import leven from 'leven'
import {parseExemption} from './exemptions.js'

/**
 * How far a word may be from a candidate to be suggested: about two letters
 * in five (a swapped pair of letters counts two), at least one, at most three.
 */
function defaultMaxDistance(word: string): number {
  return Math.max(1, Math.min(3, Math.floor(word.length * 0.4)))
}

function commonPrefix(a: string, b: string): number {
  let i = 0
  while (i < a.length && i < b.length && a[i] === b[i]) i++
  return i
}

/**
 * The candidate nearest to `word` (letter case counting for nothing), or
 * undefined when none is within `maxDistance` or two are equally near (the
 * longer common start breaks a tie: `s433` is `s43`, not `s33`).
 */
export function closest(word: string, candidates: readonly string[], maxDistance = defaultMaxDistance(word)): string | undefined {
  const folded = word.toLowerCase()
  let best: {candidate: string; distance: number; prefix: number} | undefined
  let tied = false
  for (const candidate of new Set(candidates)) {
    const other = candidate.toLowerCase()
    const distance = leven(folded, other, {maxDistance: maxDistance + 1})
    if (distance > maxDistance) continue
    const prefix = commonPrefix(folded, other)
    if (!best || distance < best.distance || (distance === best.distance && prefix > best.prefix)) {
      best = {candidate, distance, prefix}
      tied = false
    } else if (distance === best.distance && prefix === best.prefix) tied = true
  }
  return best && !tied ? best.candidate : undefined
}

/** ` (did you mean \`x\`?)` for a suggestion, or nothing; `render` writes the suggestion as the author would type it. */
export function didYouMean(suggestion: string | undefined, render: (s: string) => string = (s) => s): string {
  return suggestion === undefined ? '' : ` (did you mean \`${render(suggestion)}\`?)`
}

/** The suggestion in a message's reason, as `didYouMean` wrote it (with its backticks), if any. */
export function suggestionIn(reason: string): string | undefined {
  return /\(did you mean (`[^`\n]+`)\?\)/.exec(reason)?.[1]
}

/** The FOIA sections an exemption may name (`21` to `44`, `22A`), as the exemption parser knows them. */
function sections(): string[] {
  const all = Array.from({length: 24}, (_, i) => String(21 + i)).concat('22A')
  return all.filter((section) => parseExemption(`s${section}`) !== undefined)
}

/**
 * What an unknown exemption was probably meant to be: the same in the form
 * papers use (`S43`, `43`, `section 43`, `s.43` are `s43`), or the nearest
 * section (`s433` is `s43`), keeping a subsection that is valid with it.
 */
export function suggestExemption(text: string): string | undefined {
  const trimmed = text.trim()
  const normal = trimmed.replace(/^(?:sections?|sec\.?|s\.?)?\s*(?=\d)/i, 's').replace(/^s(\d+)a/, 's$1A')
  if (normal !== trimmed && parseExemption(normal)) return normal
  const match = /^s(\d{1,4}A?)(.*)$/.exec(normal)
  if (!match) return undefined
  const section = closest(`s${match[1]}`, sections().map((s) => `s${s}`), 1)
  if (!section) return undefined
  const subsection = match[2].replace(/\(([A-Z]{1,4})\)/g, (_, letters: string) => `(${letters.toLowerCase()})`)
  const suggestion = parseExemption(section + subsection) ? section + subsection : section
  return suggestion === trimmed ? undefined : suggestion
}

/**
 * What an unknown classification was probably meant to be (`OFFICAL` is
 * `OFFICIAL`, `official sensitive commercial` is `OFFICIAL-SENSITIVE
 * [COMMERCIAL]`); `valid` says which results are allowed.
 */
export function suggestClassification(value: string, valid: (classification: string) => boolean): string | undefined {
  const match = /^([^[\]]*?)\s*(?:\[\s*([^[\]]*?)\s*\]?)?$/.exec(value.trim())
  if (!match) return undefined
  let [, base, descriptor] = match
  const words = /^(official[\s_-]*sensitive)\s+([a-z][a-z -]*)$/i.exec(base)
  if (words && descriptor === undefined) [base, descriptor] = [words[1], words[2]]
  const level = closest(base.replace(/[\s_]+/g, '-'), ['OFFICIAL', 'OFFICIAL-SENSITIVE'], 3)
  if (!level) return undefined
  const suggestion = descriptor ? `${level} [${descriptor.toUpperCase()}]` : level
  return suggestion !== value && valid(suggestion) ? suggestion : undefined
}
