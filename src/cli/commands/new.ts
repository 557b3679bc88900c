/**
 * `mopac new "Title"`: write a draft paper from the decision-form template,
 * with the next free PCD number unless --id is given. Never overwrites.
 */
import {paperTextIfReadable} from '../../content/source-file.js'
import fs from 'node:fs/promises'
import path from 'node:path'
import {discoverPapers} from '../../build/build.js'
import {newPaperFileName, newPaperText, nextPcd, paperId, sameSlug} from '../../import/template.js'
import {processPaper} from '../../publish/process.js'
import {londonDate} from '../../time/london.js'
import {EXIT} from '../exit.js'
import {UsageError, type CliIo} from '../io.js'
import {contentOption} from '../options.js'
import type {Command} from './types.js'

export const newCommand: Command = {
  name: 'new',
  summary: 'Start a paper from the decision-form template (a draft)',
  usage: 'mopac new "Title" [--id "PCD 1600"] [--content DIR]',
  help: `Writes a new paper into --content from the decision-form template: every
frontmatter key written and explained in a comment, the form's sections as
headings, and a withheld block for Part 2. The paper is a draft
(\`draft: true\`): checked and previewed, never published until the line is
deleted. Its date is today's (London); its reference is --id, or the next
free PCD number (one more than the highest in the folder). Never overwrites
a paper, and refuses a reference another paper uses.

Options:
  --id ID         the decision reference (default: the next free PCD number)
  --content DIR   folder of papers (default: content)`,
  options: {...contentOption, id: {type: 'string'}},
  positionals: true,
  async run(values, io: CliIo, positionals) {
    if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'Give the paper\'s title: `mopac new "Title"`' : `Give the title as one argument, in quotes: \`mopac new "${positionals.join(' ')}"\``)
    const title = positionals[0].replace(/\s+/g, ' ').trim()
    if (!title) throw new UsageError('The title is empty: `mopac new "Title"`')
    const content = values.content as string
    let relatives: string[]
    try {
      relatives = (await fs.stat(content)).isDirectory() ? await discoverPapers(content) : []
    } catch {
      throw new UsageError(`The folder \`${content}\` does not exist: give the folder of papers with --content`)
    }
    // (A paper that cannot be read as a regular file of at most 64 MiB names no reference here: the build refuses it.)
    const existing = relatives.map((relative) => ({relative, id: paperId(paperTextIfReadable(path.join(content, relative)) ?? '')}))
    const suggested = nextPcd(existing.map((paper) => paper.id))
    const id = ((values.id as string | undefined) ?? suggested.id).replace(/\s+/g, ' ').trim()
    if (!id) throw new UsageError('--id is empty: give a reference such as "PCD 1600"')
    const taken = existing.find((paper) => paper.id !== undefined && sameSlug(paper.id, id))
    if (taken) {
      io.stderr(`Cannot create the paper: ${id} is the reference of ${path.join(content, taken.relative)}. Give another with --id (the next free one is ${suggested.id}). Nothing was written.\n`)
      return EXIT.refused
    }
    const paper = {id, title, date: londonDate(io.now())}
    const text = newPaperText(paper)
    const fileName = newPaperFileName(paper)
    const target = path.join(content, fileName)
    // Why check before writing: the template must pass as written; a title
    // that carries a marking or markup is the author's to change.
    const outcome = processPaper({path: target, relativePath: fileName, bytes: Buffer.from(text, 'utf8')}, io.now())
    const errors = outcome.messages.filter((message) => message.fatal)
    if (errors.length > 0) throw new UsageError(`The paper would not pass \`mopac check\`: ${errors.map((message) => `${message.reason} (${message.ruleId})`).join('; ')}. Change the title or --id`)
    try {
      await fs.writeFile(target, text, {flag: 'wx'})
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
      io.stderr(`Cannot create the paper: \`${target}\` exists already, and \`mopac new\` never overwrites. Choose another title or --id. Nothing was written.\n`)
      return EXIT.refused
    }
    const numbered = values.id === undefined ? ` (the next free PCD number${suggested.highest ? `: the highest in ${content} is ${suggested.highest}` : ''})` : ''
    io.stdout(`Wrote ${target}: ${id}${numbered}, a draft dated ${paper.date}.
Fill in each value and section; \`mopac check\` validates it and \`mopac preview\` shows it.
It is never published while it says \`draft: true\`: delete that line when it is ready.
`)
    return EXIT.ok
  }
}
