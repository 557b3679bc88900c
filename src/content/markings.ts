/**
 * Looking for protective markings and sensitive-material syntax in text,
 * however it is spelt: Unicode lookalikes (en dashes, non-breaking hyphens,
 * fullwidth colons), invisible characters and underscores all count.
 */

/** Fold lookalikes so a check sees what a reader sees. */
export function foldForChecks(text: string): string {
  return text
    .normalize('NFKC')
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u00ad\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\ufeff]/g, '')
    .replace(/[\u2010-\u2015\u2212\u2043\ufe58\ufe63\uff0d]/g, '-')
    .replace(/[\u00a0\u2000-\u200a\u202f\u205f\u3000]/g, ' ')
}

/** A marking above OFFICIAL in `text`, if any. `SECRET` counts only in capitals. */
export function findMarking(text: string): string | undefined {
  const folded = foldForChecks(text)
  const match = /official[\W_]*sensitive/i.exec(folded) ?? /\b(?:TOP[\W_]+)?SECRET\b/.exec(folded)
  return match?.[0]
}

/** Whether `text` holds syntax meant for sensitive material (`:official-sensitive`, `::: official–sensitive`). */
export function hasSensitiveSyntax(text: string): boolean {
  return /:+[\s\W_]*official[\W_]*sensitive/i.test(foldForChecks(text))
}
