/**
 * `mopac import FORM.docx [--part2 PART2.docx]`: convert a Word decision form
 * into a paper in the content folder, with its images beside it, and print
 * what was filled in, dropped and left to resolve. Never overwrites without
 * --force; writes nothing when the Word file cannot be converted.
 */
import {paperTextIfReadable} from '../../content/source-file.js'
import fs from 'node:fs/promises'
import path from 'node:path'
import {discoverPapers} from '../../build/build.js'
import {parseExemption, splitExemptions} from '../../content/exemptions.js'
import {ImportError} from '../../import/errors.js'
import type {ImportResult} from '../../import/index.js'
import {formatReport} from '../../import/report.js'
import {paperId, sameSlug} from '../../import/template.js'
import {EXIT} from '../exit.js'
import {UsageError, type CliIo} from '../io.js'
import type {Command} from './types.js'

export const importCommand: Command = {
  name: 'import',
  summary: 'Convert a Word decision form (and its Part 2 form) into a paper',
  usage: 'mopac import FORM.docx [--part2 PART2.docx] [--out DIR] [--exemptions "s43"] [--draft] [--force]',
  help: `Converts a MOPAC decision form saved from Word (.docx) into one paper in
--out, named after its reference and title (content/pcd-602-....md), with its
images beside it (images/<paper>/). The frontmatter is filled from the form:
id, title, date and decision maker from the heading and the approval box,
summary from the executive summary, deferral from the "Public access to
information" box. The Part 2 form goes, whole, inside one
:::official-sensitive block whose ground is the exemption its text states
(e.g. "section 43"); sections of the main form marked OFFICIAL-SENSITIVE are
withheld too. Signatures, tick boxes and the form's own wording are dropped.
Whatever the import is unsure of is marked \`::import-unresolved[...]\`, which
\`mopac check\` refuses until the author resolves it and deletes the marker.
The report printed lists all of it.

Options:
  --part2 FILE        the separate Part 2 form (.docx), kept withheld
  --out DIR           content folder to write the paper into (default: content)
  --exemptions LIST   the ground of the Part 2 material when its text states
                      none it can read, e.g. "s43" or "s40(2) s43"
  --draft             write \`draft: true\`: never published until removed
  --force             overwrite the paper and its images if they exist`,
  options: {
    part2: {type: 'string'},
    out: {type: 'string', default: 'content'},
    exemptions: {type: 'string'},
    draft: {type: 'boolean', default: false},
    force: {type: 'boolean', default: false}
  },
  positionals: true,
  async run(values, io: CliIo, positionals) {
    if (positionals.length !== 1) throw new UsageError(positionals.length === 0 ? 'Give the Word decision form to import: `mopac import FORM.docx`' : `Give one decision form (its Part 2 with --part2), not ${positionals.length} files`)
    const formPath = positionals[0]
    const part2Path = values.part2 as string | undefined
    const out = values.out as string
    const exemptions = values.exemptions === undefined ? undefined : splitExemptions(values.exemptions as string)
    for (const exemption of exemptions ?? []) {
      if (!parseExemption(exemption)) throw new UsageError(`Invalid --exemptions \`${exemption}\`: give sections of the Freedom of Information Act 2000 from s21 to s44, e.g. "s43" or "s40(2) s43"`)
    }
    if (exemptions !== undefined && exemptions.length === 0) throw new UsageError('--exemptions is empty: give e.g. "s43"')
    if (exemptions && !part2Path) throw new UsageError('--exemptions is the ground of the Part 2 form: give it with --part2')
    if (!(await isDirectory(out))) throw new UsageError(`The folder \`${out}\` does not exist: give the content folder with --out`)

    try {
      const form = await readInput(formPath, 'form')
      const part2 = part2Path === undefined ? undefined : await readInput(part2Path, 'part2')
      // Loaded here: the Word reader (mammoth) is the heaviest module of the command line.
      const {importDecision} = await import('../../import/index.js')
      const result = await importDecision({form, part2, exemptions, draft: values.draft as boolean, now: io.now()})
      await refuseTakenId(out, result)
      const written = await writeImport(out, result, values.force as boolean)
      io.stdout(formatReport(result.report, {paper: written.paper, images: written.images, form: formPath, part2: part2Path}))
      return result.report.unresolved.length === 0 ? EXIT.ok : EXIT.content
    } catch (error) {
      if (!(error instanceof ImportError)) throw error
      const about = error.code === 'exists' ? '' : ` \`${error.input === 'part2' ? part2Path : formPath}\`${error.input === 'part2' ? ' (the Part 2 form)' : ''}`
      io.stderr(`Cannot import${about}: ${error.message}. Nothing was written.\n`)
      return EXIT.refused
    }
  }
}

