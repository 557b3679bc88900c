/**
 * A plain walk of a tree in document order (parents before children), for
 * steps that read the tree or change nodes in place but never add or remove
 * any. Why not unist-util-visit there: it costs several times as much per
 * node (each node's ancestors are copied into a new array), which shows on
 * a long paper's hundreds of thousands of nodes. Steps that splice use
 * `visitSplicing`, below.
 */
import type {Nodes, Parent} from 'mdast'
import {CONTINUE, EXIT, SKIP} from '../vendor/index.js'

/** Call `enter` on every node under and including `tree`; `false` skips a node's children. */
export function walk(tree: Nodes, enter: (node: Nodes, parent: Parent | undefined) => boolean | void): void {
  // Two stacks side by side, not a stack of pairs: no array made per node.
  const nodes: Nodes[] = [tree]
  const parents: Array<Parent | undefined> = [undefined]
  while (nodes.length > 0) {
    const node = nodes.pop()!
    const parent = parents.pop()
    if (enter(node, parent) === false || !('children' in node)) continue
    const children = node.children as Nodes[]
    for (let i = children.length - 1; i >= 0; i--) {
      nodes.push(children[i])
      parents.push(node as Parent)
    }
  }
}

/** What a splicing visitor may return: unist-util-visit's protocol (CONTINUE, SKIP, EXIT, the next index, or an action and the next index). */
export type VisitResult = void | undefined | boolean | typeof SKIP | number | [boolean | typeof SKIP, number?]

type Visited = readonly [(boolean | typeof SKIP)?, number?]
const NOTHING: Visited = []

/**
 * unist-util-visit for steps that splice: `visitor(node, index, parent)` on
 * every node in document order, and what it returns means what it means to
 * `visit` (SKIP, EXIT, `[SKIP, index]` to go on at that index of the
 * parent). The same order and the same results as `visit` (a test holds the
 * two to each other on random trees and edits), without its cost per node:
 * `visit` copies each parent's ancestors and names a function for every
 * node, several times the work of the step itself on a long paper.
 */
export function visitSplicing(tree: Nodes, visitor: (node: Nodes, index: number | undefined, parent: Parent | undefined) => VisitResult): void {
  const one = (node: Nodes, index: number | undefined, parent: Parent | undefined): Visited => {
    const result = toResult(visitor(node, index, parent))
    if (result[0] === EXIT) return result
    if (result[0] !== SKIP && 'children' in node && node.children) {
      const self = node as Parent
      let offset = 0
      // Why the children are read again each time: the visitor may splice them.
      while (offset > -1 && offset < self.children.length) {
        const sub = one(self.children[offset] as Nodes, offset, self)
        if (sub[0] === EXIT) return sub
        offset = typeof sub[1] === 'number' ? sub[1] : offset + 1
      }
    }
    return result
  }
  one(tree, undefined, undefined)
}

function toResult(value: VisitResult): Visited {
  if (Array.isArray(value)) return value as Visited
  if (typeof value === 'number') return [CONTINUE, value]
  return value === null || value === undefined ? NOTHING : [value as boolean | typeof SKIP]
}
