/**
 * Europe/London time, through @date-fns/tz and Intl (never hand-written
 * offsets). Every date in a paper is read as text and interpreted here, so a
 * YAML parser can never turn `2026-07-01` into a UTC instant an hour off.
 */
import {TZDate} from '../vendor/index.js'

export const LONDON = 'Europe/London'

/** A parse result: the value, or a reason it is not one. */
export type Parsed<T> = {ok: true; value: T} | {ok: false; reason: string}

const dateRe = /^(\d{4})-(\d{2})-(\d{2})$/
const dateTimeRe =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?(Z|[+-]\d{2}:?\d{2})?$/

/** Whether y-m-d is a real calendar date (2019-02-30 is not). */
function isRealDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false
  const days = new Date(Date.UTC(y, m, 0)).getUTCDate()
  return d <= days
}

/** A calendar date `YYYY-MM-DD`, checked to exist. */
export function parseCalendarDate(text: string): Parsed<{year: number; month: number; day: number}> {
  const match = dateRe.exec(text.trim())
  if (!match) return {ok: false, reason: 'expected a date as `YYYY-MM-DD`'}
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])]
  if (!isRealDate(year, month, day)) return {ok: false, reason: `\`${text.trim()}\` is not a date in the calendar`}
  return {ok: true, value: {year, month, day}}
}

/** Wall-clock fields of an instant in London. */
const partsFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: LONDON,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23'
})

export function londonParts(instant: Date): {year: number; month: number; day: number; hour: number; minute: number; second: number} {
  const parts = partsFormat.formatToParts(instant)
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value)
  return {year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute'), second: get('second')}
}

/** The instants (none, one, or two in the repeated hour) that show this London wall-clock time. */
function londonInstants(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number): Date[] {
  const guess = new TZDate(y, mo - 1, d, h, mi, s, ms, LONDON).getTime()
  const found: Date[] = []
  // London's offset is 0 or +1 hour: the candidates lie within an hour of the guess.
  for (const shift of [-3_600_000, 0, 3_600_000]) {
    const instant = new Date(guess + shift)
    const back = londonParts(instant)
    if (back.year === y && back.month === mo && back.day === d && back.hour === h && back.minute === mi && !found.some((f) => f.getTime() === instant.getTime())) found.push(instant)
  }
  return found.sort((a, b) => a.getTime() - b.getTime())
}

const SKIPPED = 'that London time does not exist (the clocks go forward over it); give a time outside the skipped hour or an explicit offset'

/**
 * The instant at a London wall-clock time.
 * Why: a time that does not exist (the hour skipped in March) is an error, not
 * a guess; a time that happens twice (the hour repeated in October) is the
 * later of the two, so a deferral is never released early.
 */
function londonWallClock(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number): Parsed<Date> {
  const instants = londonInstants(y, mo, d, h, mi, s, ms)
  if (instants.length === 0) return {ok: false, reason: SKIPPED}
  return {ok: true, value: instants[instants.length - 1]}
}

/**
 * Parse a deferral `until`: a date is 00:00 London on that date; a date-time
 * with an offset (or `Z`) is that instant; a date-time without one is London
 * wall-clock time.
 */
export function parseLondonInstant(text: string): Parsed<Date> {
  const value = text.trim()
  const dateOnly = parseCalendarDate(value)
  if (dateOnly.ok) {
    const {year, month, day} = dateOnly.value
    return londonWallClock(year, month, day, 0, 0, 0, 0)
  }
  const match = dateTimeRe.exec(value)
  if (!match) {
    return {ok: false, reason: 'expected `YYYY-MM-DD`, `YYYY-MM-DDTHH:MM` (London time) or an ISO 8601 instant with an offset'}
  }
  const [y, mo, d, h, mi] = [1, 2, 3, 4, 5].map((i) => Number(match[i]))
  const s = match[6] ? Number(match[6]) : 0
  const ms = match[7] ? Number(match[7].padEnd(3, '0')) : 0
  if (!isRealDate(y, mo, d)) return {ok: false, reason: `\`${value}\` is not a date in the calendar`}
  if (h > 23 || mi > 59 || s > 59) return {ok: false, reason: `\`${value}\` is not a time of day`}
  const zone = match[8]
  if (!zone) return londonWallClock(y, mo, d, h, mi, s, ms)
  let offsetMinutes = 0
  if (zone !== 'Z') {
    const sign = zone[0] === '-' ? -1 : 1
    const digits = zone.slice(1).replace(':', '')
    const [hours, minutes] = [Number(digits.slice(0, 2)), Number(digits.slice(2))]
    if (hours > 14 || minutes > 59 || (hours === 14 && minutes > 0)) return {ok: false, reason: `\`${zone}\` is not a time zone offset (they run from -12:00 to +14:00)`}
    offsetMinutes = sign * (hours * 60 + minutes)
  }
  const utc = Date.UTC(y, mo - 1, d, h, mi, s, ms) - offsetMinutes * 60_000
  return {ok: true, value: new Date(utc)}
}

/**
 * Parse `--now`: an ISO 8601 instant (with an offset, or London time without one).
 * Why: unlike a deferral, a `--now` in the repeated autumn hour has no safe
 * side (the earlier instant could withdraw, the later could publish), so it
 * is refused, naming both instants.
 */
export function parseNow(text: string): Parsed<Date> {
  const match = dateTimeRe.exec(text.trim())
  if (match && !match[8]) {
    const [y, mo, d, h, mi] = [1, 2, 3, 4, 5].map((i) => Number(match[i]))
    const s = match[6] ? Number(match[6]) : 0
    const ms = match[7] ? Number(match[7].padEnd(3, '0')) : 0
    if (isRealDate(y, mo, d) && h <= 23 && mi <= 59 && s <= 59) {
      const instants = londonInstants(y, mo, d, h, mi, s, ms)
      if (instants.length === 2) {
        const [first, second] = instants.map((i) => i.toISOString().replace('.000Z', 'Z'))
        return {ok: false, reason: `that London time happens twice (the clocks go back over it): it is ${first} (BST) or ${second} (GMT); give an offset, e.g. \`${text.trim()}+01:00\` or \`${text.trim()}Z\``}
      }
    }
  }
  return parseLondonInstant(text)
}

const longDate = new Intl.DateTimeFormat('en-GB', {timeZone: LONDON, day: 'numeric', month: 'long', year: 'numeric'})

/** A calendar date as "10 July 2019". */
export function formatLongDate(isoDate: string): string {
  const parsed = parseCalendarDate(isoDate)
  if (!parsed.ok) return isoDate
  const {year, month, day} = parsed.value
  // Noon UTC on that date is the same calendar date in London.
  return longDate.format(new Date(Date.UTC(year, month - 1, day, 12)))
}

// Made once: a formatter costs far more to make than to use (once per page).
const londonInstant = new Intl.DateTimeFormat('en-GB', {
  timeZone: LONDON,
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
  timeZoneName: 'short'
})

/** An instant as London wall-clock text, e.g. "1 March 2027, 00:00 GMT". */
export function formatLondonInstant(instant: Date): string {
  return londonInstant.format(instant)
}

/** The London calendar date (`YYYY-MM-DD`) of an instant. */
export function londonDate(instant: Date): string {
  const p = londonParts(instant)
  return `${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`
}
