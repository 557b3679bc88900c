/** Marks a folder as a mopac site (so we never replace a folder we did not make) and names its build. */
export const MARKER = '.mopac-site'
