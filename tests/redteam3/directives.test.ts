/**
 * Red team round 3: directive checks. Each case states its one expected
 * outcome: refused with the rule that names why, or published without the
 * canary. A failing test is a finding.
 */
import {describe, it} from 'vitest'
import {expectOutcome, published, refused, runBody, type Expected} from '../redteam/helpers.js'

// micromark reads any non-punctuation, non-space character as part of a
// directive name, so `:offi<X>cial` is a directive named `offi<X>cial`. When
// a punctuation character (en dash) ends the name right after, it is a bare
// `:word` and is turned back into text; the check then relies on
// foldForChecks, which misses <X> when it is an invisible format character
// outside its list, or a lookalike outside its confusables table.
describe('was a finding, now refused: bare `:word` + en dash, with a character foldForChecks does not fold', () => {
  const cases: Record<string, [string, Expected]> = {
    'Armenian small oh U+0585 for o': ['The lead, :\u0585fficial\u2013sensitive[zk3arm]{exemptions="s40"}, manages it.\n', refused('directive-unparsed')],
    'TAG LATIN CAPITAL A U+E0041 (invisible) inside "official"': ['The lead, :offi\u{E0041}cial\u2013sensitive[zk3tag]{exemptions="s40"}, manages it.\n', refused('directive-unparsed')],
    'LEFT-TO-RIGHT ISOLATE U+2066 (invisible) inside "official"': ['The lead, :offi\u2066cial\u2013sensitive[zk3lri]{exemptions="s40"}, manages it.\n', refused('directive-unparsed')],
    'ARABIC LETTER MARK U+061C (invisible) inside "official"': ['The lead, :offi\u061Ccial\u2013sensitive[zk3alm]{exemptions="s40"}, manages it.\n', refused('directive-unparsed')],
    'SHORTHAND FORMAT LETTER OVERLAP U+1BCA0 (invisible)': ['The lead, :offi\u{1BCA0}cial\u2013sensitive[zk3short]{exemptions="s40"}, manages it.\n', refused('directive-unparsed')],
    'Latin small capital I U+026A': ['The lead, :off\u026Acial\u2013sensitive[zk3smallcap]{exemptions="s40"}, manages it.\n', refused('directive-unparsed')],
    'Cherokee small letter U+13A5 for i (in "sensitive")': ['The lead, :official\u2013sensit\u13A5ve[zk3cherokee]{exemptions="s40"}, manages it.\n', refused('directive-unparsed')],
    'tag character, space instead of a dash': ['The lead, :offi\u{E0041}cial sensitive[zk3tagspace]{exemptions="s40"}, manages it.\n', refused('directive-unparsed')]
  }
  for (const [what, [body, expected]] of Object.entries(cases)) {
    const canary = /zk3\w+/.exec(body)![0]
    it(what, () => expectOutcome(runBody(body), canary, expected))
  }
})

// `- :::` / `1. :::` is a fence line inside a list item, but the stray-fence
// regex /^[\s>]*:{3,}/ only allows spaces and `>` before the colons.
describe('was a finding, now refused: real closing fence written after a list marker is not seen by the stray-fence check', () => {
  const cases: Record<string, [string, Expected]> = {
    'bullet marker': [':::official-sensitive{exemptions="s43"}\n- secret item\n  :::\nzk3listclose1\n- :::\n', refused('directive-stray-fence')],
    'ordered marker': [':::official-sensitive{exemptions="s43"}\n1. secret item\n   :::\nzk3listclose2\n2. :::\n', refused('directive-stray-fence')]
  }
  for (const [what, [body, expected]] of Object.entries(cases)) {
    const canary = /zk3\w+/.exec(body)![0]
    it(what, () => expectOutcome(runBody(body), canary, expected))
  }
})

