#!/usr/bin/env node
/**
 * Compile site/mopac.scss (GOV.UK Frontend, Arial, no crown) and keep only the
 * rules for classes the site emits, so that a page and its CSS stay well under
 * 50 KB. site/search.scss (the form components, for the search page alone) is
 * compiled the same way, less the rules site.css has already. Writes
 * src/site/style.generated.ts, which is committed: the build itself needs
 * neither Sass nor this script.
 *
 *   node site/build-css.mjs          write the module
 *   node site/build-css.mjs --check  exit 1 if the module is out of date
 *
 * Classes in use are every `govuk-…` token in src/site/**\/*.ts (write class
 * names out in full there, never assembled from parts).
 */
import fs from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import * as sass from 'sass'

const here = path.dirname(fileURLToPath(import.meta.url))
const root = path.resolve(here, '..')
/** The font stack: Arial or Helvetica, never GDS Transport. */
const FONT = 'arial,helvetica,sans-serif'
export const generatedPath = path.join(root, 'src/site/style.generated.ts')

/** Every `govuk-` class named in the site's source. */
export function usedClasses() {
  const used = new Set()
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, {withFileTypes: true}).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const full = path.join(dir, entry.name)
      if (entry.isDirectory()) walk(full)
      else if (entry.name.endsWith('.ts') && full !== generatedPath) {
        for (const match of fs.readFileSync(full, 'utf8').matchAll(/govuk-[a-z0-9_-]*[a-z0-9]/g)) used.add(match[0])
      }
    }
  }
  walk(path.join(root, 'src/site'))
  return used
}

/** Split at top-level occurrences of `sep` (outside strings, brackets and parentheses). */
function splitTop(text, sep) {
  const parts = []
  let depth = 0
  let quote = ''
  let start = 0
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (quote) {
      if (c === '\\') i++
      else if (c === quote) quote = ''
    } else if (c === '"' || c === "'") quote = c
    else if (c === '(' || c === '[') depth++
    else if (c === ')' || c === ']') depth--
    else if (c === sep && depth === 0) {
      parts.push(text.slice(start, i))
      start = i + 1
    }
  }
  parts.push(text.slice(start))
  return parts
}

/** Parse compressed CSS into statements and blocks. */
function parse(css) {
  const nodes = []
  let i = 0
  let start = 0
  let quote = ''
  while (i < css.length) {
    const c = css[i]
    if (quote) {
      if (c === '\\') i++
      else if (c === quote) quote = ''
      i++
      continue
    }
    if (c === '"' || c === "'") quote = c
    else if (c === ';') {
      const text = css.slice(start, i).trim()
      if (text) nodes.push({statement: text})
      start = i + 1
    } else if (c === '{') {
      const prelude = css.slice(start, i).trim()
      let depth = 1
      let j = i + 1
      let q = ''
      for (; j < css.length && depth > 0; j++) {
        const d = css[j]
        if (q) {
          if (d === '\\') j++
          else if (d === q) q = ''
        } else if (d === '"' || d === "'") q = d
        else if (d === '{') depth++
        else if (d === '}') depth--
      }
      const body = css.slice(i + 1, j - 1)
      nodes.push(/^@(media|supports)\b/.test(prelude) ? {prelude, children: parse(body)} : {prelude, body})
      i = j
      start = j
      continue
    }
    i++
  }
  return nodes
}

/**
 * Declarations dropped everywhere: font smoothing (meant for GDS Transport),
 * the font stack (set once on `html` and inherited), and in print the generic
 * font and the type scale in points (Arial at screen sizes prints well).
 */
const DROP = new Set(['-webkit-font-smoothing:antialiased', '-moz-osx-font-smoothing:grayscale', `font-family:${FONT}`])
const DROP_IN_PRINT = new Set([...DROP, 'font-family:sans-serif'])

function declarations(body, media, defined) {
  const print = /\bprint\b/.test(media)
  const drop = print ? DROP_IN_PRINT : DROP
  return splitTop(body, ';')
    .map((d) => d.trim())
    .filter((d) => d && !drop.has(d))
    // Print type sizes in points: the screen sizes print legibly too.
    .filter((d) => !(print && /^(font-size:[\d.]+pt|line-height:[\d.]+)$/.test(d)))
    // A fallback inside var() is dead weight when :root defines the property.
    .map((d) => d.replace(/var\((--[\w-]+), ?[^()]*\)/g, (whole, name) => (defined.has(name) ? `var(${name})` : whole)))
    .join(';')
}

