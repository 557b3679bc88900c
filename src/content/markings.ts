/**
 * Looking for protective markings and sensitive-material syntax in text,
 * however it is spelt: Unicode lookalikes (en dashes, non-breaking hyphens,
 * fullwidth colons), invisible characters and underscores all count.
 */

/** Cyrillic and Greek letters that look like the Latin ones of the markings. */
const confusables: Record<string, string> = {
  а: 'a', е: 'e', о: 'o', р: 'p', с: 'c', у: 'y', х: 'x', і: 'i', ї: 'i', ѕ: 's', ј: 'j', ԁ: 'd', ӏ: 'l', һ: 'h', ԛ: 'q', ԝ: 'w', ѵ: 'v', т: 't', к: 'k', н: 'h', м: 'm', в: 'b',
  А: 'A', Е: 'E', О: 'O', Р: 'P', С: 'C', У: 'Y', Х: 'X', І: 'I', Ѕ: 'S', Ј: 'J', Т: 'T', К: 'K', Н: 'H', М: 'M', В: 'B', Ԛ: 'Q', Ԝ: 'W',
  α: 'a', ε: 'e', ο: 'o', ρ: 'p', ι: 'i', ν: 'v', κ: 'k', τ: 't', υ: 'u', ϲ: 'c', ı: 'i', ɩ: 'i', ℓ: 'l', ǀ: 'l', ꜰ: 'f', ꜱ: 's', ᴄ: 'c', ᴏ: 'o',
  Α: 'A', Ε: 'E', Ο: 'O', Ρ: 'P', Ι: 'I', Ν: 'N', Κ: 'K', Τ: 'T', Υ: 'Y', Χ: 'X', Ζ: 'Z', Η: 'H', Μ: 'M', Β: 'B'
}
const confusableRe = new RegExp(`[${Object.keys(confusables).join('')}]`, 'g')

/** ASCII with no control character other than tab, line feed and carriage return: folding leaves it as it is. */
const PLAIN = /^[\t\n\r\x20-\x7e]*$/

/** Fold lookalikes so a check sees what a reader sees. */
export function foldForChecks(text: string): string {
  // Plain ASCII (no control character but tab and line ends) folds to itself.
  if (PLAIN.test(text)) return text
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .normalize('NFKC')
    // Invisible: format characters, default-ignorable code points, controls.
    .replace(/[\p{Cf}\p{Default_Ignorable_Code_Point}\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/gu, '')
    .replace(/[\u2010-\u2015\u2212\u2043\ufe58\ufe63\uff0d]/g, '-')
    .replace(/[\u00a0\u2000-\u200a\u202f\u205f\u3000]/g, ' ')
    .replace(confusableRe, (c) => confusables[c])
}

/**
 * Any letter that is not ASCII after folding stands for any letter: a
 * lookalike the table above does not know (Armenian, Cherokee, small
 * capitals...) still spells the word.
 */
function wildcardLetters(text: string): string {
  return text.replace(/[^\x00-\x7f]/gu, (c) => (/\p{L}/u.test(c) ? '\u0000' : c))
}

/**
 * Find `official[\W_]*sensitive` (each letter in either case or a wildcard),
 * after a colon and a run of non-word characters when `afterColon`
 * (`:official-sensitive`, `::: official–sensitive`, `:\u0000fficial...`).
 * Returns the matched text of the first match to end, or undefined.
 *
 * Why not a regular expression: `:+[\s\W_]*official...` backtracks in cubic
 * time on a run of colons (10,000 of them took minutes), and wildcard letters
 * (NUL) are both letters and non-word characters, so no simple rewrite is
 * both exact and linear. This runs the pattern's automaton over the text once,
 * keeping, for each state, the earliest start that reaches it: linear time.
 */
function scanName(text: string, afterColon: boolean): string | undefined {
  const NONE = -1
  // States: 0 = after a colon, in the run of non-word characters; 1..8 =
  // letters of OFFICIAL matched; 9 = after OFFICIAL, in `[\W_]*`; 10..18 =
  // letters of SENSITIVE matched (18 = found). The value is the match start.
  let states = new Array<number>(19).fill(NONE)
  let next = new Array<number>(19).fill(NONE)
  const keep = (state: number, from: number) => {
    if (from !== NONE && (next[state] === NONE || from < next[state])) next[state] = from
  }
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i)
    next.fill(NONE)
    const other = nonWord(code)
    // Start a match here: after a colon (state 0), or at any letter.
    if (afterColon) {
      if (code === 0x3a) keep(0, i)
      if (other) keep(0, states[0])
      if (letterIs(code, OFFICIAL, 0)) keep(1, states[0])
    } else if (letterIs(code, OFFICIAL, 0)) keep(1, i)
    for (let k = 1; k < 8; k++) if (states[k] !== NONE && letterIs(code, OFFICIAL, k)) keep(k + 1, states[k])
    // After OFFICIAL (state 8, or 9 within the run): `[\W_]*`, then S.
    const after = states[8] === NONE ? states[9] : states[9] === NONE ? states[8] : Math.min(states[8], states[9])
    if (other) keep(9, after)
    if (letterIs(code, SENSITIVE, 0)) keep(10, after)
    for (let k = 10; k < 18; k++) if (states[k] !== NONE && letterIs(code, SENSITIVE, k - 9)) keep(k + 1, states[k])
    if (next[18] !== NONE) return text.slice(next[18], i + 1)
    ;[states, next] = [next, states]
  }
  return undefined
}