async function isDirectory(dir: string): Promise<boolean> {
  try {
    return (await fs.stat(dir)).isDirectory()
  } catch {
    return false
  }
}

/**
 * Refuse a reference another paper of the folder has (a paper imported
 * before under another title): two papers would make one page.
 */
async function refuseTakenId(out: string, result: ImportResult): Promise<void> {
  if (!result.report.id) return
  for (const relative of await discoverPapers(out)) {
    if (relative === result.fileName) continue
    // (A paper that cannot be read as the build reads one names no reference here: the build refuses it.)
    const text = paperTextIfReadable(path.join(out, relative))
    if (text === undefined) continue
    const id = paperId(text)
    if (id !== undefined && sameSlug(id, result.report.id)) {
      throw new ImportError('exists', `${result.report.id} is already the reference of \`${path.join(out, relative)}\`, and two papers cannot make one page: delete or rename that paper first (its file name differs, so --force would not replace it)`)
    }
  }
}

/** Read a Word file, refusing one over the size limit before reading it. */
async function readInput(file: string, input: 'form' | 'part2'): Promise<Uint8Array> {
  let size: number
  try {
    const stat = await fs.stat(file)
    if (!stat.isFile()) throw new UsageError(`\`${file}\` is not a file: give the Word document (.docx)`)
    size = stat.size
  } catch (error) {
    if (error instanceof UsageError) throw error
    throw new UsageError(`Cannot read \`${file}\`: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (error as Error).message}`)
  }
  const {DEFAULT_LIMITS} = await import('../../import/docx.js')
  if (size > DEFAULT_LIMITS.maxFileBytes) throw new ImportError('too-large', `the file is ${Math.round(size / 1024 / 1024)} MB, more than the ${DEFAULT_LIMITS.maxFileBytes / 1024 / 1024} MB a decision form can be: check that it is the right file, or compress its images in Word (File > Compress Pictures)`, input)
  return fs.readFile(file)
}

/**
 * Write the images, then the paper (through a temporary file renamed into
 * place, so a paper never appears half written or before its images).
 * Refuses, before writing anything, when any of them exists and --force is
 * not given, and always when a target is a symbolic link.
 */
export async function writeImport(out: string, result: ImportResult, force: boolean): Promise<{paper: string; images: string[]}> {
  const paper = path.join(out, result.fileName)
  const images = result.images.map((image) => ({target: path.join(out, ...image.path.split('/')), bytes: image.bytes}))
  const targets = [paper, ...images.map((image) => image.target)]
  for (const target of targets) {
    const stat = await fs.lstat(target).catch(() => undefined)
    if (!stat) continue
    if (stat.isSymbolicLink() || !stat.isFile()) throw new ImportError('exists', `\`${target}\` exists and is not a plain file: move it away first`)
    if (!force) throw new ImportError('exists', `\`${target}\` exists already: the import never overwrites a paper or its images. Delete or rename it, or give --force to replace it`)
  }
  for (const dir of new Set(images.map((image) => path.dirname(image.target)))) {
    await fs.mkdir(dir, {recursive: true})
    if ((await fs.lstat(dir)).isSymbolicLink()) throw new ImportError('exists', `\`${dir}\` is a symbolic link: the import writes images only into real folders of the content folder`)
  }
  for (const image of images) {
    await fs.rm(image.target, {force: true})
    await fs.writeFile(image.target, image.bytes, {flag: 'wx'})
  }
  const temporary = path.join(out, `.${result.fileName}.${process.pid}.import-tmp`)
  await fs.writeFile(temporary, result.text, {flag: 'wx'})
  await fs.rename(temporary, paper)
  return {paper, images: images.map((image) => image.target)}
}
