/**
 * Sanitize schemas. A paper's raw HTML is sanitized once (sanitize.ts) with
 * `rawHtmlSchema`: GitHub's (hast-util-sanitize's default) plus `<abbr>`,
 * whose `title` every element may carry already, and with `<style>` removed
 * with its text, as `<script>` is. No classes: a paper cannot fake a withheld
 * notice. Every HTML writer sanitizes again as its last step with
 * `sanitizeSchema`, which also allows the notices this pipeline inserts (a
 * block notice's `div`, an inline marker's `span` and the visually hidden
 * span inside it; the notice's link to "About withheld information" is a
 * plain relative link, which GitHub's rules allow already).
 */
import {defaultSchema} from '../vendor/index.js'
import type {Schema} from 'hast-util-sanitize'

export const rawHtmlSchema: Schema = {
  ...defaultSchema,
  tagNames: [...(defaultSchema.tagNames ?? []), 'abbr'],
  // Why: a style sheet's text is not text a reader sees; published, it would
  // read as noise (GitHub's schema strips only scripts).
  strip: [...(defaultSchema.strip ?? []), 'style']
}

export const sanitizeSchema: Schema = {
  ...rawHtmlSchema,
  attributes: {
    ...rawHtmlSchema.attributes,
    div: [...(rawHtmlSchema.attributes?.div ?? []), ['className', 'mopac-withheld'], 'dataPagefindIgnore'],
    // The inline marker, and the visually hidden ground inside it ("withheld under section 40 ...").
    span: [...(rawHtmlSchema.attributes?.span ?? []), ['className', 'mopac-withheld-inline', 'govuk-visually-hidden'], 'dataPagefindIgnore']
  }
}
