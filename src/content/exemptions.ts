/**
 * The Freedom of Information Act 2000 exemptions (Part II, sections 21 to
 * 44): the one table every wording of an exemption comes from, on pages,
 * listings, the feed, the open data, notices, the public Markdown and the
 * reviewer preview.
 *
 * One wording, three lengths:
 * - running text: "section 43 (commercial interests)" ({@link exemptionPhrase});
 * - in full, with the Act: "section 43 of the Freedom of Information Act 2000
 *   (commercial interests)" ({@link underTheAct}), as in a notice's "Exempt
 *   under ..." and an inline marker's "withheld under ...";
 * - the title alone, lower case in running text: "commercial interests".
 *
 * Absolute and qualified (FOIA 2000 s2(3)): the absolute exemptions are s21,
 * s23, s32, s34, s36 so far as relating to information held by the House of
 * Commons or the House of Lords, s37(1)(a) to (ab) (communications with the
 * Sovereign and the heir and second in line to the Throne, added by the
 * Constitutional Reform and Governance Act 2010), s40(1), s40(2) where the
 * first condition is met by virtue of s40(3A)(a) (disclosure would break the
 * data protection principles), s41 and s44. Every other exemption is
 * qualified: information is withheld under it only when the public interest
 * in withholding it outweighs the public interest in disclosing it (s2(2)(b)).
 * MOPAC is not a House of Parliament, so s36 is qualified here.
 */

/** Whether the public interest test applies. `mixed`: it depends on the subsection, and the code gives none that settles it. */
export type ExemptionTest = 'absolute' | 'qualified' | 'mixed'

export interface ExemptionEntry {
  /** The section's heading in the Act, e.g. `Commercial interests`. */
  title: string
  /** What it covers, in plain words, for the "About withheld information" page. */
  meaning: string
  /** Absolute or qualified, for the section as a whole (see {@link exemptionTest} for subsections). */
  test: ExemptionTest
  /**
   * Whether a block notice may say how much was withheld (paragraphs,
   * tables). False where the amount may itself be the information: how many
   * people (s40), or the extent of security or safety material (s23, s24,
   * s38). When in doubt, no count.
   */
  amount: boolean
  /** Where absolute or qualified depends on the case, what the public interest column says. */
  note?: string
}

