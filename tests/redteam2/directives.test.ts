/**
 * Red team round 2: bypasses of the `directive-unparsed` and
 * `directive-stray-fence` checks. Each case states its one expected outcome:
 * refused with the rule that names why, or published without the canary.
 * A failing test is a finding.
 */
import {describe, it} from 'vitest'
import {expectOutcome, published, refused, runBody, type Expected} from '../redteam/helpers.js'

describe('sensitive span syntax hidden by named HTML entities (the check decodes only numeric ones and &colon; &hyphen; &dash; &minus;)', () => {
  const cases: Record<string, [string, Expected]> = {
    '&shy; inside "official"': ['The lead, :offi&shy;cial-sensitive[zkr2shy]{exemptions="s40"}, manages it.\n', refused('directive-unparsed')],
    '&ndash; between the words': ['The lead, :official&ndash;sensitive[zkr2ndash]{exemptions="s40"}, manages it.\n', refused('directive-unparsed')],
    '&mdash; between the words': ['The lead, :official&mdash;sensitive[zkr2mdash]{exemptions="s40"}, manages it.\n', refused('directive-unparsed')],
    '&ZeroWidthSpace; inside "sensitive"': ['The lead, :official-sensi&ZeroWidthSpace;tive[zkr2zwsp]{exemptions="s40"}, manages it.\n', refused('directive-unparsed')],
    '&NoBreak; after the colon': ['The lead, :&NoBreak;official-sensitive[zkr2nobreak]{exemptions="s40"}, manages it.\n', refused('directive-unparsed')],
    '&shy; in a table cell': ['| a | b |\n|---|---|\n| :offi&shy;cial-sensitive[zkr2cell]{exemptions="s40"} | x |\n', refused('directive-unparsed')],
    '&shy; in a block opener (closing fence then caught?)': [':::offi&shy;cial-sensitive{exemptions="s43"}\nzkr2blockshy\n:::\n', refused('directive-unparsed')]
  }
  for (const [what, [body, expected]] of Object.entries(cases)) {
    const canary = /zkr2\w+/.exec(body)![0]
    it(what, () => expectOutcome(runBody(body), canary, expected))
  }
})

describe('lookalike letters plus a name-breaking character (bare `:word` is turned back into text)', () => {
  const cases: Record<string, [string, Expected]> = {
    'Cyrillic o + en dash': ['The lead, :\u043efficial\u2013sensitive[zkr2cyr1]{exemptions="s40"}, manages it.\n', refused('directive-unparsed')],
    'Greek omicron + non-breaking hyphen': ['The lead, :\u03bffficial\u2011sensitive[zkr2greek]{exemptions="s40"}, manages it.\n', refused('directive-unparsed')],
    'Cyrillic e in "sensitive"': ['The lead, :official-s\u0435nsitive[zkr2cyr2]{exemptions="s40"}, manages it.\n', refused('directive-unparsed')],
    'combining grapheme joiner (invisible) inside "official"': ['The lead, :offi\u034fcial-sensitive[zkr2cgj]{exemptions="s40"}, manages it.\n', refused('directive-unparsed')],
    'variation selector (invisible) inside "official"': ['The lead, :offi\ufe0fcial-sensitive[zkr2vs]{exemptions="s40"}, manages it.\n', refused('directive-unparsed')],
    'Hangul filler (invisible) inside "sensitive"': ['The lead, :official-sensi\u3164tive[zkr2hangul]{exemptions="s40"}, manages it.\n', refused('directive-unparsed')]
  }
  for (const [what, [body, expected]] of Object.entries(cases)) {
    const canary = /zkr2\w+/.exec(body)![0]
    it(what, () => expectOutcome(runBody(body), canary, expected))
  }
})

describe('block closed early; the author\'s real closing fence is not a bare `:::` line, so the stray-fence check misses it', () => {
  const early = ':::official-sensitive{exemptions="s43"}\n- secret item\n  :::\n'
  const cases: Record<string, [string, Expected]> = {
    'closing fence followed by a non-breaking space': [`${early}zkr2fence1\n:::\u00a0\n`, refused('directive-stray-fence')],
    'closing fence followed by text': [`${early}zkr2fence2\n::: end of part 2\n`, refused('directive-stray-fence')],
    'closing fence followed by {attributes}': [`${early}zkr2fence3\n:::{x}\n`, refused('directive-stray-fence')],
    'closing fence in fullwidth colons': [`${early}zkr2fence4\n\uff1a\uff1a\uff1a\n`, refused('directive-stray-fence')],
    'closing fence with a zero-width space': [`${early}zkr2fence5\n:::\u200b\n`, refused('directive-unknown')],
    'code fence inside the block closes it; real close with trailing text lands in code': [':::official-sensitive{exemptions="s43"}\n```\n:::\n```\nzkr2fence6\n::: end\n', refused('directive-stray-fence')],
    'raw HTML inside the block closes it; real close with trailing text': [':::official-sensitive{exemptions="s43"}\nA\n<div>\n:::\n</div>\n\nzkr2fence7\n::: end\n', refused('directive-stray-fence')],
    'bare real close hidden in a multi-line inline code span (inlineCode is not checked)': [`${early}zkr2fence8 \`x\n:::\n\`\n`, refused('directive-stray-fence')],
    'bare real close hidden in a multi-line image alt': [`${early}zkr2fence9 ![x\n:::\n](https://x.example/a.png)\n`, refused('directive-stray-fence')],
    'bare real close hidden in a multi-line link title': [`${early}zkr2fence10 [x](https://x.example/ "t\n:::\n")\n`, refused('directive-stray-fence')]
  }
  for (const [what, [body, expected]] of Object.entries(cases)) {
    const canary = /zkr2\w+/.exec(body)![0]
    it(what, () => expectOutcome(runBody(body), canary, expected))
  }
})

describe('held in round 2 (regression guards)', () => {
  const cases: Record<string, [string, Expected]> = {
    'markdown escape in the name': ['A :official\\-sensitive[zkr2ok1]{exemptions="s40"} z\n', refused('directive-unparsed')],
    'name split across lines': ['A :official-\nsensitive[zkr2ok2]{exemptions="s40"} z\n', refused('directive-unparsed')],
    'numeric entity for o': ['A :&#x6f;fficial-sensitive[zkr2ok3]{exemptions="s40"} z\n', refused('directive-unparsed')],
    'Cyrillic o alone (unknown directive)': ['A :\u043efficial-sensitive[zkr2ok4]{exemptions="s40"} z\n', refused('directive-unknown')],
    'tab after the colons': [':::\tofficial-sensitive{exemptions="s43"}\nzkr2ok5\n:::\n', refused('directive-unknown')],
    'closing fence with a tab (valid close)': [':::official-sensitive{exemptions="s43"}\nzkr2ok6\n:::\t\n\npublic\n', published],
    'footnote definition holding a span lookalike': ['A[^1] z\n\n[^1]: :official\u2013sensitive[zkr2ok7]{exemptions="s40"}\n', refused('directive-unparsed')],
    'setext heading with a lookalike': [':official\u2011sensitive[zkr2ok8]{exemptions="s40"}\n---\n', refused('directive-unparsed')],
    'unclosed block in a list item': ['- :::official-sensitive{exemptions="s43"}\n  zkr2ok9\n- after\n', refused('directive-unclosed')]
  }
  for (const [what, [body, expected]] of Object.entries(cases)) {
    const canary = /zkr2\w+/.exec(body)![0]
    it(what, () => expectOutcome(runBody(body), canary, expected))
  }
})
