/**
 * Freedom of Information Act 2000 exemptions (Part II, sections 21 to 44) and
 * their short titles.
 */
export const exemptionTitles: Record<string, string> = {
  '21': 'Information accessible to applicant by other means',
  '22': 'Information intended for future publication',
  '22A': 'Research',
  '23': 'Information supplied by, or relating to, bodies dealing with security matters',
  '24': 'National security',
  '26': 'Defence',
  '27': 'International relations',
  '28': 'Relations within the United Kingdom',
  '29': 'The economy',
  '30': 'Investigations and proceedings conducted by public authorities',
  '31': 'Law enforcement',
  '32': 'Court records',
  '33': 'Audit functions',
  '34': 'Parliamentary privilege',
  '35': 'Formulation of government policy',
  '36': 'Prejudice to effective conduct of public affairs',
  '37': 'Communications with His Majesty and honours',
  '38': 'Health and safety',
  '39': 'Environmental information',
  '40': 'Personal information',
  '41': 'Information provided in confidence',
  '42': 'Legal professional privilege',
  '43': 'Commercial interests',
  '44': 'Prohibitions on disclosure'
}

const exemptionRe = /^s(\d{2}A?)((?:\(\d+[A-Z]?\))*(?:\([a-z]{1,4}\))*)$/

/** Parse one exemption like `s43` or `s31(1)(a)`; undefined when unknown. */
export function parseExemption(text: string): {section: string; subsection: string; title: string} | undefined {
  const match = exemptionRe.exec(text)
  if (!match) return undefined
  const title = exemptionTitles[match[1]]
  if (!title) return undefined
  return {section: match[1], subsection: match[2], title}
}

/** Split an exemptions attribute (`"s43 s40"`) into its items. */
export function splitExemptions(value: string): string[] {
  return value.split(/[\s,]+/).filter(Boolean)
}

/** "section 43 (Commercial interests)" style label pieces. */
export function exemptionLabel(text: string): string {
  const parsed = parseExemption(text)
  if (!parsed) return text
  return `section ${parsed.section}${parsed.subsection}: ${parsed.title.charAt(0).toLowerCase()}${parsed.title.slice(1)}`
}

/** Sort exemptions by section number, then text; unique. */
export function sortExemptions(list: Iterable<string>): string[] {
  const key = (s: string) => {
    const m = /^s(\d+)/.exec(s)
    return m ? Number(m[1]) : 999
  }
  return [...new Set(list)].sort((a, b) => key(a) - key(b) || (a < b ? -1 : a > b ? 1 : 0))
}
