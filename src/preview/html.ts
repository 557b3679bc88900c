/**
 * A tagged template for the preview's pages: every interpolated value is
 * escaped unless it is marked `raw` (already sanitized HTML). Arrays are
 * joined, and null, undefined and false print nothing.
 */
export class Raw {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value
  }
}

export function raw(value: string): Raw {
  return new Raw(value)
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'})[c]!)
}

type Value = Raw | string | number | null | undefined | false | Value[]

function print(value: Value): string {
  if (value === null || value === undefined || value === false) return ''
  if (Array.isArray(value)) return value.map(print).join('')
  if (value instanceof Raw) return value.value
  return escapeHtml(String(value))
}

export function html(strings: TemplateStringsArray, ...values: Value[]): Raw {
  let out = strings[0]
  for (let i = 0; i < values.length; i++) out += print(values[i]) + strings[i + 1]
  return new Raw(out)
}
