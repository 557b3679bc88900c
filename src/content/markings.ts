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

/** Fold lookalikes so a check sees what a reader sees. */
export function foldForChecks(text: string): string {
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

/** A pattern for `word` where each letter may also be a wildcard (NUL). */
function fuzzy(word: string): string {
  return [...word].map((c) => `[${c.toLowerCase()}${c.toUpperCase()}\\u0000]`).join('')
}

const officialSensitive = `${fuzzy('official')}[\\W_]*${fuzzy('sensitive')}`
const markingOfficialRe = new RegExp(officialSensitive)
const syntaxRe = new RegExp(`:+[\\s\\W_]*${officialSensitive}`)

/** A marking above OFFICIAL in `text`, if any. `SECRET` counts only in capitals. */
export function findMarking(text: string): string | undefined {
  const folded = wildcardLetters(foldForChecks(text))
  const match = markingOfficialRe.exec(folded) ?? /\b(?:TOP[\W_]+)?SECRET\b/.exec(folded)
  return match?.[0].replace(/\u0000/g, '?')
}

/** Whether `text` holds syntax meant for sensitive material (`:official-sensitive`, `::: official–sensitive`). */
export function hasSensitiveSyntax(text: string): boolean {
  return syntaxRe.test(wildcardLetters(foldForChecks(text)))
}
