// The postmortem as one self-contained print document (HTML with inline SVG charts and its own
// CSS): what the PDF export prints through Chromium, and what the page's preview shows. Pure: the
// draft in, a string out, every piece of text escaped. No scripts, no external resources.
import { NO_AUDIT_MESSAGE } from '../audit/event';
import { formatBytes } from '../format/bytes';
import { formatDuration } from '../format/duration';
import { formatUtc, formatUtcRange, utcClock, utcDate } from '../format/time';
import { escapeXml as esc } from './chart-svg';
import { markerNumbers, renderCharts } from './charts';
import { clusterLabel } from './draft';
import type { DraftTimelineEntry, PostmortemDraft } from './types';

export const PRINT_CSS = `
@page { size: A4; margin: 16mm 16mm 18mm 16mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; font-family: 'Helvetica Neue', Helvetica, Arial, 'DejaVu Sans', sans-serif; font-size: 10pt; line-height: 1.45; color: #111827; }
.pm { max-width: 178mm; margin: 0 auto; }
h1 { font-size: 21pt; line-height: 1.2; margin: 0 0 4pt; letter-spacing: -0.01em; }
h2 { font-size: 13.5pt; margin: 16pt 0 6pt; padding-bottom: 3pt; border-bottom: 1.5pt solid #111827; break-after: avoid; }
h3 { font-size: 11pt; margin: 12pt 0 4pt; break-after: avoid; }
p { margin: 0 0 6pt; }
.kicker { text-transform: uppercase; letter-spacing: 0.08em; font-size: 8pt; color: #6b7280; margin-bottom: 6pt; }
.chips { margin: 6pt 0 10pt; }
.chip { display: inline-block; padding: 1.5pt 7pt; border-radius: 9pt; font-size: 8.5pt; font-weight: 600; margin-right: 4pt; border: 0.75pt solid #d1d5db; }
.sev-sev1 { background: #b91c1c; color: #fff; border-color: #b91c1c; }
.sev-sev2 { background: #ea580c; color: #fff; border-color: #ea580c; }
.sev-sev3 { background: #fbbf24; color: #111827; border-color: #fbbf24; }
.sev-sev4 { background: #e5e7eb; color: #111827; }
table { width: 100%; border-collapse: collapse; font-size: 8.8pt; }
th, td { text-align: left; vertical-align: top; padding: 3pt 5pt; border-bottom: 0.5pt solid #e5e7eb; }
th { font-weight: 600; color: #374151; background: #f3f4f6; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
.meta { margin: 4pt 0 8pt; }
.meta th { width: 30mm; background: none; color: #6b7280; font-weight: 500; }
.meta td, .meta th { border-bottom: 0.5pt solid #eef0f3; padding: 2.5pt 4pt; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.time { white-space: nowrap; font-variant-numeric: tabular-nums; width: 19mm; }
.src { white-space: nowrap; font-size: 7.5pt; text-transform: uppercase; letter-spacing: 0.04em; font-weight: 600; width: 19mm; }
.tone-critical .src { color: #b91c1c; } .tone-warning .src { color: #b45309; } .tone-ok .src { color: #047857; } .tone-info .src { color: #475569; }
.mk { display: inline-block; min-width: 12pt; height: 12pt; line-height: 12pt; border-radius: 6pt; background: #475569; color: #fff; font-size: 7pt; font-weight: 700; text-align: center; margin-right: 3pt; }
.who { color: #6b7280; white-space: nowrap; }
.callout { border-left: 3pt solid #2563eb; background: #f8fafc; padding: 6pt 9pt; margin: 6pt 0 8pt; }
.callout.suggested { border-left-color: #d97706; background: #fffbeb; }
ul, ol { margin: 0 0 6pt 14pt; padding: 0; } li { margin: 0 0 2pt; }
.actions td.st { width: 14mm; } .actions td.owner { width: 30mm; }
figure { margin: 8pt 0 12pt; break-inside: avoid; }
figure svg { width: 100%; height: auto; display: block; }
figcaption { font-size: 8.5pt; color: #4b5563; margin-top: 2pt; }
figcaption b { color: #111827; }
.mono { font-family: 'DejaVu Sans Mono', Menlo, Consolas, monospace; font-size: 8pt; word-break: break-all; }
.muted { color: #6b7280; }
.page-break { break-before: page; }
.keep { break-inside: avoid; }
.foot { margin-top: 14pt; font-size: 8pt; color: #6b7280; }
@media screen { body { background: #e5e7eb; } .pm { background: #fff; padding: 16mm; margin: 12px auto; box-shadow: 0 1px 4px rgba(0,0,0,.2); } }
`;

function paras(text: string): string {
  const blocks = text.split(/\n\s*\n/).map((b) => b.trim()).filter(Boolean);
  return blocks.length ? blocks.map((b) => `<p>${esc(b).replace(/\n/g, '<br>')}</p>`).join('') : '<p class="muted">To be written.</p>';
}

