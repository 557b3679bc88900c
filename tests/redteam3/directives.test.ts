/**
 * Red team round 3: directive checks. SAFE = refused with an error, or the
 * canary is not in the public paper. A failing test is a finding.
 */
import {describe, it} from 'vitest'
import {expectSafe, runBody} from '../redteam/helpers.js'

// micromark reads any non-punctuation, non-space character as part of a
// directive name, so `:offi<X>cial` is a directive named `offi<X>cial`. When
// a punctuation character (en dash) ends the name right after, it is a bare
// `:word` and is turned back into text; the check then relies on
// foldForChecks, which misses <X> when it is an invisible format character
// outside its list, or a lookalike outside its confusables table.
describe('was a finding, now refused: bare `:word` + en dash, with a character foldForChecks does not fold', () => {
  const cases: Record<string, string> = {
    'Armenian small oh U+0585 for o': 'The lead, :\u0585fficial\u2013sensitive[zk3arm]{exemptions="s40"}, manages it.\n',
    'TAG LATIN CAPITAL A U+E0041 (invisible) inside "official"': 'The lead, :offi\u{E0041}cial\u2013sensitive[zk3tag]{exemptions="s40"}, manages it.\n',
    'LEFT-TO-RIGHT ISOLATE U+2066 (invisible) inside "official"': 'The lead, :offi\u2066cial\u2013sensitive[zk3lri]{exemptions="s40"}, manages it.\n',
    'ARABIC LETTER MARK U+061C (invisible) inside "official"': 'The lead, :offi\u061Ccial\u2013sensitive[zk3alm]{exemptions="s40"}, manages it.\n',
    'SHORTHAND FORMAT LETTER OVERLAP U+1BCA0 (invisible)': 'The lead, :offi\u{1BCA0}cial\u2013sensitive[zk3short]{exemptions="s40"}, manages it.\n',
    'Latin small capital I U+026A': 'The lead, :off\u026Acial\u2013sensitive[zk3smallcap]{exemptions="s40"}, manages it.\n',
    'Cherokee small letter U+13A5 for i (in "sensitive")': 'The lead, :official\u2013sensit\u13A5ve[zk3cherokee]{exemptions="s40"}, manages it.\n',
    'tag character, space instead of a dash': 'The lead, :offi\u{E0041}cial sensitive[zk3tagspace]{exemptions="s40"}, manages it.\n'
  }
  for (const [what, body] of Object.entries(cases)) {
    const canary = /zk3\w+/.exec(body)![0]
    it(what, () => expectSafe(runBody(body), canary))
  }
})

// `- :::` / `1. :::` is a fence line inside a list item, but the stray-fence
// regex /^[\s>]*:{3,}/ only allows spaces and `>` before the colons.
describe('was a finding, now refused: real closing fence written after a list marker is not seen by the stray-fence check', () => {
  const cases: Record<string, string> = {
    'bullet marker': ':::official-sensitive{exemptions="s43"}\n- secret item\n  :::\nzk3listclose1\n- :::\n',
    'ordered marker': ':::official-sensitive{exemptions="s43"}\n1. secret item\n   :::\nzk3listclose2\n2. :::\n'
  }
  for (const [what, body] of Object.entries(cases)) {
    const canary = /zk3\w+/.exec(body)![0]
    it(what, () => expectSafe(runBody(body), canary))
  }
})

describe('held in round 3 (regression guards)', () => {
  const cases: Record<string, string> = {
    'Armenian o, no dash (unknown directive)': 'The lead, :\u0585fficial-sensitive[zk3ok1]{exemptions="s40"}, x.\n',
    'tag char, no dash (unknown directive)': 'The lead, :offi\u{E0041}cial-sensitive[zk3ok2]{exemptions="s40"}, x.\n',
    'block opener with tag char + en dash (stray fences)': ':::offi\u{E0041}cial\u2013sensitive{exemptions="s43"}\nzk3ok3\n:::\n',
    'block opener with Armenian o + en dash (stray fences)': ':::\u0585fficial\u2013sensitive{exemptions="s43"}\nzk3ok4\n:::\n',
    'emphasis splitting the name': 'The lead, :*official*-sensitive[zk3ok5]{exemptions="s40"}, x.\n',
    'tab inside the name': 'The lead, :official\t-sensitive[zk3ok6]{exemptions="s40"}, x.\n',
    'NUL inside the name': 'The lead, :offi\u0000cial-sensitive[zk3ok7]{exemptions="s40"}, x.\n',
    'Mongolian free variation selector inside the name': 'The lead, :offi\u180Bcial-sensitive[zk3ok8]{exemptions="s40"}, x.\n',
    'U+2028 line separators instead of newlines': ':::official-sensitive{exemptions="s43"}\u2028zk3ok9\u2028:::\n',
    'CR-only line endings': 'x\r:::official-sensitive{exemptions="s43"}\rzk3ok10\r:::\r',
    '<plaintext>': '<plaintext>\n:official-sensitive[zk3ok11]{exemptions="s40"}\n',
    '<xmp>': '<xmp>\n<b>:official-sensitive[zk3ok12]{exemptions="s40"}</b></xmp>\n',
    'footnote definition holding an indented block': 'See[^n].\n\n[^n]: note\n\n    :::official-sensitive{exemptions="s43"}\n    zk3ok13\n    :::\n',
    'exemptions attribute with a newline': ':::official-sensitive{exemptions="s43\ns40"}\nzk3ok14\n:::\n',
    'exemptions attribute with an entity': ':::official-sensitive{exemptions="s43&#10;"}\nzk3ok15\n:::\n',
    'label with ] inside': ':::official-sensitive[a]b]{exemptions="s43"}\nzk3ok16\n:::\n',
    'label with }{ inside': ':::official-sensitive[a}{]{exemptions="s43"}\nzk3ok17\n:::\n',
    'setext underline of colons': 'Title\n:::\n\nzk3ok18\n',
    'block in a blockquote, closing fence outside the quote': '> :::official-sensitive{exemptions="s43"}\n> secret\n\nzk3ok19\n:::\n',
    'equal colon counts at two list levels': '- a\n  :::official-sensitive{exemptions="s43"}\n  - b\n    :::official-sensitive{exemptions="s40"}\n    x\n  :::\n  zk3ok20\n  :::\n',
    'closing fence indented 4+ (code) in a list inside the block': '- item\n\n  :::official-sensitive{exemptions="s43"}\n  - x\n\n          :::\n  zk3ok21\n  :::\n',
    'blockquote ::: inside the block': ':::official-sensitive{exemptions="s43"}\n> a\n> :::\nzk3ok22\n:::\n',
    'span in a link URL': 'A [x](https://e.x/:official-sensitive[zk3ok23]) z\n',
    'span in an autolink': 'A <https://e.x/:official-sensitive[zk3ok24]> z\n',
    'giant single line': 'a '.repeat(200000) + ':official-sensitive[zk3ok25]{exemptions="s40"}\n',
    'LRI between the words (matched as \\W)': 'The lead, :official\u2066-sensitive[zk3ok26]{exemptions="s40"}, x.\n'
  }
  for (const [what, body] of Object.entries(cases)) {
    const canary = /zk3ok\d+/.exec(body)![0]
    it(what, () => expectSafe(runBody(body), canary))
  }
})
