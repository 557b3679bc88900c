/**
 * Red team: HTML comments (internal notes), raw HTML, and markings the
 * heading/prose checks should catch.
 */
import {describe, it} from 'vitest'
import {expectSafe, runBody} from './helpers.js'

describe('HTML comments that are not parsed as comments (internal note published)', () => {
  it('inline comment with a blank line inside', () => {
    expectSafe(runBody('Public text <!-- internal note\n\nzkcomment1 still internal -->\n'), 'zkcomment1')
  })
  it('unclosed inline comment', () => {
    expectSafe(runBody('Public text <!-- internal zkcomment2\n'), 'zkcomment2')
  })
  it('"nested" comment: text after the first -->', () => {
    expectSafe(runBody('Public <!-- a <!-- nested --> zkcomment3 -->\n'), 'zkcomment3')
  })
  it('abrupt comment <!-->', () => {
    expectSafe(runBody('Public <!--> zkcomment4 -->\n'), 'zkcomment4')
  })
  it('comment closed with --!>', () => {
    expectSafe(runBody('Public <!-- note --!> zkcomment5\n'), 'zkcomment5')
  })
  it('block comment in a list item whose continuation is not indented', () => {
    expectSafe(runBody('- item\n\n  <!-- internal\n\nzkcomment6 -->\n'), 'zkcomment6')
  })
  it('block comment in a blockquote with a lazy line', () => {
    expectSafe(runBody('> <!-- internal\nzkcomment7\n> -->\n'), 'zkcomment7')
  })
})

describe('HTML comments and raw HTML that must hold', () => {
  const cases: Record<string, string> = {
    'block comment': '<!-- internal\nzkhtml1\n-->\n\nPublic.\n',
    'multi-line inline comment': 'Public <!-- internal\nzkhtml2\n-->\n',
    'comment in an indented list item': '- item\n\n  <!-- internal\n\n  zkhtml3\n  -->\n',
    'CDATA': 'Public <![CDATA[ zkhtml4 ]]> x\n',
    'processing instruction': '<?php zkhtml5 ?>\n',
    'declaration': '<!DOCTYPE zkhtml6>\n',
    'script': '<script>var zkhtml7 = 1</script>\n',
    'comment in a sensitive block': ':::official-sensitive{exemptions="s43"}\n<!-- zkhtml8 -->\n:::\n'
  }
  for (const [what, body] of Object.entries(cases)) {
    const canary = /zkhtml\d+/.exec(body)![0]
    it(what, () => expectSafe(runBody(body), canary))
  }
})

describe('markings the heading check misses', () => {
  it('heading with en dashes "OFFICIAL – SENSITIVE"', () => {
    expectSafe(runBody('## Part 2 \u2013 OFFICIAL \u2013 SENSITIVE\n\nzkmarking1\n'), 'zkmarking1')
  })
  it('heading with a non-breaking hyphen', () => {
    expectSafe(runBody('## Part 2 OFFICIAL\u2011SENSITIVE\n\nzkmarking2\n'), 'zkmarking2')
  })
  it('raw HTML heading', () => {
    expectSafe(runBody('<h2>Part 2 - OFFICIAL-SENSITIVE</h2>\n\nzkmarking3\n'), 'zkmarking3')
  })
  it('heading with OFFICIAL_SENSITIVE (underscore)', () => {
    expectSafe(runBody('## Part 2 OFFICIAL_SENSITIVE\n\nzkmarking4\n'), 'zkmarking4')
  })
})

describe('markings that must hold', () => {
  it('heading with a space', () => expectSafe(runBody('## Part 2 OFFICIAL SENSITIVE\n\nzkmheld1\n'), 'zkmheld1'))
  it('heading with emphasis split', () => expectSafe(runBody('## Part 2 OFFICIAL-*SENSITIVE*\n\nzkmheld2\n'), 'zkmheld2'))
  it('setext heading', () => expectSafe(runBody('Part 2 OFFICIAL-SENSITIVE\n---\n\nzkmheld3\n'), 'zkmheld3'))
  it('heading TOP SECRET', () => expectSafe(runBody('# Annex TOP SECRET\n\nzkmheld4\n'), 'zkmheld4'))
})
