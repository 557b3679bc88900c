/**
 * Why an import (or `mopac new`) wrote nothing. The message says what
 * happened and what to do, without an "Error:" prefix; the command names the
 * file it was about.
 */
export type ImportErrorCode =
  /** Not a Word .docx (another format, not a zip, a zip of something else, damaged). */
  | 'not-docx'
  /** Password-protected: an OLE compound file holding an encrypted package, or a zip password. */
  | 'encrypted'
  /** Over a size limit (the file, a part unpacked, the number of parts). */
  | 'too-large'
  /** The Part 2 form states no FOIA exemption that can be read. */
  | 'no-ground'
  /** Marked SECRET or TOP SECRET: must not be stored in the content folder at all. */
  | 'classified'
  /** The paper or one of its images exists already. */
  | 'exists'

export class ImportError extends Error {
  readonly code: ImportErrorCode
  /** Which input the problem is in, when it is in one. */
  input?: 'form' | 'part2'
  constructor(code: ImportErrorCode, message: string, input?: 'form' | 'part2') {
    super(message)
    this.name = 'ImportError'
    this.code = code
    this.input = input
  }
}
