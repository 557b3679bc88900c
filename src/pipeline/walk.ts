/**
 * A plain walk of a tree in document order (parents before children), for
 * steps that read the tree or change nodes in place but never add or remove
 * any. Why not unist-util-visit there: it costs several times as much per
 * node (each node's ancestors are copied into a new array), which shows on
 * a long paper's hundreds of thousands of nodes. Steps that splice use it.
 */
import type {Nodes, Parent} from 'mdast'

/** Call `enter` on every node under and including `tree`; `false` skips a node's children. */
export function walk(tree: Nodes, enter: (node: Nodes, parent: Parent | undefined) => boolean | void): void {
  const stack: Array<[Nodes, Parent | undefined]> = [[tree, undefined]]
  while (stack.length > 0) {
    const [node, parent] = stack.pop()!
    if (enter(node, parent) === false || !('children' in node)) continue
    const children = node.children as Nodes[]
    for (let i = children.length - 1; i >= 0; i--) stack.push([children[i], node as Parent])
  }
}
