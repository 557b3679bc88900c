/**
 * `kind`: the author's public description of withheld material, given on
 * the directive (`:::official-sensitive{exemptions="s43" kind="Part 2
 * business case"}`, `:official-sensitive[Jane Smith]{exemptions="s40"
 * kind="name"}`) and printed in its notice ("Material withheld: Part 2
 * business case", "[name withheld]"). It is public text written inside
 * sensitive syntax, so it is checked here as strictly as any other public
 * text: one short line, no markings, no sensitive syntax, no comment, no
 * markup.
 */
import {findMarking, hasSensitiveSyntax} from '../content/markings.js'

/** Longest `kind` an author may give. */
export const KIND_MAX = 80

/** What is wrong with a `kind` value, or undefined when it may be published. */
export function kindProblem(kind: string): string | undefined {
  const text = kind.trim()
  if (text === '') return 'it is empty: describe what was withheld in a few public words, e.g. `kind="Part 2 business case"`, or leave `kind` out'
  if (text.length > KIND_MAX) return `it is ${text.length} characters long: keep it to ${KIND_MAX}, a few public words such as "Part 2 business case"`
  if (/[\u0000-\u001f\u007f]/.test(text)) return 'it runs over more than one line: keep it to one line'
  const marking = findMarking(text)
  if (marking) return `it carries the marking \`${marking}\`, and it is published in the notice`
  if (hasSensitiveSyntax(text)) return 'it holds sensitive-material syntax, and it is published in the notice'
  if (/<!--|-->|--!>/.test(text)) return 'it holds an HTML comment, and it is published in the notice'
  if (/[<>[\]{}]/.test(text)) return 'it holds markup characters (`<`, `>`, brackets or braces): write plain words'
  return undefined
}

/** The `kind` of a checked sensitive directive, trimmed, when it has a valid one. */
export function directiveKind(node: {attributes?: Record<string, string | null | undefined> | null}): string | undefined {
  const kind = node.attributes?.kind
  if (typeof kind !== 'string' || kindProblem(kind)) return undefined
  return kind.trim().replace(/\s+/g, ' ')
}
