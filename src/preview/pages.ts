/**
 * The preview's pages: the list of papers, a paper's review page, and plain
 * message pages. Every page carries the OFFICIAL-SENSITIVE banner and
 * `noindex`. Paper HTML comes from two places only: `outcome.public.html`
 * (what the build publishes) and `renderMarked` (the unredacted, marked body).
 */
import {processPaper} from '../publish/process.js'
import type {PaperOutcome, PaperStatus} from '../publish/outcome.js'
import type {PublicPaper} from '../publish/types.js'
import {exemptionWithTitle} from '../pipeline/mark-sensitive.js'
import {formatLondonInstant, formatLongDate} from '../time/london.js'
import {BANNER_TEXT} from './assets.js'
import {html, raw, type Raw} from './html.js'
import {MARKED_PREFIX, renderMarked} from './review.js'
import {lineRange, paperReport, place, type ReportMessage} from './report.js'
import type {Entry, PaperStore} from './store.js'
import {paperUrl} from './urls.js'
import {createTwoFilesPatch} from 'diff'
import {approversOf, lastFullyApproved, renderingText, renderingToApprove, sha256, type Approval} from '../publish/approvals.js'

export const STATUSES: PaperStatus[] = ['public', 'deferred', 'withheld', 'draft', 'removed', 'unapproved', 'invalid']
const statusNames: Record<PaperStatus, string> = {public: 'Public', deferred: 'Deferred', withheld: 'Withheld whole', draft: 'Draft', removed: 'Withdrawn and removed', unapproved: 'Awaiting approval', invalid: 'Invalid'}
export type View = 'both' | 'marked' | 'public'
const DAY = 86_400_000

interface LayoutInput {
  title: string
  body: Raw
  /** The live-reload stream for this page. */
  events?: string
}

export function layout(page: LayoutInput): string {
  return html`<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<meta name="referrer" content="no-referrer">
<title>${page.title} - reviewer preview</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/assets/preview.css">
<script src="/assets/preview.js" defer></script>
</head>
<body${page.events ? html` data-events="${page.events}"` : ''}>
<div class="banner banner-top" role="banner">${BANNER_TEXT}</div>
<div class="wrap">
<main id="main">
${page.body}
</main>
</div>
<div class="banner banner-bottom">${BANNER_TEXT}</div>
</body>
</html>
`.value
}

export function messagePage(title: string, text: Raw | string): string {
  return layout({title, body: html`<h1>${title}</h1><p>${text}</p>`})
}

function statusLabel(outcome: PaperOutcome, now: Date): Raw {
  const errors = outcome.messages.filter((m) => m.fatal).length
  let text: string
  switch (outcome.status) {
    case 'deferred': {
      const due = new Date(outcome.deferUntil!)
      const days = Math.ceil((due.getTime() - now.getTime()) / DAY)
      text = `Deferred until ${formatLondonInstant(due)} (${days <= 1 ? 'within a day' : `in ${days} days`})`
      break
    }
    case 'withheld':
      text = 'Withheld whole'
      break
    case 'draft':
      text = 'Draft: never published'
      break
    case 'removed':
      text = 'Withdrawn and removed'
      break
    case 'invalid':
      text = `Invalid: ${errors} error${errors === 1 ? '' : 's'}`
      break
    default:
      text = 'Public'
  }
  return html`<span class="status status-${outcome.status}">${text}</span>`
}

function exemptionList(codes: string[]): Raw {
  if (codes.length === 0) return html`<span class="path">none</span>`
  return html`${codes.map((code, i) => html`${i > 0 ? ', ' : ''}${exemptionWithTitle(code)}`)}`
}

function words(outcome: PaperOutcome): number {
  return outcome.redactions.reduce((sum, r) => sum + r.words, 0)
}

function paperRow(outcome: PaperOutcome, now: Date): Raw {
  const warnings = outcome.messages.filter((m) => !m.fatal).length
  return html`<tr data-path="${outcome.relativePath}" data-status="${outcome.status}">
<td><a href="${paperUrl(outcome.relativePath)}">${outcome.title ?? outcome.relativePath}</a>${outcome.id ? html` <span class="path">${outcome.id}</span>` : ''}<br><span class="path">${outcome.path}</span></td>
<td>${statusLabel(outcome, now)}</td>
<td>${outcome.classification ?? ''}</td>
<td>${exemptionList(outcome.exemptions)}</td>
<td class="num">${outcome.redactions.length}${outcome.redactions.length ? html` <span class="path">(${words(outcome)} word${words(outcome) === 1 ? '' : 's'})</span>` : ''}</td>
<td class="num">${warnings || ''}</td>
</tr>`
}

