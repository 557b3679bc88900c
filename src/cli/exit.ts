/** Exit codes, documented in the README and `mopac --help`. */
export const EXIT = {
  /** Success: built, released, or nothing due. */
  ok: 0,
  /** A paper has an error, or changed on disk while the run read it: nothing under --out changed (import: the paper was written with pieces marked to resolve). */
  content: 1,
  /** Bad usage: unknown command or flag, bad value. */
  usage: 2,
  /** The leak check found sensitive text in the output: nothing under --out changed. */
  leak: 3,
  /** Another run (release or build) holds the state folder's lock. */
  locked: 4,
  /** Published what was due, but some papers were held back: errors (release) or awaiting approval (release, build); or a paper is overdue or awaiting approval (schedule). */
  held: 5,
  /** import or new wrote nothing: the Word file cannot be converted, or the paper exists already. */
  refused: 6
} as const

export const exitCodesHelp = `Exit codes:
  0  success (built, released, or nothing due)
  1  a paper has an error (or changed while the run read it); nothing
     under --out changed
     (import: the paper is written, with pieces marked to resolve)
  2  bad usage (unknown command or flag, bad value)
  3  leak check failed; nothing under --out changed
  4  another run (release or build) holds the state folder's lock; try again
  5  release, build: what was due is published, but papers were held
     (errors, or awaiting approval); schedule: a paper is overdue (due, but
     held by an error) or awaiting approval
  6  import, new: nothing written (the Word file cannot be converted, or the
     paper exists already)`
