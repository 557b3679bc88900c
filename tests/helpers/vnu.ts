/** The Nu Html Checker (vnu.jar; needs `java` on the PATH), run once on many pages. */
import {spawnSync} from 'node:child_process'
import vnu from 'vnu-jar'

/**
 * Check HTML files, or every file under folders (`--skip-non-html` leaves
 * out what is not HTML), printing errors only: `output` is empty and
 * `status` 0 when every page is valid.
 * Why the JVM flags: a run lasts seconds, too short for the optimising
 * compiler to pay for itself; the quick one alone (TieredStopAtLevel=1)
 * halves the checker's CPU time, and needs more thread stack than the
 * default for the HTML schema.
 */
export function nuHtmlCheck(paths: string[], options: {skipNonHtml?: boolean} = {}): {error?: Error; status: number | null; output: string} {
  const args = ['-Xss8m', '-XX:TieredStopAtLevel=1', '-jar', vnu as unknown as string, '--errors-only', ...(options.skipNonHtml ? ['--skip-non-html'] : []), ...paths]
  const result = spawnSync('java', args, {encoding: 'utf8'})
  return {error: result.error, status: result.status, output: (result.stderr ?? '') + (result.stdout ?? '')}
}
