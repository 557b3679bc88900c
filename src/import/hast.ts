/** Small helpers over the HTML tree mammoth produces. */
import type {Element, ElementContent, Root, RootContent, Text} from 'hast'

export function isElement(node: RootContent | ElementContent | Root | undefined, ...names: string[]): node is Element {
  return node !== undefined && node.type === 'element' && (names.length === 0 || names.includes(node.tagName))
}

/** The text of a node, with a space between block elements and cells. */
export function textOf(node: RootContent | ElementContent | Root): string {
  if (node.type === 'text') return node.value
  if (node.type !== 'element' && node.type !== 'root') return ''
  let out = ''
  for (const child of node.children) {
    const text = textOf(child as ElementContent)
    const block = isElement(child as ElementContent, 'p', 'li', 'td', 'th', 'tr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'br')
    out += block ? ` ${text} ` : text
  }
  return out
}

/** Text folded for matching: one space between words, plain hyphens, trimmed. */
export function normalize(text: string): string {
  return text
    .replace(/[\u2010-\u2015\u2212]/g, '-')
    .replace(/[\u2018\u2019]/g, "'")
    .replace(/[\s\u00a0]+/g, ' ')
    .trim()
}

/** `normalize(textOf(node))`. */
export function plainText(node: RootContent | ElementContent | Root): string {
  return normalize(textOf(node))
}

export function element(tagName: string, children: ElementContent[], properties: Element['properties'] = {}): Element {
  return {type: 'element', tagName, properties, children}
}

export function text(value: string): Text {
  return {type: 'text', value}
}

/** The element children of a node (whitespace text between blocks skipped). */
export function childElements(node: Element | Root): Element[] {
  return (node.children as Array<RootContent | ElementContent>).filter((child): child is Element => child.type === 'element')
}

/** Every `img` under the node. */
export function imagesIn(node: ElementContent | Root): Element[] {
  const found: Element[] = []
  const walk = (current: ElementContent | Root) => {
    if (current.type === 'element' && current.tagName === 'img') found.push(current)
    if (current.type === 'element' || current.type === 'root') for (const child of current.children) walk(child as ElementContent)
  }
  walk(node)
  return found
}

/** Whether every piece of text in the paragraph is bold (a heading typed as a bold paragraph). */
export function isAllBold(node: Element): boolean {
  let bold = false
  let plain = false
  const walk = (current: ElementContent, inBold: boolean) => {
    if (current.type === 'text') {
      if (current.value.trim()) {
        if (inBold) bold = true
        else plain = true
      }
    } else if (current.type === 'element') {
      for (const child of current.children) walk(child, inBold || current.tagName === 'strong' || current.tagName === 'b')
    }
  }
  for (const child of node.children) walk(child, false)
  return bold && !plain
}

/**
 * Remove the first `count` non-space characters of the paragraph's text (a
 * label such as "Executive Summary:"), with the spaces and colons after them.
 */
export function stripLeading(node: Element, count: number): void {
  let left = count
  let trailing = true
  const walk = (current: Element): boolean => {
    for (let i = 0; i < current.children.length; i++) {
      const child = current.children[i]
      if (child.type === 'text') {
        let at = 0
        while (at < child.value.length && left > 0) {
          if (!/\s/.test(child.value[at])) left--
          at++
        }
        if (left === 0 && trailing) {
          while (at < child.value.length && /[\s:\-]/.test(child.value[at])) at++
          if (at < child.value.length) trailing = false
        }
        child.value = child.value.slice(at)
        if (left === 0 && !trailing) return true
      } else if (child.type === 'element') {
        if (walk(child)) return true
      }
    }
    return false
  }
  walk(node)
}
