/**
 * Every rule id the code can emit has its section in docs/errors.md, where
 * each problem's line points (`docs/errors.md#directive-unknown`). The ids
 * are read from the source with the TypeScript parser: the rule argument of
 * `fail`, `warn`, the configuration's `error`, attachments' `problem` and `refuse`, and `SvgRefusal`; a
 * `ruleId` property's value or type.
 */
import fs from 'node:fs'
import path from 'node:path'
import ts from 'typescript'
import {describe, expect, it} from 'vitest'

const repo = path.join(import.meta.dirname, '../..')

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, {withFileTypes: true}).flatMap((entry) => {
    const full = path.join(dir, entry.name)
    return entry.isDirectory() ? sourceFiles(full) : entry.name.endsWith('.ts') ? [full] : []
  })
}

const RULE = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)+$/

/** Calls whose last argument is a rule id (with how many arguments they take), and those whose first is. */
const LAST = new Map([['fail', 4], ['warn', 4], ['error', 4], ['problem', 2]])
const FIRST = new Set(['refuse', 'SvgRefusal'])

/** The string literals an expression or type can be: `'a'`, `c ? 'a' : 'b'`, `'a' | 'b'`. */
function literals(node: ts.Node): string[] {
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return [node.text]
  if (ts.isConditionalExpression(node)) return [...literals(node.whenTrue), ...literals(node.whenFalse)]
  if (ts.isParenthesizedExpression(node)) return literals(node.expression)
  if (ts.isUnionTypeNode(node)) return node.types.flatMap(literals)
  if (ts.isLiteralTypeNode(node)) return literals(node.literal)
  return []
}

function calleeName(node: ts.CallExpression | ts.NewExpression): string | undefined {
  const callee = node.expression
  if (ts.isIdentifier(callee)) return callee.text
  if (ts.isPropertyAccessExpression(callee)) return callee.name.text
  return undefined
}

/** Rule ids in the source, each with where it is written; and rule arguments that are not literals. */
function ruleIds(): {ids: Map<string, string>; unresolved: string[]} {
  const ids = new Map<string, string>()
  const unresolved: string[] = []
  for (const file of sourceFiles(path.join(repo, 'src'))) {
    const text = fs.readFileSync(file, 'utf8')
    const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true)
    const where = (node: ts.Node) => `${path.relative(repo, file)}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`
    const add = (node: ts.Node, resolve = true) => {
      const found = literals(node)
      if (found.length === 0 && resolve) unresolved.push(`${where(node)} ${node.getText()}`)
      for (const id of found) if (RULE.test(id) && !ids.has(id)) ids.set(id, where(node))
    }
    const visit = (node: ts.Node) => {
      if ((ts.isCallExpression(node) || ts.isNewExpression(node)) && node.arguments && node.arguments.length > 0) {
        const name = calleeName(node)
        if (name && LAST.get(name) === node.arguments.length) add(node.arguments[node.arguments.length - 1])
        if (name && FIRST.has(name)) add(node.arguments[0])
      }
      // A \`ruleId:\` property also passes on another message's rule: only its literals count.
      if (ts.isPropertyAssignment(node) && node.name.getText() === 'ruleId') add(node.initializer, false)
      if ((ts.isPropertySignature(node) || ts.isParameter(node) || ts.isPropertyDeclaration(node)) && node.name.getText() === 'ruleId' && node.type && !ts.isTypeReferenceNode(node.type) && node.type.kind !== ts.SyntaxKind.StringKeyword) {
        for (const id of literals(node.type)) if (RULE.test(id) && !ids.has(id)) ids.set(id, where(node))
      }
      ts.forEachChild(node, visit)
    }
    visit(source)
  }
  return {ids, unresolved}
}

/** The anchors of docs/errors.md's headings, as GitHub makes them. */
function anchors(): Set<string> {
  const doc = fs.readFileSync(path.join(repo, 'docs/errors.md'), 'utf8')
  const slug = (heading: string) => heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-')
  return new Set([...doc.matchAll(/^#{1,6} (.+)$/gm)].map((m) => slug(m[1])))
}

describe('docs/errors.md', () => {
  const {ids, unresolved} = ruleIds()

  it('finds the rule ids of every kind of call site', () => {
    for (const id of ['directive-unknown', 'frontmatter-yaml', 'asset-type', 'asset-unsafe', 'asset-missing', 'link-not-public', 'cache-corrupt', 'content-empty', 'paper-timeout', 'prose-marking']) expect([...ids.keys()], id).toContain(id)
  })

  it('has a section for every rule id the code can emit', () => {
    const documented = anchors()
    const missing = [...ids].filter(([id]) => !documented.has(id)).map(([id, at]) => `${id} (${at})`)
    expect(missing, 'add a `### rule-id` section to docs/errors.md').toEqual([])
  })

  it('every rule argument is a literal, so that this test sees it (or is one of the functions that pass a rule on)', () => {
    // Variables here are parameters of the helpers that report: fail and warn
    // themselves, attachments' problem and refuse, SvgRefusal's constructor.
    expect(unresolved.filter((entry) => !/ (ruleId|admission\.ruleId|error\.ruleId)$/.test(entry))).toEqual([])
  })
})
