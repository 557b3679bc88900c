/** The import report, as the command prints it. */
import type {ImportReport} from './index.js'

export interface ReportHeader {
  /** The paper written, as the author would open it (`content/pcd-602-....md`). */
  paper: string
  /** The images written, the same way. */
  images: string[]
  /** The Word files, as given. */
  form: string
  part2?: string
}

export function formatReport(report: ImportReport, header: ReportHeader): string {
  const lines: string[] = []
  lines.push(`Imported ${header.form}${header.part2 ? ` and ${header.part2} (Part 2, withheld)` : ''} as ${header.paper}${report.id ? ` (${report.id})` : ''}`)
  lines.push('', 'Filled in:')
  const width = Math.max(...report.filled.map((item) => item.key.length))
  for (const item of report.filled) lines.push(`  ${item.key.padEnd(width)}  ${shorten(item.value, 70)}  <- ${item.from}`)
  lines.push('', header.images.length > 0 ? `Images written beside the paper: ${header.images.join(', ')}` : 'No images written.')
  if (report.dropped.length > 0) {
    lines.push('', 'Dropped (form furniture: the form\'s own wording, signatures, tick boxes):')
    for (const item of report.dropped) lines.push(`  - ${item}`)
  }
  if (report.notes.length > 0) {
    lines.push('', 'Notes:')
    for (const note of report.notes) lines.push(`  - ${note}`)
  }
  lines.push('')
  if (report.unresolved.length === 0) {
    lines.push(`\`mopac check\` accepts the paper. Review it in \`mopac preview\` (the withheld parts are outlined) before publishing.`)
  } else {
    lines.push(`To resolve: \`mopac check\` refuses the paper until each of these is done (${report.unresolved.length}):`)
    for (const item of report.unresolved) lines.push(`  ${header.paper}:${item}`)
    lines.push('Each `::import-unresolved[...]` line marks a piece to look at: resolve it, then delete the line.')
  }
  if (report.warnings.length > 0) {
    lines.push('Warnings (published anyway):')
    for (const item of report.warnings) lines.push(`  ${header.paper}:${item}`)
  }
  return lines.join('\n') + '\n'
}

function shorten(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 3)}...` : text
}