function prune(nodes, keepClass, defined, media = '') {
  const out = []
  for (const node of nodes) {
    if (node.statement) out.push({text: node.statement + ';'})
    else if (node.children) {
      const inner = prune(node.children, keepClass, defined, media + node.prelude)
      if (inner.length === 0) continue
      // Merge with the block just before when it has the same condition (order is unchanged).
      const last = out[out.length - 1]
      if (last && last.prelude === node.prelude) last.inner.push(...inner)
      else out.push({prelude: node.prelude, inner})
    } else if (node.prelude.startsWith('@')) out.push({text: `${node.prelude}{${node.body}}`})
    else {
      const selectors = splitTop(node.prelude, ',').filter((selector) =>
        [...selector.matchAll(/\.(-?[_a-zA-Z][\w-]*)/g)].every((m) => keepClass(m[1]))
      )
      const body = node.prelude === ':root' ? node.body : declarations(node.body, media, defined)
      if (selectors.length > 0 && body) out.push({text: `${selectors.join(',')}{${body}}`})
    }
  }
  return out
}

function serialise(items) {
  return items.map((item) => (item.prelude ? `${item.prelude}{${serialise(item.inner)}}` : item.text)).join('')
}

/** A Sass file compiled, parsed and pruned to the classes in use: its items, and the custom properties its :root defines. */
function compileItems(file) {
  const compiled = sass.compile(path.join(here, file), {style: 'compressed', importers: [new sass.NodePackageImporter(root)]})
  const used = usedClasses()
  const keepClass = (name) => (name.startsWith('govuk-') ? used.has(name) : name !== 'js-enabled')
  const tree = parse(compiled.css.replace(/^\uFEFF/, ''))
  const defined = new Set()
  for (const node of tree) if (node.prelude === ':root') for (const m of node.body.matchAll(/(--[\w-]+):/g)) defined.add(m[1])
  return prune(tree, keepClass, defined)
}

function checkFonts(css) {
  if (/GDS Transport|@font-face|govuk-crest|govuk-logo/i.test(css)) throw new Error('GOV.UK-only font or crown left in the stylesheet')
  return css
}

/** The pruned stylesheet of every page. */
export function buildCss() {
  return checkFonts(`html{font-family:${FONT}}` + serialise(compileItems('mopac.scss'))) + '\n'
}

/** Items of `items` not already in `known` (top-level rules compared as text; media blocks rule by rule). */
function without(items, known) {
  const out = []
  for (const item of items) {
    if (item.prelude) {
      const inner = item.inner.filter((i) => !known.has(item.prelude + '{' + serialise([i])))
      if (inner.length > 0) out.push({prelude: item.prelude, inner})
    } else if (!known.has(item.text)) out.push(item)
  }
  return out
}

/** The search page's own stylesheet: the form components and the results, less what site.css has. */
export function buildSearchCss() {
  const known = new Set()
  for (const item of compileItems('mopac.scss')) {
    if (item.prelude) for (const i of item.inner) known.add(item.prelude + '{' + serialise([i]))
    else known.add(item.text)
  }
  return checkFonts(serialise(without(compileItems('search.scss'), known))) + '\n'
}

export function moduleText(css, searchCss = buildSearchCss()) {
  return `// Generated by \`node site/build-css.mjs\` from site/mopac.scss and site/search.scss: do not edit.\nexport const siteCss = ${JSON.stringify(css)}\nexport const searchCss = ${JSON.stringify(searchCss)}\n`
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const text = moduleText(buildCss())
  if (process.argv.includes('--check')) {
    const current = fs.existsSync(generatedPath) ? fs.readFileSync(generatedPath, 'utf8') : ''
    if (current !== text) {
      process.stderr.write('src/site/style.generated.ts is out of date: run `node site/build-css.mjs`\n')
      process.exitCode = 1
    }
  } else {
    fs.writeFileSync(generatedPath, text)
    process.stdout.write(`Wrote ${path.relative(root, generatedPath)} (${Buffer.byteLength(text)} bytes)\n`)
  }
}