describe('held in round 3 (regression guards)', () => {
  const cases: Record<string, [string, Expected]> = {
    'Armenian o, no dash (unknown directive)': ['The lead, :\u0585fficial-sensitive[zk3ok1]{exemptions="s40"}, x.\n', refused('directive-unknown')],
    'tag char, no dash (unknown directive)': ['The lead, :offi\u{E0041}cial-sensitive[zk3ok2]{exemptions="s40"}, x.\n', refused('directive-unknown')],
    'block opener with tag char + en dash (stray fences)': [':::offi\u{E0041}cial\u2013sensitive{exemptions="s43"}\nzk3ok3\n:::\n', refused('directive-unparsed')],
    'block opener with Armenian o + en dash (stray fences)': [':::\u0585fficial\u2013sensitive{exemptions="s43"}\nzk3ok4\n:::\n', refused('directive-unparsed')],
    'emphasis splitting the name': ['The lead, :*official*-sensitive[zk3ok5]{exemptions="s40"}, x.\n', refused('directive-unparsed')],
    'tab inside the name': ['The lead, :official\t-sensitive[zk3ok6]{exemptions="s40"}, x.\n', refused('directive-unknown')],
    'NUL inside the name': ['The lead, :offi\u0000cial-sensitive[zk3ok7]{exemptions="s40"}, x.\n', refused('directive-unparsed')],
    'Mongolian free variation selector inside the name': ['The lead, :offi\u180Bcial-sensitive[zk3ok8]{exemptions="s40"}, x.\n', refused('directive-unknown')],
    'U+2028 line separators instead of newlines': [':::official-sensitive{exemptions="s43"}\u2028zk3ok9\u2028:::\n', refused('directive-unparsed')],
    'CR-only line endings': ['x\r:::official-sensitive{exemptions="s43"}\rzk3ok10\r:::\r', published],
    '<plaintext>': ['<plaintext>\n:official-sensitive[zk3ok11]{exemptions="s40"}\n', refused('directive-unparsed')],
    '<xmp>': ['<xmp>\n<b>:official-sensitive[zk3ok12]{exemptions="s40"}</b></xmp>\n', refused('directive-unparsed')],
    'footnote definition holding an indented block': ['See[^n].\n\n[^n]: note\n\n    :::official-sensitive{exemptions="s43"}\n    zk3ok13\n    :::\n', published],
    'exemptions attribute with a newline': [':::official-sensitive{exemptions="s43\ns40"}\nzk3ok14\n:::\n', refused('directive-unparsed')],
    'exemptions attribute with an entity': [':::official-sensitive{exemptions="s43&#10;"}\nzk3ok15\n:::\n', published],
    'label with ] inside': [':::official-sensitive[a]b]{exemptions="s43"}\nzk3ok16\n:::\n', refused('directive-unparsed')],
    'label with }{ inside': [':::official-sensitive[a}{]{exemptions="s43"}\nzk3ok17\n:::\n', published],
    'setext underline of colons': ['Title\n:::\n\nzk3ok18\n', refused('directive-stray-fence')],
    'block in a blockquote, closing fence outside the quote': ['> :::official-sensitive{exemptions="s43"}\n> secret\n\nzk3ok19\n:::\n', refused('directive-unclosed')],
    'equal colon counts at two list levels': ['- a\n  :::official-sensitive{exemptions="s43"}\n  - b\n    :::official-sensitive{exemptions="s40"}\n    x\n  :::\n  zk3ok20\n  :::\n', refused('directive-unclosed')],
    'closing fence indented 4+ (code) in a list inside the block': ['- item\n\n  :::official-sensitive{exemptions="s43"}\n  - x\n\n          :::\n  zk3ok21\n  :::\n', refused('directive-stray-fence')],
    'blockquote ::: inside the block': [':::official-sensitive{exemptions="s43"}\n> a\n> :::\nzk3ok22\n:::\n', refused('directive-stray-fence')],
    'span in a link URL': ['A [x](https://e.x/:official-sensitive[zk3ok23]) z\n', refused('directive-unparsed')],
    'span in an autolink': ['A <https://e.x/:official-sensitive[zk3ok24]> z\n', refused('directive-unparsed')],
    'giant single line': ['a '.repeat(200000) + ':official-sensitive[zk3ok25]{exemptions="s40"}\n', published],
    'LRI between the words (matched as \\W)': ['The lead, :official\u2066-sensitive[zk3ok26]{exemptions="s40"}, x.\n', refused('directive-unknown')]
  }
  for (const [what, [body, expected]] of Object.entries(cases)) {
    const canary = /zk3ok\d+/.exec(body)![0]
    it(what, () => expectOutcome(runBody(body), canary, expected))
  }
})
