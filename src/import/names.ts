/** File names of papers made by `mopac import` and `mopac new`. */
import {slugify} from '../content/slug.js'

/** `pcd-602-seg-mseg-contract-extension`: the id's slug, then the title's, cut at a word within 60 characters. */
export function paperStem(id: {value: string}, title: {value: string}): string {
  let titleSlug = slugify(title.value)
  if (titleSlug.length > 60) titleSlug = titleSlug.slice(0, 60).replace(/-[^-]*$/, '')
  return [slugify(id.value), titleSlug].filter(Boolean).join('-') || 'imported-decision'
}