export const exemptions: Record<string, ExemptionEntry> = {
  '21': {title: 'Information accessible to applicant by other means', test: 'absolute', amount: true, meaning: 'The information is already reasonably available to you another way, for example because it is already published.'},
  '22': {title: 'Information intended for future publication', test: 'qualified', amount: true, meaning: 'We intend to publish the information at a later date, and it is reasonable to wait until then.'},
  '22A': {title: 'Research', test: 'qualified', amount: true, meaning: 'The information comes from a continuing programme of research that is meant to be published, and releasing it early would harm the research.'},
  '23': {title: 'Information supplied by, or relating to, bodies dealing with security matters', test: 'absolute', amount: false, meaning: 'The information was supplied by, or is about, one of the security and intelligence bodies named in the Act, such as the Security Service.'},
  '24': {title: 'National security', test: 'qualified', amount: false, meaning: 'Withholding the information is needed to safeguard national security.'},
  '26': {title: 'Defence', test: 'qualified', amount: true, meaning: 'Publishing the information would, or would be likely to, harm the defence of the British Islands or the capability of the armed forces.'},
  '27': {title: 'International relations', test: 'qualified', amount: true, meaning: 'Publishing the information would, or would be likely to, harm relations between the UK and another State or an international organisation, or it is confidential information from one.'},
  '28': {title: 'Relations within the United Kingdom', test: 'qualified', amount: true, meaning: 'Publishing the information would, or would be likely to, harm relations between the UK government and the devolved administrations, or between those administrations.'},
  '29': {title: 'The economy', test: 'qualified', amount: true, meaning: 'Publishing the information would, or would be likely to, harm the economic interests of the UK, or the financial interests of a government in the UK.'},
  '30': {title: 'Investigations and proceedings conducted by public authorities', test: 'qualified', amount: true, meaning: 'The information is held for a criminal investigation or criminal proceedings, or it would identify confidential sources in certain investigations.'},
  '31': {title: 'Law enforcement', test: 'qualified', amount: true, meaning: 'Publishing the information would, or would be likely to, harm the prevention or detection of crime, the arrest or prosecution of offenders, or another law enforcement purpose named in the Act.'},
  '32': {title: 'Court records', test: 'absolute', amount: true, meaning: 'The information is held only because it is in a document filed with, served on or made by a court or tribunal for a case.'},
  '33': {title: 'Audit functions', test: 'qualified', amount: true, meaning: 'Publishing the information would, or would be likely to, harm the audit of other public authorities, or the examination of how they use their resources.'},
  '34': {title: 'Parliamentary privilege', test: 'absolute', amount: true, meaning: 'Withholding the information is needed to avoid infringing the privileges of either House of Parliament.'},
  '35': {title: 'Formulation of government policy', test: 'qualified', amount: true, meaning: 'The information relates to the making of government policy, or to ministers’ communications, by a government department or the Welsh Government.'},
  '36': {title: 'Prejudice to effective conduct of public affairs', test: 'qualified', amount: true, note: 'Qualified; absolute only for information held by the Houses of Parliament', meaning: 'In the reasonable opinion of a qualified person, publishing the information would, or would be likely to, inhibit free and frank advice or discussion, or otherwise harm the effective conduct of public affairs.'},
  '37': {title: 'Communications with His Majesty and honours', test: 'mixed', amount: true, note: 'Absolute for communications with the Sovereign and the heir and second in line to the Throne; qualified for the rest', meaning: 'The information is about communications with the Sovereign, other members of the Royal Family or the Royal Household, or about honours and dignities.'},
  '38': {title: 'Health and safety', test: 'qualified', amount: false, meaning: 'Publishing the information would, or would be likely to, endanger someone’s physical or mental health or their safety.'},
  '39': {title: 'Environmental information', test: 'qualified', amount: true, meaning: 'The information is environmental information, which you can ask for under the Environmental Information Regulations 2004 instead.'},
  '40': {title: 'Personal information', test: 'absolute', amount: false, note: 'Absolute for personal data whose publication would break the data protection principles (the usual case); qualified in a few other cases', meaning: 'The information is personal data about someone, and publishing it would break data protection law. Personal data about yourself is yours to ask for under data protection law (a subject access request).'},
  '41': {title: 'Information provided in confidence', test: 'absolute', amount: true, note: 'Absolute, though the law of confidence itself weighs the public interest', meaning: 'Someone gave us the information in confidence, and publishing it would be a breach of confidence that they could take to court.'},
  '42': {title: 'Legal professional privilege', test: 'qualified', amount: true, meaning: 'The information is legal advice, or other material covered by legal professional privilege.'},
  '43': {title: 'Commercial interests', test: 'qualified', amount: true, meaning: 'The information is a trade secret, or publishing it would, or would be likely to, harm someone’s commercial interests, ours included: for example prices and terms while a contract is being negotiated.'},
  '44': {title: 'Prohibitions on disclosure', test: 'absolute', amount: true, meaning: 'Another law forbids publishing the information, or publishing it would be contempt of court.'}
}

/** The sections in order, as in the Act (`22A` after `22`: object keys would put it last). */
export const SECTIONS = Object.keys(exemptions).sort((a, b) => parseInt(a, 10) - parseInt(b, 10) || (a < b ? -1 : a > b ? 1 : 0))

/** Each section's heading in the Act, e.g. `43` -> `Commercial interests`. */
export const exemptionTitles: Record<string, string> = Object.fromEntries(SECTIONS.map((section) => [section, exemptions[section].title]))

const exemptionRe = /^s(\d{2}A?)((?:\(\d+[A-Z]?\))*(?:\([a-z]{1,4}\))*)$/

/** Parse one exemption like `s43` or `s31(1)(a)`; undefined when unknown. */
export function parseExemption(text: string): {section: string; subsection: string; title: string} | undefined {
  const match = exemptionRe.exec(text)
  if (!match) return undefined
  const entry = exemptions[match[1]]
  if (!entry) return undefined
  return {section: match[1], subsection: match[2], title: entry.title}
}

/** Split an exemptions attribute (`"s43 s40"`) into its items. */
export function splitExemptions(value: string): string[] {
  return value.split(/[\s,]+/).filter(Boolean)
}

