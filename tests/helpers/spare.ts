import fs from 'node:fs'
import path from 'node:path'

/**
 * What the spare beside --out (`.<out>.spare`, src/build/spare.ts) holds that
 * the live site does not hold byte for byte at the same path: each such
 * entry as `.<out>.spare/<path>`. Empty when there is no spare.
 */
export function spareExtras(out: string): string[] {
  const name = `.${path.basename(out)}.spare`
  const spare = path.join(path.dirname(out), name)
  if (!fs.existsSync(spare)) return []
  const extras: string[] = []
  for (const rel of fs.readdirSync(spare, {recursive: true}).map(String).sort()) {
    const stat = fs.lstatSync(path.join(spare, rel))
    if (stat.isDirectory()) continue
    const live = path.join(out, rel)
    if (!stat.isFile() || !fs.existsSync(live) || !fs.lstatSync(live).isFile() || !fs.readFileSync(live).equals(fs.readFileSync(path.join(spare, rel)))) extras.push(`${name}/${rel}`)
  }
  return extras
}
