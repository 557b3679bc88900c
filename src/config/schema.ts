/**
 * The shape of `mopac.config.json`, as zod schemas. Every key is optional
 * (MOPAC's defaults fill the gaps, see defaults.ts) and every object is
 * strict. Why strict: a misspelt key (`acessibility`) would otherwise leave
 * the default in place without a word, as a misspelt frontmatter key would
 * publish a paper early; both fail closed.
 */
import {z} from '../vendor/index.js'
import {parseCalendarDate} from '../time/london.js'

/** Public text of at most `max` characters: trimmed, not empty, no control characters. */
const textOf = (max: number) =>
  z
    .string({error: 'must be text in double quotes'})
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max.toLocaleString('en-GB')} characters`)
    .refine((value) => !/[\u0000-\u001f\u007f]/.test(value), 'must be one line, without tabs or control characters')

/** One line of public text (a name, an address line). */
const line = textOf(300)

/** A sentence or two of public text. */
const sentence = textOf(1000)

/** A calendar date, `YYYY-MM-DD`. */
const date = z.string({error: 'must be a date in double quotes, "YYYY-MM-DD"'}).superRefine((value, context) => {
  const parsed = parseCalendarDate(value)
  if (!parsed.ok) context.addIssue({code: 'custom', message: parsed.reason})
})

/** An absolute http or https URL. */
const url = z.string({error: 'must be an address in double quotes, e.g. "https://www.example.org/"'}).refine((value) => {
  try {
    const parsed = new URL(value)
    return (parsed.protocol === 'https:' || parsed.protocol === 'http:') && parsed.username === '' && parsed.password === ''
  } catch {
    return false
  }
}, 'must be an absolute http or https address, e.g. "https://www.example.org/"')

const email = z.email({error: 'must be an email address, e.g. "foi@example.org"'})
const phone = line.refine((value) => /^\+?[0-9][0-9 ()-]{4,30}$/.test(value), 'must be a telephone number of digits and spaces, e.g. "020 7983 4000"')
const address = z.array(line, {error: 'must be a list of lines, e.g. ["City Hall", "London", "E16 1ZE"]'}).min(1, 'must have at least one line').max(10, 'must have at most 10 lines')

const contactKeys = {email: email.optional(), phone: phone.optional(), address: address.optional(), webForm: url.optional()}
const someContact = (value: Record<string, unknown>) => Object.values(value).some((v) => v !== undefined)
const contact = z.strictObject(contactKeys).refine(someContact, 'give at least one of `email`, `phone`, `address` or `webForm`')

export const siteSchema = z.strictObject({name: line.optional(), baseUrl: url.optional()})
export const organisationSchema = z.strictObject({name: line.optional(), shortName: line.optional(), website: url.optional(), address: address.optional()})
export const contactSchema = contact
export const accessibilitySchema = z.strictObject({
  contact: contact.optional(),
  responseDays: z.int({error: 'must be a whole number of working days'}).min(1, 'must be at least 1').max(60, 'must be at most 60').optional(),
  compliance: z.enum(['full', 'partial', 'not'], {error: 'must be "full", "partial" or "not"'}).optional(),
  nonAccessible: z.array(sentence, {error: 'must be a list of sentences'}).max(50, 'must have at most 50 items').optional(),
  prepared: date.optional(),
  lastReviewed: date.optional(),
  lastTested: date.optional()
})
export const privacySchema = z.strictObject({contact: contact.optional(), lastUpdated: date.optional()})
export const foiSchema = z.strictObject({...contactKeys, internalReview: contact.optional()})
export const icoSchema = z.strictObject({complaintsUrl: url.optional(), phone: phone.optional(), address: address.optional()})

/** The whole file. `$schema` and `$comment` are allowed and ignored. */
export const configSchema = z.strictObject({
  $schema: z.string().optional(),
  $comment: z.string().optional(),
  site: siteSchema.optional(),
  organisation: organisationSchema.optional(),
  accessibility: accessibilitySchema.optional(),
  privacy: privacySchema.optional(),
  foi: foiSchema.optional(),
  ico: icoSchema.optional(),
  approvals: z.literal([0, 1, 2], {error: 'must be 0, 1 or 2 (how many approvals a paper needs before it is published)'}).optional()
})

/** What the file holds, validated, before defaults. */
export type ConfigInput = z.infer<typeof configSchema>
export type ContactInput = z.infer<typeof contactSchema>

/** The keys allowed in the object at a path (for "unknown key" messages). */
export function allowedKeys(path: readonly PropertyKey[]): string[] {
  const contactNames = Object.keys(contactKeys)
  const objects: Record<string, string[]> = {
    '': Object.keys(configSchema.shape),
    site: Object.keys(siteSchema.shape),
    organisation: Object.keys(organisationSchema.shape),
    accessibility: Object.keys(accessibilitySchema.shape),
    privacy: Object.keys(privacySchema.shape),
    foi: Object.keys(foiSchema.shape),
    ico: Object.keys(icoSchema.shape)
  }
  const key = path.map(String).join('.')
  return objects[key] ?? contactNames
}
