/**
 * Red team round 5: one paper through processPaper. Each case states its one
 * expected outcome: refused with the rule that names why, or published
 * without the canary. A failing test is a finding.
 */
import {describe, it} from 'vitest'
import {expectOutcome, expectRefused, published, refused, run, runBody, type Expected} from '../redteam/helpers.js'

const FM_PART2 = `---
id: PCD 1
title: Title
date: "2019-06-20"
classification: OFFICIAL
part2:
  exemptions: s43
---
`

// micromark-extension-directive ends a span label at the first unbalanced `]`
// in the raw characters, even inside a code span, an autolink or a raw HTML
// attribute (where CommonMark link text would not). The rest of what the
// author wrote as the label, plus its `]{exemptions=...}`, becomes public
// text after the marker. The directive then has no attributes; with
// `part2.exemptions` as the default ground no error is raised, and the
// leftover holds no `:official-sensitive`, so `directive-unparsed` is silent.
describe('finding: span label closed early by a `]` the author did not mean as the end (part2.exemptions set)', () => {
  const cases: Record<string, string> = {
    '`]` inside a code span in the label': 'The winner, :official-sensitive[the `a]` bidder zk5code]{exemptions="s40"}, was told.\n',
    '`]` inside an autolink in the label': 'See :official-sensitive[the memo <https://x.example/a]> zk5auto]{exemptions="s40"}.\n',
    '`]` inside a raw HTML attribute in the label': 'See :official-sensitive[<span title="]">zk5html</span>]{exemptions="s40"}.\n',
    '`]` inside a link destination in the label': 'See :official-sensitive[[the memo](https://x.example/a]) zk5dest]{exemptions="s40"}.\n',
    'a stray `]` in the label': 'Bidder :official-sensitive[Acme] Holdings zk5stray]{exemptions="s40"} won.\n'
  }
  for (const [what, body] of Object.entries(cases)) {
    it(what, () => expectRefused(run(FM_PART2 + body), 'directive-label-early'))
  }
})

describe('held in round 5 (regression guards)', () => {
  const cases: Record<string, [string, Expected]> = {
    'same code-span `]` with no part2 (no ground: refused)': [':official-sensitive[the `a]` bidder zk5ok1]{exemptions="s40"} x\n', refused('directive-label-early', 'redaction-no-ground')],
    'escaped \\] in the label': [':official-sensitive[a \\] zk5ok2]{exemptions="s40"} x\n', published],
    'nested span with a different ground': [':official-sensitive[a :official-sensitive[zk5ok3]{exemptions="s40"}]{exemptions="s43"}\n', published],
    'escaped pipe in a table cell span': ['| a | b |\n|---|---|\n| :official-sensitive[x \\| zk5ok4]{exemptions="s40"} | y |\n', published],
    'unescaped pipe in a table cell span': ['| :official-sensitive[a | zk5ok5]{exemptions="s40"} |\n|---|---|\n', refused('directive-label-early')],
    'leaf label across lines': ['::official-sensitive[line1\nzk5ok6]{exemptions="s43"}\n', refused('directive-unparsed')],
    'leaf with .class #id': ['::official-sensitive[zk5ok7]{exemptions="s43" .x #y}\n', refused('directive-attribute-unknown')],
    'container label closed early (text after braces)': [':::official-sensitive[Label] zk5ok8]{exemptions="s43"}\nsecret\n:::\n', refused('directive-unparsed')],
    'footnote continuing after an indented block': ['See[^n].\n\n[^n]: Public note.\n    :::official-sensitive{exemptions="s43"}\n    zk5ok9\n    :::\n    more public\n', published],
    'block last in a blockquote, lazy line': ['> :::official-sensitive{exemptions="s43"}\n> secret\nzk5ok10 lazy\n', refused('directive-unclosed')],
    '<pre> inside a block holding :::': [':::official-sensitive{exemptions="s43"}\n<pre>\nsecret\n:::\nzk5ok11\n</pre>\n:::\n', refused('directive-stray-fence')],
    '<pre> across blank lines swallowing a block': ['<pre>\n\n:::official-sensitive{exemptions="s43"}\nzk5ok12\n:::\n\n</pre>\n', refused('directive-unparsed')],
    'definition-like text in a span label': ['[x][a]\n\n:official-sensitive[[a]: http://zk5ok13]{exemptions="s40"}\n', published],
    'HTML in exemptions': [':official-sensitive[zk5ok14]{exemptions="s40<b>x</b>"}\n', refused('exemption-unknown')],
    'comment with ] in the label': [':official-sensitive[a <!-- ] --> zk5ok15]{exemptions="s40"}\n', refused('directive-label-early')],
    'leaf label with a code-span ]': ['::official-sensitive[a `]` zk5ok16]{exemptions="s40"}\n', refused('directive-unparsed')]
  }
  for (const [what, [body, expected]] of Object.entries(cases)) {
    const canary = /zk5ok\d+/.exec(body)![0]
    it(what, () => expectOutcome(runBody(body), canary, expected))
  }
})