function dayAware(t: number, ref: number): string {
  return utcDate(t) === utcDate(ref) ? utcClock(t) : `${utcDate(t).replace(/ \d{4}$/, '')} ${utcClock(t)}`;
}

const SOURCE_LABEL: Record<DraftTimelineEntry['source'], string> = { incident: 'Incident', finding: 'Finding', annotation: 'Note', step: 'Runbook', capture: 'Capture', event: 'Event' };

function timelineTable(d: PostmortemDraft): string {
  const nums = markerNumbers(d);
  const multi = d.clusters.length > 1;
  const rows = d.timeline.map((e) => {
    const num = nums.get(e.key);
    const until = e.until && e.until > e.t ? ` – ${dayAware(e.until, e.t)}` : '';
    return `<tr class="tone-${e.tone}"><td class="time">${esc(dayAware(e.t, d.window.from))}${esc(until)}</td><td class="src">${SOURCE_LABEL[e.source]}</td>`
      + `<td>${num !== undefined ? `<span class="mk">${num}</span>` : ''}${esc(e.text)}${multi && e.cluster ? ` <span class="muted">[${esc(clusterLabel(d, e.cluster))}]</span>` : ''}</td><td class="who">${esc(e.who ?? '')}</td></tr>`;
  }).join('');
  return `<table class="timeline"><thead><tr><th>UTC</th><th>Source</th><th>What happened</th><th>Who</th></tr></thead><tbody>${rows}</tbody></table>`;
}

function evidence(d: PostmortemDraft, charts: ReturnType<typeof renderCharts>): string {
  const out: string[] = ['<h2 class="page-break">Evidence</h2>', '<p class="muted">Charts are drawn from the recorded series over the impact window (shaded) with some context either side; numbered markers are the notes and runbook steps of the timeline, bars along the time axis the linked findings.</p>'];
  for (const c of charts) {
    out.push(`<figure>${`<h3>${esc(c.title)}</h3>`}${c.svg}<figcaption>${esc(c.explanation)}${c.peaks.length ? ` <b>${esc(c.peaks.join(' · '))}</b>` : ''}</figcaption></figure>`);
  }
  const ev = d.evidence;
  if (ev.goroutines.length) {
    out.push('<h2 class="page-break">Goroutines</h2>');
    for (const g of ev.goroutines) {
      out.push(`<div class="keep"><h3>${esc(g.component)} goroutine dump, ${esc(formatUtc(g.t))} (${g.total.toLocaleString('en-US')} goroutines${d.clusters.length > 1 ? `, ${esc(clusterLabel(d, g.cluster))}` : ''})</h3>`);
      if (g.knownIssues.length) out.push(`<div class="callout suggested">${g.knownIssues.map((k) => `<b>${esc(k.id)}</b>: ${esc(k.title)} (${k.count.toLocaleString('en-US')} goroutines${k.fixedIn ? `, fixed in ${esc(k.fixedIn)}` : ''})`).join('<br>')}</div>`);
      out.push(`<table><thead><tr><th class="num">Count</th><th>State</th><th>Top frame</th><th>Created by</th><th class="num">Max wait</th></tr></thead><tbody>${g.groups.map((r) => `<tr><td class="num">${r.count.toLocaleString('en-US')}</td><td>${esc(r.state)}</td><td class="mono">${esc(r.function)}</td><td class="mono">${esc(r.createdBy ?? '')}</td><td class="num">${r.maxMinutes ? `${r.maxMinutes} min` : ''}</td></tr>`).join('')}</tbody></table></div>`);
    }
  }
  if (ev.heap.length) {
    out.push(`<h2${ev.goroutines.length ? '' : ' class="page-break"'}>Heap</h2>`);
    for (const h of ev.heap) {
      const fmt = (v: number) => (h.unit === 'bytes' ? formatBytes(v) : v.toLocaleString('en-US'));
      out.push(`<div class="keep"><h3>${esc(h.component)} heap profile, ${esc(formatUtc(h.t))} (${esc(h.sampleType)}, total ${esc(fmt(h.total))})</h3>`);
      out.push(`<table><thead><tr><th class="num">Flat</th><th class="num">Flat %</th><th class="num">Cum</th><th class="num">Cum %</th><th>Function</th></tr></thead><tbody>${h.top.map((r) => `<tr><td class="num">${esc(fmt(r.flat))}</td><td class="num">${r.flatPct.toFixed(1)}%</td><td class="num">${esc(fmt(r.cum))}</td><td class="num">${r.cumPct.toFixed(1)}%</td><td class="mono">${esc(r.function)}</td></tr>`).join('')}</tbody></table></div>`);
    }
  }
  if (ev.audit.length) {
    out.push('<h2>Audit log excerpt</h2>');
    for (const a of ev.audit) {
      out.push(`<div class="keep"><h3>${esc(clusterLabel(d, a.cluster))}: ${a.total.toLocaleString('en-US')} requests audited in the window</h3>`);
      if (a.errors.length) out.push(`<table><thead><tr><th class="num">Code</th><th>Message</th><th class="num">Count</th><th>First – last</th></tr></thead><tbody>${a.errors.map((e) => `<tr><td class="num">${e.code}</td><td class="mono">${e.message ? esc(e.message) : `<span class="muted">${esc(NO_AUDIT_MESSAGE)}</span>`}</td><td class="num">${e.count.toLocaleString('en-US')}</td><td class="time">${esc(utcClock(e.first, false))} – ${esc(utcClock(e.last, false))}</td></tr>`).join('')}</tbody></table>`);
      const top = (l: Array<{ key: string; events: number }>) => l.map((r) => `${esc(r.key)} (${r.events.toLocaleString('en-US')})`).join(', ') || '—';
      out.push(`<p><b>Top users:</b> ${top(a.users)}<br><b>Top verbs:</b> ${top(a.verbs)}</p></div>`);
    }
  }
  if (ev.events.length) {
    out.push('<h2>Kubernetes events excerpt</h2>');
    out.push(`<table><thead><tr><th>UTC</th><th>Type</th><th>Reason</th><th>Object</th><th class="num">Count</th><th>Message</th></tr></thead><tbody>${ev.events.map((e) => `<tr><td class="time">${esc(dayAware(e.t, d.window.from))}</td><td>${esc(e.type)}</td><td>${esc(e.reason)}</td><td class="mono">${esc(e.object)}</td><td class="num">${e.count.toLocaleString('en-US')}</td><td>${esc(e.message)}</td></tr>`).join('')}</tbody></table>`);
  }
  return out.join('\n');
}

