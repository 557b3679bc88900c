/**
 * remark plugin: find the local files (images, attachments) that the public
 * tree refers to, and point the references at the copy beside the page
 * (`files/<name>`). Files only withheld material referred to are never seen
 * here, so they are never copied. Pure: the build checks and copies them.
 */
import path from 'node:path'
import type {Root} from 'mdast'
import type {VFile} from 'vfile'
import {fail} from '../content/messages.js'
import type {AssetRef} from './data.js'
import {walk} from './walk.js'

/**
 * Whether a URL points at a file beside the paper: relative, with no scheme
 * or host. Fragments, queries and site-absolute paths (`/decisions/...`, a
 * page of the public site) are links, not files.
 */
export function isLocalUrl(url: string): boolean {
  return url !== '' && !/^[a-z][a-z0-9+.-]*:/i.test(url) && !/^[/#?\\]/.test(url)
}

export default function remarkAssets(options: {resolveUrl?: (source: string) => string} = {}) {
  return function (tree: Root, file: VFile) {
    const assets = new Map<string, AssetRef>()
    const targets = new Map<string, string>()
    const paperDir = path.posix.dirname(file.data.relativePath ?? 'paper.md')

    walk(tree, (node) => {
      if (node.type !== 'image' && node.type !== 'link' && node.type !== 'definition') return
      if (!isLocalUrl(node.url)) return
      const [pathPart, suffix = ''] = splitSuffix(node.url)
      let decoded: string
      try {
        decoded = decodeURIComponent(pathPart)
      } catch {
        fail(file, `Cannot read the file address \`${node.url}\``, node, 'asset-invalid')
        if (options.resolveUrl) node.url = ''
        return
      }
      if (decoded.includes('\\')) {
        fail(file, `File \`${node.url}\` must be given relative to the paper, e.g. \`./images/chart.svg\``, node, 'asset-outside')
        if (options.resolveUrl) node.url = ''
        return
      }
      const source = path.posix.normalize(path.posix.join(paperDir, decoded))
      if (source === '..' || source.startsWith('../') || source === '.') {
        fail(file, `File \`${node.url}\` is outside the content folder: keep attachments inside it`, node, 'asset-outside')
        if (options.resolveUrl) node.url = ''
        return
      }
      if (options.resolveUrl) {
        // Review: the reviewer's own address for the file (or paper).
        node.url = options.resolveUrl(source) + suffix
        return
      }
      if (/\.(md|markdown|mdown|mkdn?|mdwn|mdx)$/i.test(source)) {
        fail(file, `Link \`${node.url}\` points at a source paper: link to the decision page instead`, node, 'asset-paper')
        return
      }
      let target = targets.get(source)
      if (!target) {
        const base = path.posix.basename(source)
        target = `files/${base}`
        let n = 2
        const taken = new Set(targets.values())
        while (taken.has(target)) target = `files/${n++}-${base}`
        targets.set(source, target)
        assets.set(source, {source, target, position: node.position})
      }
      // The file keeps its name; the address is percent-encoded (`a#b.pdf` is `a%23b.pdf`).
      node.url = target.split('/').map(encodeURIComponent).join('/') + suffix
    })

    file.data.assets = [...assets.values()]
  }
}

function splitSuffix(url: string): [string, string] {
  const at = url.search(/[?#]/)
  return at === -1 ? [url, ''] : [url.slice(0, at), url.slice(at)]
}