function paperTable(caption: string, rows: PaperOutcome[], now: Date): Raw {
  return html`<table>
<caption class="path">${caption}</caption>
<thead><tr><th scope="col">Paper</th><th scope="col">Status</th><th scope="col">Classification</th><th scope="col">Exemptions</th><th scope="col" class="num">Redactions</th><th scope="col" class="num">Warnings</th></tr></thead>
<tbody>
${rows.map((o) => paperRow(o, now))}
</tbody>
</table>`
}

function asAt(store: PaperStore, fixed: boolean): Raw {
  return html`<p>Statuses as at <strong>${formatLondonInstant(store.now())}</strong>${fixed ? ' (set with --at)' : ''}. Content folder: <code>${store.content}</code>.</p>`
}

export interface HomeInput {
  store: PaperStore
  status?: PaperStatus
  fixed: boolean
  events: string
}

export function homePage({store, status, fixed, events}: HomeInput): string {
  if (!store.ready) {
    const body = html`<h1>Reviewer preview</h1>
${asAt(store, fixed)}
<p class="progress" role="status">Processing papers: ${store.processed} of ${store.total}. This page reloads when the list is ready.</p>`
    return layout({title: 'Processing papers', body, events})
  }
  const now = store.now()
  const all = store.views()
  const counts = new Map<PaperStatus, number>(STATUSES.map((s) => [s, 0]))
  for (const o of all) counts.set(o.status, counts.get(o.status)! + 1)
  const shown = status ? all.filter((o) => o.status === status) : all
  const soon = shown
    .filter((o) => o.status === 'deferred' && Date.parse(o.deferUntil!) - now.getTime() <= 30 * DAY)
    .sort((a, b) => Date.parse(a.deferUntil!) - Date.parse(b.deferUntil!) || compare(a.relativePath, b.relativePath))
  // As `mopac schedule`: a paper that is due but has an error is late; first.
  const overdue = shown
    .filter((o) => !o.draft && (o.status === 'invalid' || o.messages.some((m) => m.fatal)) && (!o.deferUntil || Date.parse(o.deferUntil) <= now.getTime()))
    .sort((a, b) => compare(a.deferUntil ?? '', b.deferUntil ?? '') || compare(a.relativePath, b.relativePath))
  const soonSet = new Set([...soon, ...overdue])
  const rest = shown.filter((o) => !soonSet.has(o)).sort((a, b) => compare(b.date ?? '', a.date ?? '') || compare(a.relativePath, b.relativePath))
  const filter = (value: PaperStatus | undefined, label: string, count: number) =>
    html`<li><a href="${value ? `/?status=${value}` : '/'}"${status === value ? raw(' aria-current="page"') : ''}>${label} (${count})</a></li>`
  const body = html`<h1>Reviewer preview: ${all.length} papers</h1>
${asAt(store, fixed)}
<nav aria-label="Filter by status"><ul class="filters">
${filter(undefined, 'All', all.length)}
${STATUSES.map((s) => filter(s, statusNames[s], counts.get(s)!))}
</ul></nav>
${overdue.length > 0 ? html`<h2>Overdue: due, but held by an error</h2>${paperTable(`${overdue.length} paper${overdue.length === 1 ? '' : 's'} the release job holds until fixed`, overdue, now)}` : ''}
${soon.length > 0 ? html`<h2>Due in the next 30 days</h2>${paperTable(`${soon.length} deferred paper${soon.length === 1 ? '' : 's'} due by ${formatLondonInstant(new Date(now.getTime() + 30 * DAY))}, soonest first`, soon, now)}` : ''}
<h2>${status ? statusNames[status] : 'All papers'}${soon.length > 0 ? ' (others)' : ''}</h2>
${rest.length > 0 ? paperTable(`${rest.length} paper${rest.length === 1 ? '' : 's'}, newest decision first`, rest, now) : html`<p>None.</p>`}`
  return layout({title: status ? `${statusNames[status]} papers` : 'All papers', body, events})
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

function sourceLine(entry: Entry, line: number | undefined): string | undefined {
  if (!line || !entry.bytes) return undefined
  const text = Buffer.from(entry.bytes).toString('utf8').replace(/\r\n?/g, '\n')
  return text.split('\n')[line - 1]
}

function messageList(entry: Entry, messages: ReportMessage[]): Raw {
  return html`<ul class="messages">${messages.map((m) => {
    const line = sourceLine(entry, m.line)
    const caret = line !== undefined && m.column ? ' '.repeat(Math.max(0, m.column - 1)) + '^' : ''
    return html`<li><code>${place(entry.path, m)}</code> ${m.reason}${m.ruleId ? html` <span class="path">[${m.ruleId}]</span>` : ''}${line !== undefined ? html`<pre>${line}\n${caret}</pre>` : ''}</li>`
  })}</ul>`
}

export interface PaperPageInput {
  store: PaperStore
  entry: Entry
  outcome: PaperOutcome
  view: View
  fixed: boolean
  events: string
  /** The site's approval policy, the approvals on record, and this page's form token. */
  approvals?: {required: number; records: Approval[]; formToken?: string; due?: {rendering: PublicPaper; at: Date}}
}

export function paperPage({store, entry, outcome, view, fixed, events, approvals}: PaperPageInput): string {
  const now = store.now()
  const report = paperReport(outcome)
  const base = paperUrl(entry.relativePath)
  const tab = (value: View, label: string) =>
    html`<li><a href="${value === 'both' ? base : `${base}?view=${value}`}"${view === value ? raw(' aria-current="page"') : ''}>${label}</a></li>`
  const showMarked = view !== 'public'
  const showPublic = view !== 'marked'
  const anchor = (n: number) => `${showMarked ? '' : `${base}?view=marked`}#${MARKED_PREFIX}redaction-${n}`
  const body = html`<p class="crumbs"><a href="/">All papers</a></p>
<h1>${outcome.title ?? entry.relativePath}</h1>
${asAt(store, fixed)}
<dl class="meta">
<dt>File</dt><dd><code>${entry.path}</code></dd>
${outcome.id ? html`<dt>ID</dt><dd>${outcome.id}</dd>` : ''}
${outcome.date ? html`<dt>Decision date</dt><dd>${formatLongDate(outcome.date)}</dd>` : ''}
${outcome.classification ? html`<dt>Classification</dt><dd>${outcome.classification}</dd>` : ''}
<dt>Status</dt><dd>${statusLabel(outcome, now)}</dd>
<dt>Exemptions</dt><dd>${exemptionList(outcome.exemptions)}</dd>
<dt>Redactions</dt><dd>${report.redactions.length} (${report.words} word${report.words === 1 ? '' : 's'} withheld)</dd>
</dl>
${report.errors.length > 0 ? html`<section class="box" role="alert" aria-labelledby="errors"><h2 id="errors">${report.errors.length} error${report.errors.length === 1 ? '' : 's'}: nothing is published while a paper has errors</h2>${messageList(entry, report.errors)}</section>` : ''}
<nav aria-label="Views"><ul class="tabs">
${tab('both', 'Side by side')}
${tab('marked', 'Marked (unredacted)')}
${tab('public', 'Public rendering')}
</ul></nav>
<div class="views views-${view}">
${showMarked ? html`<section class="view view-marked" aria-labelledby="marked-heading"><h2 id="marked-heading">Marked: sensitive material outlined and labelled</h2><article class="paper" data-view="marked">${raw(markedHtml(store, entry))}</article></section>` : ''}
${showPublic ? html`<section class="view view-public" aria-labelledby="public-heading"><h2 id="public-heading">Public rendering</h2>${publicView(store, entry, outcome)}</section>` : ''}
</div>
${approvalPanel(store, entry, approvals ?? {required: 0, records: []})}
<section aria-labelledby="report-heading">
<h2 id="report-heading">Redaction report</h2>
${report.redactions.length === 0
  ? html`<p>Nothing is withheld from this paper.</p>`
  : html`<table class="redactions"><thead><tr><th scope="col">#</th><th scope="col">Kind</th><th scope="col">Exemptions</th><th scope="col">Source lines</th><th scope="col" class="num">Words</th></tr></thead><tbody>
${report.redactions.map((r, i) => html`<tr><td><a href="${anchor(i + 1)}">${i + 1}</a></td><td>${r.kind}</td><td>${exemptionList(r.exemptions)}</td><td>${lineRange(r)}</td><td class="num">${r.words}</td></tr>`)}
</tbody></table>`}
<h2 id="warnings">Warnings</h2>
${report.warnings.length === 0 ? html`<p>No warnings.</p>` : html`<section class="box box-warn" aria-labelledby="warnings">${messageList(entry, report.warnings)}</section>`}
</section>`
  return layout({title: outcome.title ?? entry.relativePath, body, events})
}

/**
 * Who approved this paper's public rendering, what changed since the last
 * approval (a diff of the rendering), and the form to approve it.
 */
function approvalPanel(store: PaperStore, entry: Entry, approvals: NonNullable<PaperPageInput['approvals']>): Raw {
  const decision = store.decision(entry)
  // A deferred paper is approved as it will be released, at the end of its deferral.
  const rendering = approvals.due?.rendering ?? (decision && renderingToApprove(decision))
  const policy = approvals.required > 0
    ? `This site publishes a paper only when its current public rendering has ${approvals.required} approval${approvals.required === 1 ? '' : 's'} by different people.`
    : 'This site publishes without approvals (mopac.config.json `approvals: 0`); approvals are still recorded.'
  if (!rendering) {
    return html`<section aria-labelledby="approval-heading"><h2 id="approval-heading">Approval</h2><p>${policy}</p><p>Nothing to approve: this paper has no public rendering at this instant.</p></section>`
  }
  const text = renderingText(rendering)
  const hash = sha256(text)
  const mine = approvals.records.filter((r) => r.paper === rendering.id && r.sha256 === hash)
  const who = approversOf(approvals.records, rendering.id, hash)
  // The base is the last rendering that had every approval it needed, never
  // one only some people approved (a change slipped in there would not show).
  const latest = lastFullyApproved(approvals.records, rendering.id, approvals.required)
  const changed = !latest
    ? html`<p>No version of this paper has had all its approvals yet: review the whole public rendering.</p>`
    : latest.sha256 !== hash
    ? html`<h3>Changed since approved by ${latest.approvers.join(' and ')} (${formatLondonInstant(new Date(latest.at))})</h3>
<p>The public rendering then (−) and now (+): review what changed.</p>
<pre class="diff">${createTwoFilesPatch('approved', 'now', latest.rendering, text, latest.at, '', {context: 2})
        .split('\n')
        .slice(2)
        .map((line) => html`<span class="${line.startsWith('+') ? 'diff-add' : line.startsWith('-') ? 'diff-del' : line.startsWith('@@') ? 'diff-hunk' : 'diff-same'}">${line}</span>\n`)}</pre>`
    : ''
  return html`<section aria-labelledby="approval-heading"><h2 id="approval-heading">Approval</h2>
<p>${policy}</p>
<p>This public rendering${approvals.due ? ` as it will be released on ${formatLondonInstant(approvals.due.at)}` : ''} (sha256 <code>${hash.slice(0, 12)}</code>): ${who.length === 0 ? 'not approved yet.' : html`approved by ${who.length} ${who.length === 1 ? 'person' : 'people'}${approvals.required > 0 ? ` of ${approvals.required} needed` : ''}:`}</p>
${mine.length > 0 ? html`<ul>${mine.map((r) => html`<li>${r.approver}, ${formatLondonInstant(new Date(r.at))}${r.note ? html`: ${r.note}` : ''}</li>`)}</ul>` : ''}
${changed}
<form method="post" action="${paperUrl(entry.relativePath)}approve" class="approve">
<input type="hidden" name="sha256" value="${hash}">
<input type="hidden" name="form" value="${approvals.formToken ?? ''}">
<p><label for="approver">Your name</label> <input id="approver" name="approver" required autocomplete="name"></p>
<p><label for="note">Note (optional)</label> <input id="note" name="note"></p>
<p><button type="submit">Approve this redaction</button></p>
</form>
</section>`
}

function markedHtml(store: PaperStore, entry: Entry): string {
  const input = store.input(entry)
  if (!input) return ''
  try {
    return renderMarked(input)
  } catch (error) {
    return html`<p class="not-public">The marked rendering failed: ${String((error as Error).message ?? error)}</p>`.value
  }
}

function publicView(store: PaperStore, entry: Entry, outcome: PaperOutcome): Raw {
  const now = store.now()
  if (outcome.status === 'public' && outcome.public) {
    // The public page itself, as the build writes it at this instant (served at /site/).
    const page = `/site/decisions/${encodeURIComponent(outcome.public.slug)}/`
    return html`<p>The page below is the public page exactly as the build writes it at ${formatLondonInstant(now)}: <a href="${page}">open it on its own</a>.</p>
<iframe class="public-frame" src="${page}" title="Public page of ${outcome.public.id}" data-view="public"></iframe>`
  }
  if (outcome.status === 'deferred' && outcome.deferUntil) {
    // The same code path as the build, at the instant the deferral ends.
    const input = store.input(entry)
    const due = new Date(outcome.deferUntil)
    const later = input ? processPaper(input, due) : undefined
    return html`<p class="not-public">Not public at ${formatLondonInstant(now)}: deferred until ${formatLondonInstant(due)}. From then, unless it changes, the public page will read:</p>
${later?.public ? html`<article class="paper" data-view="public">${raw(later.public.html)}</article>` : ''}`
  }
  const decision = store.decision(entry)
  if (decision?.status === 'held' && decision.awaitingApproval) {
    const page = `/candidate/decisions/${encodeURIComponent(decision.awaitingApproval.rendering.slug)}/`
    return html`<p class="not-public">Not published yet: awaiting approval${decision.kept ? ' (the site keeps the version last published)' : ''}. Once approved, the public page will read:</p>
<iframe class="public-frame" src="${page}" title="Public page of ${decision.awaitingApproval.rendering.id} once approved" data-view="public"></iframe>`
  }
  if (outcome.status === 'withheld') {
    return html`<p class="not-public">Withheld whole: the paper is classified ${outcome.classification}, so nothing of it is published.</p>`
  }
  return html`<p class="not-public">Not published: the paper has errors (listed above). Fix them and this view shows the public page.</p>`
}