export function postmortemHtml(d: PostmortemDraft, opts: { generatedAt: number }): string {
  const charts = renderCharts(d);
  const w = d.window;
  const meta: Array<[string, string]> = [
    ['Status', d.status],
    ['Impact window', `${formatUtcRange(w.from, w.to)}${w.ongoing ? ' (ongoing)' : ''}`],
    ['Duration', formatDuration(w.durationMs)],
    ['Time to detect', d.detection.timeToDetectMs === null ? '—' : formatDuration(d.detection.timeToDetectMs)],
    ['Clusters', d.clusters.map((c) => (c.name === c.id ? c.id : `${c.name} (${c.id})`)).join(', ')],
    ['Authors', d.authors.join(', ') || '—'],
    ['Incident', d.incidentId],
  ];
  const actions = d.actionItems.length
    ? `<table class="actions"><thead><tr><th>#</th><th>Action</th><th>Owner</th><th>Status</th></tr></thead><tbody>${d.actionItems.map((a, i) => `<tr><td class="num">${i + 1}</td><td>${esc(a.text)}</td><td class="owner">${esc(a.owner || 'unassigned')}</td><td class="st">${esc(a.status)}</td></tr>`).join('')}</tbody></table>`
    : '<p class="muted">None yet.</p>';
  const body = [
    '<div class="pm">',
    '<div class="kicker">Incident postmortem</div>',
    `<h1>${esc(d.title)}</h1>`,
    `<div class="chips"><span class="chip sev-${d.severity}">${esc(d.severity.toUpperCase())}</span><span class="chip">${esc(d.status)}</span>${d.clusters.map((c) => `<span class="chip">${esc(c.name)}</span>`).join('')}</div>`,
    `<table class="meta"><tbody>${meta.map(([k, v]) => `<tr><th>${esc(k)}</th><td>${esc(v)}</td></tr>`).join('')}</tbody></table>`,
    '<h2>Summary</h2>', paras(d.summary),
    '<h2>Impact</h2>', paras(d.impact),
    '<h2>Detection</h2>', paras(d.detection.text),
    '<h2>Root cause</h2>', `<div class="callout${d.edited ? '' : ' suggested'}">${paras(d.rootCause)}</div>`,
    '<h2>Contributing factors</h2>', d.contributingFactors.length ? `<ul>${d.contributingFactors.map((f) => `<li>${esc(f)}</li>`).join('')}</ul>` : '<p class="muted">None identified.</p>',
    '<h2>Action items</h2>', actions,
    ...(d.lessons ? ['<h2>Lessons learned</h2>', paras(d.lessons)] : []),
    '<h2>Timeline</h2>',
    '<p class="muted">Findings, notes, runbook steps, captures and Kubernetes events, merged and ordered by time (UTC).</p>',
    timelineTable(d),
    evidence(d, charts),
    `<p class="foot">Generated by kube-forensics on ${esc(formatUtc(opts.generatedAt))}${d.edited ? `; last edited by ${esc(d.edited.by)} on ${esc(formatUtc(d.edited.at))}` : ' from the recorded data (not yet edited)'}.</p>`,
    '</div>',
  ].join('\n');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(`Postmortem: ${d.title}`)}</title><style>${PRINT_CSS}</style></head><body>${body}</body></html>`;
}
