/**
 * remark plugin for the reviewer preview: runs instead of `remarkRedact` and
 * keeps sensitive material, turning each `official-sensitive` block and span
 * into an outlined element labelled with its classification and exemptions
 * ("OFFICIAL-SENSITIVE, s43 Commercial interests"). Never part of the public
 * pipeline: its output is unredacted.
 *
 * Runs after `remarkCheckDirectives`, which resolves each node's exemptions.
 * Top-level pieces are numbered in document order, the order in which
 * `remarkRedact` records `file.data.redactions`, so the preview can link the
 * report's "redaction 3" to the third marked piece (id `redaction-3`).
 */
import type {Nodes, Paragraph, PhrasingContent, Root} from 'mdast'
import type {ContainerDirective, LeafDirective, TextDirective} from 'mdast-util-directive'
import type {Options as SanitizeSchema} from 'rehype-sanitize'
import {exemptionPhrase, sortExemptions} from '../content/exemptions.js'
import {SENSITIVE, directiveExemptions} from './directives.js'
import {sanitizeSchema} from './schema.js'

export const SENSITIVE_CLASS = 'mopac-sensitive'
export const SENSITIVE_INLINE_CLASS = 'mopac-sensitive-inline'
export const SENSITIVE_LABEL_CLASS = 'mopac-sensitive-label'

type Directive = ContainerDirective | LeafDirective | TextDirective

/** One exemption in the site's one wording (src/content/exemptions.ts): "section 43 (commercial interests)". */
export function exemptionWithTitle(code: string): string {
  return exemptionPhrase(code)
}

/** "OFFICIAL-SENSITIVE, section 40 (personal information); section 43 (commercial interests)". */
export function sensitiveLabel(exemptions: string[]): string {
  const list = sortExemptions(exemptions).map(exemptionWithTitle)
  return `OFFICIAL-SENSITIVE, ${list.length > 0 ? list.join('; ') : 'no exemption given'}`
}

function isSensitive(node: Nodes): node is Directive {
  return (node.type === 'containerDirective' || node.type === 'leafDirective' || node.type === 'textDirective') && node.name === SENSITIVE
}

function labelParagraph(text: string): Paragraph {
  return {type: 'paragraph', children: [{type: 'text', value: text}], data: {hName: 'p', hProperties: {className: [SENSITIVE_LABEL_CLASS]}}}
}

function labelSpan(text: string): PhrasingContent {
  // Why `strong`: any phrasing node will do; hName makes it the element wanted.
  return {type: 'strong', children: [{type: 'text', value: text}], data: {hName: 'span', hProperties: {className: [SENSITIVE_LABEL_CLASS]}}}
}

function mark(node: Directive, number: number | undefined): void {
  const exemptions = directiveExemptions(node)
  const text = sensitiveLabel(exemptions)
  const hProperties: Record<string, string | string[]> = {
    className: [node.type === 'textDirective' ? SENSITIVE_INLINE_CLASS : SENSITIVE_CLASS],
    dataExemptions: sortExemptions(exemptions).join(' ')
  }
  if (number !== undefined) hProperties.id = `redaction-${number}`
  if (node.type === 'containerDirective') {
    node.data = {...node.data, hName: 'div', hProperties}
    node.children.unshift(labelParagraph(text))
  } else if (node.type === 'leafDirective') {
    node.data = {...node.data, hName: 'div', hProperties}
    const content = node.children
    // A leaf holds phrasing: keep it as a paragraph below the label.
    node.children = [labelParagraph(text) as never, {type: 'paragraph', children: content} as never]
  } else {
    node.data = {...node.data, hName: 'span', hProperties}
    node.children.unshift(labelSpan(text))
  }
}

export default function remarkMarkSensitive() {
  return function (tree: Root) {
    let count = 0
    const walk = (node: Nodes, nested: boolean): void => {
      let inside = nested
      if (isSensitive(node)) {
        mark(node, nested ? undefined : ++count)
        inside = true
      }
      if ('children' in node) for (const child of [...node.children]) walk(child as Nodes, inside)
    }
    walk(tree, false)
  }
}

/** Add allowed class names (and attributes) to a tag's definitions, merging class lists. */
function extend(schema: SanitizeSchema, tag: string, classes: string[], extra: string[]): void {
  const list = [...(schema.attributes?.[tag] ?? [])]
  const at = list.findIndex((entry) => Array.isArray(entry) && entry[0] === 'className')
  if (at === -1) list.push(['className', ...classes])
  else list[at] = [...(list[at] as [string, ...string[]]), ...classes] as never
  list.push(...extra)
  schema.attributes = {...schema.attributes, [tag]: list}
}

/**
 * The sanitize schema for the marked rendering: the public one plus the
 * marking classes. Only this plugin can produce them: raw HTML in a paper is
 * sanitized with GitHub's schema (no classes) before it reaches the tree, so
 * a paper cannot fake a "withheld" label.
 */
export const markedSchema: SanitizeSchema = (() => {
  const schema: SanitizeSchema = {...sanitizeSchema, attributes: {...sanitizeSchema.attributes}}
  extend(schema, 'div', [SENSITIVE_CLASS], ['dataExemptions'])
  extend(schema, 'span', [SENSITIVE_INLINE_CLASS, SENSITIVE_LABEL_CLASS], ['dataExemptions'])
  extend(schema, 'p', [SENSITIVE_LABEL_CLASS], [])
  return schema
})()
