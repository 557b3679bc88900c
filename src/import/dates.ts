/**
 * Dates as typed on a decision form, in British order: `20/06/2019`,
 * `10/7/19`, `20.06.2019`, `20 June 2019`, `20th Jun 2019`, `2019-06-20`,
 * optionally followed by a 24-hour time (`09:30`). Read into the paper's
 * own forms: `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM` (London time).
 */
import {parseCalendarDate} from '../time/london.js'

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec']

const numericRe = /\b(\d{1,2})[/.-](\d{1,2})[/.-](\d{4}|\d{2})\b/
const isoRe = /\b(\d{4})-(\d{2})-(\d{2})\b/
const wordsRe = /\b(\d{1,2})(?:st|nd|rd|th)? (jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.? (\d{4})\b/i
const timeRe = /^(?:,? (?:at )?)?(\d{1,2})[:.](\d{2})\b(?! ?[ap]\.?m)/i

export interface FoundDate {
  /** `YYYY-MM-DD` or `YYYY-MM-DDTHH:MM`. */
  value: string
  /** The text it was read from. */
  written: string
}

/** The first date in `text`, if any reads as a real calendar date. */
export function findDate(text: string): FoundDate | undefined {
  const plain = text.replace(/\s+/g, ' ')
  const candidates: Array<{index: number; length: number; year: number; month: number; day: number}> = []
  const iso = isoRe.exec(plain)
  if (iso) candidates.push({index: iso.index, length: iso[0].length, year: Number(iso[1]), month: Number(iso[2]), day: Number(iso[3])})
  const numeric = numericRe.exec(plain)
  if (numeric) {
    const year = numeric[3].length === 2 ? 2000 + Number(numeric[3]) : Number(numeric[3])
    candidates.push({index: numeric.index, length: numeric[0].length, year, month: Number(numeric[2]), day: Number(numeric[1])})
  }
  const words = wordsRe.exec(plain)
  if (words) candidates.push({index: words.index, length: words[0].length, year: Number(words[3]), month: MONTHS.indexOf(words[2].toLowerCase()) + 1, day: Number(words[1])})
  candidates.sort((a, b) => a.index - b.index)
  for (const candidate of candidates) {
    const date = `${candidate.year}-${pad(candidate.month)}-${pad(candidate.day)}`
    if (!parseCalendarDate(date).ok) continue
    const time = timeRe.exec(plain.slice(candidate.index + candidate.length))
    const hours = time ? Number(time[1]) : NaN
    const value = time && hours < 24 && Number(time[2]) < 60 ? `${date}T${pad(hours)}:${time[2]}` : date
    const end = candidate.index + candidate.length + (value === date ? 0 : time![0].length)
    return {value, written: plain.slice(candidate.index, end).trim()}
  }
  return undefined
}

function pad(value: number): string {
  return String(value).padStart(2, '0')
}
