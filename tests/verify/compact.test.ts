/**
 * The leak check holds each paper's public text as one string a stream
 * (src/verify/incremental.ts `compactStreams`): what it gives back must be
 * the words it was given, always, or the check would search other text.
 */
import fs from 'node:fs'
import path from 'node:path'
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {compactStreams} from '../../src/verify/incremental.js'
import {extractPaper, type PaperExtraction} from '../../src/verify/source.js'
import {tokenize} from '../../src/verify/text.js'
import {tempDir, writeCanaryCorpus} from '../helpers/corpus.js'

const reading = (publicStreams: string[][]): PaperExtraction => ({sourceFile: 'x.md', isPublic: true, invalid: false, forbiddenSlugs: [], publicSlug: 'x', pieces: [], publicStreams, publicRefs: []})

describe("a reading's public text held compactly", () => {
  it('gives back the very words, stream by stream, for any words the tokenizer makes', () => {
    fc.assert(
      fc.property(fc.array(fc.string({unit: 'grapheme', maxLength: 200}), {maxLength: 6}), (texts) => {
        const streams = texts.map((text) => tokenize(text))
        const copy = streams.map((stream) => [...stream])
        expect(compactStreams(reading(streams)).publicStreams).toEqual(copy)
      })
    )
  })

  it('leaves a reading with an empty word or a word with a space as it is', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.string({maxLength: 8}), {maxLength: 5}), {maxLength: 4}), fc.constantFrom('', 'a b', ' '), (streams, odd) => {
        const withOdd = [...streams, [odd]]
        const copy = withOdd.map((stream) => [...stream])
        expect(compactStreams(reading(withOdd)).publicStreams).toEqual(copy)
      })
    )
  })

  it('reads every paper of the canary corpus the same as before, words and all', () => {
    const content = path.join(tempDir(), 'content')
    writeCanaryCorpus(content)
    const now = new Date('2026-11-25T12:00:00Z')
    let words = 0
    for (const name of fs.readdirSync(content).filter((n) => n.endsWith('.md'))) {
      const text = fs.readFileSync(path.join(content, name), 'utf8')
      const expected = extractPaper(text, name, now).publicStreams.map((stream) => [...stream])
      words += expected.flat().length
      expect(compactStreams(extractPaper(text, name, now)).publicStreams).toEqual(expected)
    }
    expect(words).toBeGreaterThan(50)
  })
})
