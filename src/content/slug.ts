/**
 * The slug of a decision reference: lower case, each run of characters other
 * than a-z and 0-9 becomes `-`, trimmed: `PCD 602` -> `pcd-602`.
 */
export function slugify(id: string): string {
  return id
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
}