/** Sort exemptions by section number, then text; unique. */
export function sortExemptions(list: Iterable<string>): string[] {
  const key = (s: string) => {
    const m = /^s(\d+)/.exec(s)
    return m ? Number(m[1]) : 999
  }
  return [...new Set(list)].sort((a, b) => key(a) - key(b) || (a < b ? -1 : a > b ? 1 : 0))
}

/** A heading in running text: the first letter in lower case (`commercial interests`, `communications with His Majesty and honours`). */
export function runningTitle(title: string): string {
  return title.charAt(0).toLowerCase() + title.slice(1)
}

/** "section 43" or "section 31(1)(a)" of a code; the code itself when unknown. */
function sectionOf(code: string): string {
  const parsed = parseExemption(code)
  return parsed ? `section ${parsed.section}${parsed.subsection}` : code
}

/** The title in running text of a code (`commercial interests`), or undefined when unknown. */
export function exemptionName(code: string): string | undefined {
  const parsed = parseExemption(code)
  return parsed ? runningTitle(parsed.title) : undefined
}

/** One exemption in running text: "section 43 (commercial interests)". */
export function exemptionPhrase(code: string): string {
  const name = exemptionName(code)
  return name ? `${sectionOf(code)} (${name})` : code
}

/** Several in running text: "section 40 (personal information) and section 43 (commercial interests)". */
export function exemptionsPhrase(codes: Iterable<string>): string {
  return joinAnd(sortExemptions(codes).map(exemptionPhrase))
}

/**
 * In full, with the Act: "section 43 of the Freedom of Information Act 2000
 * (commercial interests)"; several: "section 40 (personal information) and
 * section 43 (commercial interests) of the Freedom of Information Act 2000".
 */
export function underTheAct(codes: Iterable<string>): string {
  const sorted = sortExemptions(codes)
  if (sorted.length === 1) {
    const name = exemptionName(sorted[0])
    return `${sectionOf(sorted[0])} of the Freedom of Information Act 2000${name ? ` (${name})` : ''}`
  }
  return `${exemptionsPhrase(sorted)} of the Freedom of Information Act 2000`
}

/** "a, b and c". */
export function joinAnd(parts: string[]): string {
  if (parts.length <= 1) return parts.join('')
  return `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`
}

/**
 * Whether the public interest test applies to an exemption as written,
 * subsections included: `s37(1)(a)` is absolute where `s37(1)(b)` is
 * qualified; `s40(2)` is absolute (the usual case, s40(3A)(a)) where
 * `s40(3A)(b)`, `s40(3B)` and `s40(4A)` are qualified.
 */
export function exemptionTest(code: string): ExemptionTest | undefined {
  const parsed = parseExemption(code)
  if (!parsed) return undefined
  const {section, subsection} = parsed
  if (section === '37') {
    if (/^\(1\)\((a|aa|ab)\)$/.test(subsection)) return 'absolute'
    if (/^\(1\)\((b|ac|ad)\)/.test(subsection)) return 'qualified'
    return 'mixed'
  }
  if (section === '40' && /^\((3A)\)\(b\)|^\((3B|4A)\)/.test(subsection)) return 'qualified'
  return exemptions[section].test
}

/** The sentence on the public interest test for one exemption kind. */
export function publicInterestSentence(test: ExemptionTest): string {
  switch (test) {
    case 'absolute':
      return 'This is an absolute exemption: the Act does not require a public interest test.'
    case 'qualified':
      return 'This is a qualified exemption: we applied the public interest test and found that the public interest in withholding this information outweighs the public interest in publishing it.'
    case 'mixed':
      return 'Parts of this section are absolute exemptions (communications with the Sovereign and the heir and second in line to the Throne) and the rest are qualified: where it is qualified, we applied the public interest test and found that the public interest in withholding this information outweighs the public interest in publishing it.'
  }
}

/** Whether a block notice withheld under all of `codes` may say how much was withheld. */
export function amountMayBeShown(codes: Iterable<string>): boolean {
  for (const code of codes) {
    const parsed = parseExemption(code)
    if (!parsed || !exemptions[parsed.section].amount) return false
  }
  return true
}

/** "section 43 (Commercial interests)" style label; kept for callers of the old name. */
export function exemptionLabel(text: string): string {
  return exemptionPhrase(text)
}