const OFFICIAL = 'official'
const SENSITIVE = 'sensitive'

/** Whether the character is the `index`th letter of `word` in either case, or a wildcard (NUL). */
function letterIs(code: number, word: string, index: number): boolean {
  return code === 0 || (code | 0x20) === word.charCodeAt(index)
}

/** A marking above OFFICIAL in `text`, if any. `SECRET` counts only in capitals. */
export function findMarking(text: string): string | undefined {
  // Fast path, exact: plain text is its own folding and has no wildcard
  // letters, so a marking there is spelt out.
  if (PLAIN.test(text) && !/official/i.test(text) && !text.includes('SECRET')) return undefined
  const folded = wildcardLetters(foldForChecks(text))
  // `\b(?:TOP[\W_]+)?SECRET\b` is linear: each run after a TOP is read once.
  const found = scanName(folded, false) ?? /\b(?:TOP[\W_]+)?SECRET\b/.exec(folded)?.[0]
  return found?.replace(/\u0000/g, '?')
}

/** Whether `text` holds syntax meant for sensitive material (`:official-sensitive`, `::: official–sensitive`). */
export function hasSensitiveSyntax(text: string): boolean {
  // Fast path, exact: the syntax starts at a colon, and folding makes one
  // only out of characters that are not ASCII (fullwidth `：`, ...).
  if (!/[:\u0080-\uffff]/.test(text)) return false
  const folded = wildcardLetters(foldForChecks(text))
  return mayStartName(folded) && scanName(folded, true) !== undefined
}

/**
 * Whether `folded` has a colon followed, after non-word characters, by a
 * letter that can begin `official` (or a wildcard): where `scanName` with
 * `afterColon` can start a match. Exact as a test of that (it is the
 * automaton's first two states), and linear.
 * Why: most paragraphs hold a colon or a character that is not ASCII, and
 * running the whole automaton over each was a share of a long paper's time.
 */
function mayStartName(folded: string): boolean {
  let afterColon = false
  for (let i = 0; i < folded.length; i++) {
    const code = folded.charCodeAt(i)
    if (code === 0x3a) afterColon = true
    else if (afterColon && letterIs(code, OFFICIAL, 0)) return true
    else if (!nonWord(code)) afterColon = false
  }
  return false
}

/** `[\s\W_]` (`\W` without the `u` flag): anything but an ASCII letter or digit. */
function nonWord(code: number): boolean {
  return !((code >= 0x30 && code <= 0x39) || (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a))
}
