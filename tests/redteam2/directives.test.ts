/**
 * Red team round 2: bypasses of the `directive-unparsed` and
 * `directive-stray-fence` checks. SAFE = refused with an error, or the canary
 * is not in the public paper. A failing test is a finding.
 */
import {describe, it} from 'vitest'
import {expectSafe, runBody} from '../redteam/helpers.js'

describe('sensitive span syntax hidden by named HTML entities (the check decodes only numeric ones and &colon; &hyphen; &dash; &minus;)', () => {
  const cases: Record<string, string> = {
    '&shy; inside "official"': 'The lead, :offi&shy;cial-sensitive[zkr2shy]{exemptions="s40"}, manages it.\n',
    '&ndash; between the words': 'The lead, :official&ndash;sensitive[zkr2ndash]{exemptions="s40"}, manages it.\n',
    '&mdash; between the words': 'The lead, :official&mdash;sensitive[zkr2mdash]{exemptions="s40"}, manages it.\n',
    '&ZeroWidthSpace; inside "sensitive"': 'The lead, :official-sensi&ZeroWidthSpace;tive[zkr2zwsp]{exemptions="s40"}, manages it.\n',
    '&NoBreak; after the colon': 'The lead, :&NoBreak;official-sensitive[zkr2nobreak]{exemptions="s40"}, manages it.\n',
    '&shy; in a table cell': '| a | b |\n|---|---|\n| :offi&shy;cial-sensitive[zkr2cell]{exemptions="s40"} | x |\n',
    '&shy; in a block opener (closing fence then caught?)': ':::offi&shy;cial-sensitive{exemptions="s43"}\nzkr2blockshy\n:::\n'
  }
  for (const [what, body] of Object.entries(cases)) {
    const canary = /zkr2\w+/.exec(body)![0]
    it(what, () => expectSafe(runBody(body), canary))
  }
})

describe('lookalike letters plus a name-breaking character (bare `:word` is turned back into text)', () => {
  const cases: Record<string, string> = {
    'Cyrillic o + en dash': 'The lead, :\u043efficial\u2013sensitive[zkr2cyr1]{exemptions="s40"}, manages it.\n',
    'Greek omicron + non-breaking hyphen': 'The lead, :\u03bffficial\u2011sensitive[zkr2greek]{exemptions="s40"}, manages it.\n',
    'Cyrillic e in "sensitive"': 'The lead, :official-s\u0435nsitive[zkr2cyr2]{exemptions="s40"}, manages it.\n',
    'combining grapheme joiner (invisible) inside "official"': 'The lead, :offi\u034fcial-sensitive[zkr2cgj]{exemptions="s40"}, manages it.\n',
    'variation selector (invisible) inside "official"': 'The lead, :offi\ufe0fcial-sensitive[zkr2vs]{exemptions="s40"}, manages it.\n',
    'Hangul filler (invisible) inside "sensitive"': 'The lead, :official-sensi\u3164tive[zkr2hangul]{exemptions="s40"}, manages it.\n'
  }
  for (const [what, body] of Object.entries(cases)) {
    const canary = /zkr2\w+/.exec(body)![0]
    it(what, () => expectSafe(runBody(body), canary))
  }
})

describe('block closed early; the author\'s real closing fence is not a bare `:::` line, so the stray-fence check misses it', () => {
  const early = ':::official-sensitive{exemptions="s43"}\n- secret item\n  :::\n'
  const cases: Record<string, string> = {
    'closing fence followed by a non-breaking space': `${early}zkr2fence1\n:::\u00a0\n`,
    'closing fence followed by text': `${early}zkr2fence2\n::: end of part 2\n`,
    'closing fence followed by {attributes}': `${early}zkr2fence3\n:::{x}\n`,
    'closing fence in fullwidth colons': `${early}zkr2fence4\n\uff1a\uff1a\uff1a\n`,
    'closing fence with a zero-width space': `${early}zkr2fence5\n:::\u200b\n`,
    'code fence inside the block closes it; real close with trailing text lands in code': ':::official-sensitive{exemptions="s43"}\n```\n:::\n```\nzkr2fence6\n::: end\n',
    'raw HTML inside the block closes it; real close with trailing text': ':::official-sensitive{exemptions="s43"}\nA\n<div>\n:::\n</div>\n\nzkr2fence7\n::: end\n',
    'bare real close hidden in a multi-line inline code span (inlineCode is not checked)': `${early}zkr2fence8 \`x\n:::\n\`\n`,
    'bare real close hidden in a multi-line image alt': `${early}zkr2fence9 ![x\n:::\n](https://x.example/a.png)\n`,
    'bare real close hidden in a multi-line link title': `${early}zkr2fence10 [x](https://x.example/ "t\n:::\n")\n`
  }
  for (const [what, body] of Object.entries(cases)) {
    const canary = /zkr2\w+/.exec(body)![0]
    it(what, () => expectSafe(runBody(body), canary))
  }
})

describe('held in round 2 (regression guards)', () => {
  const cases: Record<string, string> = {
    'markdown escape in the name': 'A :official\\-sensitive[zkr2ok1]{exemptions="s40"} z\n',
    'name split across lines': 'A :official-\nsensitive[zkr2ok2]{exemptions="s40"} z\n',
    'numeric entity for o': 'A :&#x6f;fficial-sensitive[zkr2ok3]{exemptions="s40"} z\n',
    'Cyrillic o alone (unknown directive)': 'A :\u043efficial-sensitive[zkr2ok4]{exemptions="s40"} z\n',
    'tab after the colons': ':::\tofficial-sensitive{exemptions="s43"}\nzkr2ok5\n:::\n',
    'closing fence with a tab (valid close)': ':::official-sensitive{exemptions="s43"}\nzkr2ok6\n:::\t\n\npublic\n',
    'footnote definition holding a span lookalike': 'A[^1] z\n\n[^1]: :official\u2013sensitive[zkr2ok7]{exemptions="s40"}\n',
    'setext heading with a lookalike': ':official\u2011sensitive[zkr2ok8]{exemptions="s40"}\n---\n',
    'unclosed block in a list item': '- :::official-sensitive{exemptions="s43"}\n  zkr2ok9\n- after\n'
  }
  for (const [what, body] of Object.entries(cases)) {
    const canary = /zkr2\w+/.exec(body)![0]
    it(what, () => expectSafe(runBody(body), canary))
  }
})
