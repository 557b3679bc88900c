/** `mopac verify`: the independent leak check of a built site. */
import {formatVerifyResult, verify, VerifyInputError} from '../../verify/index.js'
import {EXIT} from '../exit.js'
import {UsageError, type CliIo} from '../io.js'
import {contentOption, jsonOption, nowOption, outOption, resolveNow} from '../options.js'
import type {Command} from './types.js'

export const verifyCommand: Command = {
  name: 'verify',
  summary: 'Scan a built site for any text that must not be public',
  usage: 'mopac verify [--content DIR] [--out DIR] [--now ISO] [--json]',
  help: `An independent second line of defence that shares no code with the
redaction pipeline. It extracts from the source papers every text that must not
be public (sensitive blocks and spans, internal frontmatter, and the title,
id, summary and body of every paper not public at --now), then scans every
file under --out, file names included and compressed files decompressed, for
any distinctive phrase (8-word sequences) or token of it, and for any word of
withheld material that appears in no public text and not in the site's own
text. Prints each hit with the output file and the source file:line; exits 3
on any hit. A missing or empty --out, or a --content without papers, is bad
usage (exit 2).

Options:
  --content DIR   folder of papers (default: content)
  --out DIR       the built site to scan (default: public)
  --now ISO       the instant the site was built for (default: the current time)
  --json          print the hits as JSON`,
  options: {...contentOption, ...outOption, ...nowOption, ...jsonOption},
  async run(values, io: CliIo) {
    const now = resolveNow(values.now as string | undefined, io)
    let result
    try {
      result = await verify({content: values.content as string, out: values.out as string, now})
    } catch (error) {
      if (error instanceof VerifyInputError) throw new UsageError(error.message.replace(/^verify: /, ''))
      throw error
    }
    if (values.json) io.stdout(JSON.stringify(result, null, 2) + '\n')
    else io.stdout(formatVerifyResult(result) + '\n')
    return result.hits.length > 0 ? EXIT.leak : EXIT.ok
  }
}
