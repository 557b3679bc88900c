/**
 * `visitSplicing` (src/pipeline/walk.ts) stands in for unist-util-visit in
 * the steps that splice the tree (redaction, the directive checks, dropped
 * definitions, links to papers not public). It must visit the same nodes in
 * the same order, with the same index and parent, and leave the same tree,
 * whatever the visitor returns: held to `visit` itself on random trees and
 * random edits (removals, replacements, insertions, SKIP, EXIT, jumps).
 */
import fc from 'fast-check'
import type {Nodes, Parent} from 'mdast'
import {describe, expect, it} from 'vitest'
import {CONTINUE, EXIT, SKIP, visit} from '../../src/vendor/index.js'
import {visitSplicing, type VisitResult} from '../../src/pipeline/walk.js'

interface Shape {
  kids: Shape[]
}

const shape: fc.Arbitrary<Shape> = fc.letrec<{node: Shape}>((tie) => ({
  node: fc.record({kids: fc.oneof({depthSize: 'small', withCrossShrink: true}, fc.constant([]), fc.array(tie('node'), {maxLength: 4}))})
})).node

/** A tree of paragraphs (parents) and texts (leaves), each named so a log can say which node was visited. */
function build(s: Shape, counter = {n: 0}): Nodes {
  const name = `n${counter.n++}`
  if (s.kids.length === 0) return {type: 'text', value: name}
  return {type: 'paragraph', data: {name} as never, children: s.kids.map((k) => build(k, counter)) as never}
}

const nameOf = (node: Nodes | Parent | undefined): string => (node === undefined ? '-' : node.type === 'root' ? 'root' : node.type === 'text' ? node.value : String((node.data as {name?: string} | undefined)?.name))

/** What the visitor does at its k-th call, from one random choice per call. */
type Move = 'nothing' | 'skip' | 'exit' | 'remove' | 'replace' | 'insertAfter' | 'insertBefore' | 'back' | 'jump' | 'continue' | 'number'
const moves: Move[] = ['nothing', 'skip', 'exit', 'remove', 'replace', 'insertAfter', 'insertBefore', 'back', 'jump', 'continue', 'number']

function runWith(kind: 'visit' | 'splicing', tree: Nodes, plan: Move[]): {log: string[]; tree: Nodes} {
  const log: string[] = []
  let calls = 0
  let made = 0
  const visitor = (node: Nodes, index: number | undefined, parent: Parent | undefined): VisitResult => {
    log.push(`${nameOf(node)}@${index ?? '-'}<${nameOf(parent)}`)
    // Why a bound: an insertion before the current node with a jump back could visit without end.
    if (calls++ > 400) return EXIT
    const move = plan[calls % plan.length]
    const fresh = (): Nodes => ({type: 'text', value: `new${made++}`})
    if (!parent || index === undefined) return move === 'skip' ? SKIP : undefined
    switch (move) {
      case 'skip':
        return SKIP
      case 'exit':
        return EXIT
      case 'remove':
        parent.children.splice(index, 1)
        return [SKIP, index]
      case 'replace':
        parent.children.splice(index, 1, fresh() as never)
        return [SKIP, index + 1]
      case 'insertAfter':
        parent.children.splice(index + 1, 0, fresh() as never)
        return undefined
      case 'insertBefore':
        parent.children.splice(index, 0, fresh() as never)
        return [CONTINUE, index + 2]
      case 'back':
        return index > 0 ? index - 1 : undefined
      case 'jump':
        return [SKIP, parent.children.length]
      case 'continue':
        return CONTINUE
      case 'number':
        return index + 1
      default:
        return undefined
    }
  }
  if (kind === 'visit') visit(tree, visitor as never)
  else visitSplicing(tree, visitor)
  return {log, tree}
}

describe('visitSplicing is unist-util-visit without its cost', () => {
  it('visits the same nodes, in the same order, and leaves the same tree, for random trees and edits', () => {
    fc.assert(
      fc.property(shape, fc.array(fc.constantFrom(...moves), {minLength: 1, maxLength: 12}), (s, plan) => {
        const root: Nodes = {type: 'root', children: [build(s)] as never}
        const expected = runWith('visit', structuredClone(root), plan)
        const actual = runWith('splicing', structuredClone(root), plan)
        expect(actual.log).toEqual(expected.log)
        expect(actual.tree).toEqual(expected.tree)
      }),
      {numRuns: 500}
    )
  })

  it('the log it compares is not empty: a deep tree is visited whole when the visitor returns nothing', () => {
    const root: Nodes = {type: 'root', children: [build({kids: [{kids: [{kids: []}, {kids: []}]}, {kids: []}]})] as never}
    const {log} = runWith('splicing', root, ['nothing'])
    expect(log).toEqual(['root@-<-', 'n0@0<root', 'n1@0<n0', 'n2@0<n1', 'n3@1<n1', 'n4@1<n0'])
  })
})
