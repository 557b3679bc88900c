/**
 * Red team: link and footnote definitions around withheld material.
 */
import {describe, it} from 'vitest'
import {expectSafe, runBody} from './helpers.js'

describe('definitions and footnotes', () => {
  const cases: Record<string, string> = {
    'public reference to a definition in a block': ':::official-sensitive{exemptions="s43"}\n[annex]: https://x.example/zkdef1\n:::\n\nSee [the annex][annex].\n',
    'case-folded label': ':::official-sensitive{exemptions="s43"}\n[ANNEX]: https://x.example/zkdef2\n:::\n\nSee [annex].\n',
    'sharp-s fold (ẞ vs SS)': 'See [\u1e9e].\n\n:::official-sensitive{exemptions="s43"}\n[SS]: https://x.example/zkdef3\n:::\n',
    'duplicate label inside and outside': 'See [x][].\n\n:::official-sensitive{exemptions="s43"}\nSee [x].\n\n[x]: https://x.example/zkdef4\n:::\n\n[x]: https://public.example/\n',
    'definition outside used only inside': ':::official-sensitive{exemptions="s43"}\nSee [y].\n:::\n\n[y]: https://x.example/zkdef5\n',
    'footnote outside used only inside': ':::official-sensitive{exemptions="s43"}\nSee [^a].\n:::\n\n[^a]: zkdef6\n',
    'footnote used only by a span': 'A :official-sensitive[see [^b]]{exemptions="s40"}.\n\n[^b]: zkdef7\n',
    'footnote chain only from redacted': ':::official-sensitive{exemptions="s43"}\nSee [^c].\n:::\n\n[^c]: note [^d]\n[^d]: zkdef8\n',
    'public footnote ref to footnote in block': 'See [^e].\n\n:::official-sensitive{exemptions="s43"}\n[^e]: zkdef9\n:::\n',
    'footnote inside footnote in block': 'See [^f].\n\n[^f]: note [^g]\n\n:::official-sensitive{exemptions="s43"}\n[^g]: zkdef10\n:::\n',
    'image only redacted (local file name)': ':::official-sensitive{exemptions="s43"}\n![c](./zkdef11.png)\n:::\n',
    'image definition used only redacted': ':::official-sensitive{exemptions="s43"}\n![c][img]\n:::\n\n[img]: ./zkdef12.png\n'
  }
  for (const [what, body] of Object.entries(cases)) {
    const canary = /zkdef\d+/.exec(body)![0]
    it(what, () => expectSafe(runBody(body), canary))
  }
})
