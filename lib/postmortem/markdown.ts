// The postmortem as GitHub-flavoured Markdown for docs and wikis. Charts are referenced as
// relative files (charts/<panel>.svg, shipped beside postmortem.md in the archive), or inlined as
// data: URIs for the single-file export.
import { NO_AUDIT_MESSAGE } from '../audit/event';
import { formatBytes } from '../format/bytes';
import { formatDuration } from '../format/duration';
import { formatUtc, formatUtcRange, utcClock } from '../format/time';
import { markerNumbers, renderCharts, type RenderedChart } from './charts';
import { clusterLabel } from './draft';
import type { PostmortemDraft } from './types';

/** Text in a table cell or a list item: pipes escaped, newlines folded, no raw HTML. */
export function mdInline(s: string): string {
  return s.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\r?\n/g, ' ').trim();
}

function mdBlock(s: string): string {
  return s.split(/\n\s*\n/).map((b) => b.trim().replace(/</g, '&lt;').replace(/>/g, '&gt;')).filter(Boolean).join('\n\n') || '_To be written._';
}

export interface MarkdownExport { markdown: string; charts: RenderedChart[] }

export function postmortemMarkdown(d: PostmortemDraft, opts: { generatedAt: number; images: 'files' | 'inline' }): MarkdownExport {
  const charts = renderCharts(d);
  const nums = markerNumbers(d);
  const w = d.window;
  const L: string[] = [];
  L.push(`# Postmortem: ${mdInline(d.title)}`, '');
  L.push('| | |', '|---|---|');
  L.push(`| Severity | **${d.severity.toUpperCase()}** |`, `| Status | ${d.status} |`);
  L.push(`| Impact window | ${formatUtcRange(w.from, w.to)}${w.ongoing ? ' (ongoing)' : ''} |`, `| Duration | ${formatDuration(w.durationMs)} |`);
  L.push(`| Time to detect | ${d.detection.timeToDetectMs === null ? '—' : formatDuration(d.detection.timeToDetectMs)} |`);
  L.push(`| Clusters | ${mdInline(d.clusters.map((c) => c.name).join(', '))} |`, `| Authors | ${mdInline(d.authors.join(', ') || '—')} |`, `| Incident | \`${d.incidentId}\` |`, '');
  L.push('## Summary', '', mdBlock(d.summary), '');
  L.push('## Impact', '', mdBlock(d.impact), '');
  L.push('## Detection', '', mdBlock(d.detection.text), '');
  L.push('## Root cause', '', mdBlock(d.rootCause), '');
  L.push('## Contributing factors', '', ...(d.contributingFactors.length ? d.contributingFactors.map((f) => `- ${mdInline(f)}`) : ['_None identified._']), '');
  L.push('## Action items', '');
  if (d.actionItems.length) for (const a of d.actionItems) L.push(`- [${a.status === 'done' ? 'x' : ' '}] ${mdInline(a.text)}${a.owner ? ` (owner: ${mdInline(a.owner)})` : ''}`);
  else L.push('_None yet._');
  L.push('');
  if (d.lessons) L.push('## Lessons learned', '', mdBlock(d.lessons), '');
  L.push('## Timeline', '', '| UTC | Source | What happened | Who |', '|---|---|---|---|');
  for (const e of d.timeline) {
    const num = nums.get(e.key);
    const until = e.until && e.until > e.t ? `–${utcClock(e.until)}` : '';
    L.push(`| ${utcClock(e.t)}${until} | ${e.source} | ${num !== undefined ? `**[${num}]** ` : ''}${mdInline(e.text)} | ${mdInline(e.who ?? '')} |`);
  }
  L.push('', '## Evidence', '', '_Charts: the impact window is shaded; numbered markers are the timeline\'s notes and runbook steps._', '');
  for (const c of charts) {
    const src = opts.images === 'inline' ? `data:image/svg+xml;charset=utf-8,${encodeURIComponent(c.svg).replace(/\(/g, '%28').replace(/\)/g, '%29')}` : c.file;
    L.push(`### ${mdInline(c.title)}`, '', `![${mdInline(c.title)}](${src})`, '', `${mdInline(c.explanation)}${c.peaks.length ? ` ${mdInline(c.peaks.join(' · '))}.` : ''}`, '');
  }
  for (const g of d.evidence.goroutines) {
    L.push(`### ${mdInline(g.component)} goroutines at ${formatUtc(g.t)} (${g.total.toLocaleString('en-US')})`, '');
    for (const k of g.knownIssues) L.push(`> **${mdInline(k.id)}**: ${mdInline(k.title)} (${k.count.toLocaleString('en-US')} goroutines${k.fixedIn ? `, fixed in ${mdInline(k.fixedIn)}` : ''})`, '');
    L.push('| Count | State | Top frame | Created by |', '|---:|---|---|---|');
    for (const r of g.groups) L.push(`| ${r.count.toLocaleString('en-US')} | ${mdInline(r.state)} | \`${mdInline(r.function)}\` | ${r.createdBy ? `\`${mdInline(r.createdBy)}\`` : ''} |`);
    L.push('');
  }
  for (const h of d.evidence.heap) {
    const fmt = (v: number) => (h.unit === 'bytes' ? formatBytes(v) : v.toLocaleString('en-US'));
    L.push(`### ${mdInline(h.component)} heap at ${formatUtc(h.t)} (${mdInline(h.sampleType)}, total ${fmt(h.total)})`, '', '| Flat | Flat % | Cum % | Function |', '|---:|---:|---:|---|');
    for (const r of h.top) L.push(`| ${fmt(r.flat)} | ${r.flatPct.toFixed(1)}% | ${r.cumPct.toFixed(1)}% | \`${mdInline(r.function)}\` |`);
    L.push('');
  }
  for (const a of d.evidence.audit) {
    L.push(`### Audit log (${mdInline(clusterLabel(d, a.cluster))}): ${a.total.toLocaleString('en-US')} requests`, '');
    if (a.errors.length) {
      L.push('| Code | Message | Count |', '|---:|---|---:|');
      for (const e of a.errors) L.push(`| ${e.code} | ${mdInline(e.message || NO_AUDIT_MESSAGE)} | ${e.count.toLocaleString('en-US')} |`);
      L.push('');
    }
    L.push(`Top users: ${mdInline(a.users.map((u) => `${u.key} (${u.events})`).join(', ') || '—')}  `, `Top verbs: ${mdInline(a.verbs.map((u) => `${u.key} (${u.events})`).join(', ') || '—')}`, '');
  }
  if (d.evidence.events.length) {
    L.push('### Kubernetes events', '', '| UTC | Type | Reason | Object | Count | Message |', '|---|---|---|---|---:|---|');
    for (const e of d.evidence.events) L.push(`| ${utcClock(e.t)} | ${mdInline(e.type)} | ${mdInline(e.reason)} | ${mdInline(e.object)} | ${e.count} | ${mdInline(e.message)} |`);
    L.push('');
  }
  L.push('---', `_Generated by kube-forensics on ${formatUtc(opts.generatedAt)}${d.edited ? `; last edited by ${mdInline(d.edited.by)} on ${formatUtc(d.edited.at)}` : ''}._`, '');
  return { markdown: L.join('\n'), charts };
}
