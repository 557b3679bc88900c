/**
 * Red team: HTML comments (internal notes), raw HTML, and markings the
 * heading/prose checks should catch.
 */
import {describe, it} from 'vitest'
import {expectOutcome, expectRefused, published, runBody, type Expected} from './helpers.js'

describe('HTML comments that are not parsed as comments (internal note published)', () => {
  it('inline comment with a blank line inside', () => {
    expectRefused(runBody('Public text <!-- internal note\n\nzkcomment1 still internal -->\n'), 'comment-unparsed')
  })
  it('unclosed inline comment', () => {
    expectRefused(runBody('Public text <!-- internal zkcomment2\n'), 'comment-unparsed')
  })
  it('"nested" comment: text after the first -->', () => {
    expectRefused(runBody('Public <!-- a <!-- nested --> zkcomment3 -->\n'), 'comment-unparsed')
  })
  it('abrupt comment <!-->', () => {
    expectRefused(runBody('Public <!--> zkcomment4 -->\n'), 'comment-unparsed')
  })
  it('comment closed with --!>', () => {
    expectRefused(runBody('Public <!-- note --!> zkcomment5\n'), 'comment-unparsed')
  })
  it('block comment in a list item whose continuation is not indented', () => {
    expectRefused(runBody('- item\n\n  <!-- internal\n\nzkcomment6 -->\n'), 'comment-unclosed')
  })
  it('block comment in a blockquote with a lazy line', () => {
    expectRefused(runBody('> <!-- internal\nzkcomment7\n> -->\n'), 'comment-unclosed')
  })
})

describe('HTML comments and raw HTML that must hold', () => {
  // Each is published with the note (or the raw HTML that holds the canary) removed.
  const cases: Record<string, [string, Expected]> = {
    'block comment': ['<!-- internal\nzkhtml1\n-->\n\nPublic.\n', published],
    'multi-line inline comment': ['Public <!-- internal\nzkhtml2\n-->\n', published],
    'comment in an indented list item': ['- item\n\n  <!-- internal\n\n  zkhtml3\n  -->\n', published],
    'CDATA': ['Public <![CDATA[ zkhtml4 ]]> x\n', published],
    'processing instruction': ['<?php zkhtml5 ?>\n', published],
    'declaration': ['<!DOCTYPE zkhtml6>\n', published],
    'script': ['<script>var zkhtml7 = 1</script>\n', published],
    'comment in a sensitive block': [':::official-sensitive{exemptions="s43"}\n<!-- zkhtml8 -->\n:::\n', published]
  }
  for (const [what, [body, expected]] of Object.entries(cases)) {
    const canary = /zkhtml\d+/.exec(body)![0]
    it(what, () => expectOutcome(runBody(body), canary, expected))
  }
})

describe('markings the heading check misses', () => {
  it('heading with en dashes "OFFICIAL – SENSITIVE"', () => {
    expectRefused(runBody('## Part 2 \u2013 OFFICIAL \u2013 SENSITIVE\n\nzkmarking1\n'), 'heading-marking')
  })
  it('heading with a non-breaking hyphen', () => {
    expectRefused(runBody('## Part 2 OFFICIAL\u2011SENSITIVE\n\nzkmarking2\n'), 'heading-marking')
  })
  it('raw HTML heading', () => {
    expectRefused(runBody('<h2>Part 2 - OFFICIAL-SENSITIVE</h2>\n\nzkmarking3\n'), 'heading-marking')
  })
  it('heading with OFFICIAL_SENSITIVE (underscore)', () => {
    expectRefused(runBody('## Part 2 OFFICIAL_SENSITIVE\n\nzkmarking4\n'), 'heading-marking')
  })
})

describe('markings that must hold', () => {
  it('heading with a space', () => expectRefused(runBody('## Part 2 OFFICIAL SENSITIVE\n\nzkmheld1\n'), 'heading-marking'))
  it('heading with emphasis split', () => expectRefused(runBody('## Part 2 OFFICIAL-*SENSITIVE*\n\nzkmheld2\n'), 'heading-marking'))
  it('setext heading', () => expectRefused(runBody('Part 2 OFFICIAL-SENSITIVE\n---\n\nzkmheld3\n'), 'heading-marking'))
  it('heading TOP SECRET', () => expectRefused(runBody('# Annex TOP SECRET\n\nzkmheld4\n'), 'heading-marking'))
})
