// Assembles a postmortem draft from an incident's dossier and the evidence gathered over its
// window. Every prose section is a suggestion the team edits (DraftEdits, applied by applyEdits):
// root cause and contributing factors start from the linked findings' explanations and the known
// issues matched in goroutine dumps, action items from the runbooks the findings point to and the
// runbook steps left undone.
import { DETECTORS } from '../detectors/specs';
import { formatDuration } from '../format/duration';
import { formatUtc } from '../format/time';
import { formatUnitValue } from '../format/unit';
import type { Annotation, IncidentStep, LinkedFinding } from '../incidents/types';
import { runbookById, stepTitleOf } from '../runbooks';
import type { ActionItem, DraftEdits, DraftTimelineEntry, PostmortemDraft, PostmortemInput, TimelineSource } from './types';

/** Events shown on the merged timeline (the evidence section lists more). */
export const MAX_TIMELINE_EVENTS = 25;

const SEVERITY_RANK = { info: 0, warning: 1, critical: 2 } as const;
// Same-instant entries read in causal order: the signal, then people, then what they did.
const SOURCE_ORDER: Record<TimelineSource, number> = { incident: 0, finding: 1, event: 2, capture: 3, annotation: 4, step: 5 };

function detectorOf(id: string) { return DETECTORS.find((d) => d.id === id); }

function stepTitle(s: IncidentStep): string {
  // Titles are templates ("Compact at the current revision ({{revision}})"); the values are not known here.
  return `${runbookById(s.runbook)?.title ?? s.runbook}: ${stepTitleOf(s.runbook, s.step)}`;
}

function annotationTone(a: Annotation): DraftTimelineEntry['tone'] {
  return a.kind === 'action' ? 'ok' : a.kind === 'hypothesis' ? 'warning' : 'info';
}

export function mergedTimeline(input: PostmortemInput, to: number): DraftTimelineEntry[] {
  const { dossier: d } = input;
  const inc = d.incident;
  const out: DraftTimelineEntry[] = [];
  out.push({ key: 'incident:from', t: inc.from, until: null, source: 'incident', cluster: null, text: 'Impact starts', who: null, tone: 'critical' });
  out.push({ key: 'incident:created', t: inc.createdAt, until: null, source: 'incident', cluster: null, text: `Incident opened (${inc.severity.toUpperCase()})`, who: inc.createdBy, tone: 'info' });
  if (inc.to !== null) out.push({ key: 'incident:to', t: inc.to, until: null, source: 'incident', cluster: null, text: 'Impact ends', who: null, tone: 'ok' });
  for (const f of d.findings) {
    out.push({ key: `finding:${f.cluster}:${f.findingId}`, t: f.from, until: f.to, source: 'finding', cluster: f.cluster, text: `${f.title}: ${f.summary}`, who: null, tone: f.severity });
  }
  for (const a of d.annotations) {
    out.push({ key: `annotation:${a.id}`, t: a.from, until: a.to, source: 'annotation', cluster: a.cluster, text: `${a.kind[0]!.toUpperCase()}${a.kind.slice(1)}: ${a.text}`, who: a.author, tone: annotationTone(a) });
  }
  for (const s of d.steps) {
    const note = s.note ? ` (${s.note})` : '';
    const tone = s.status === 'failed' ? 'critical' : s.status === 'done' ? 'ok' : 'info';
    out.push({ key: `step:${s.runId}:${s.step}:${s.t}`, t: s.t, until: null, source: 'step', cluster: s.cluster, text: `Runbook step ${s.status}: ${stepTitle(s)}${note}`, who: s.by || null, tone });
  }
  for (const c of d.captures) {
    out.push({ key: `capture:${c.cluster}:${c.artifactId}`, t: c.t, until: null, source: 'capture', cluster: c.cluster, text: `${c.component} ${c.kind === 'heap' ? 'heap profile' : 'goroutine dump'} captured`, who: null, tone: 'info' });
  }
  // Warnings first, then the most repeated: a storm of Normal events should not crowd the timeline.
  const events = input.events.filter((e) => e.t >= inc.from - 5 * 60_000 && e.t <= to)
    .sort((a, b) => Number(b.type === 'Warning') - Number(a.type === 'Warning') || b.count - a.count || a.t - b.t)
    .slice(0, MAX_TIMELINE_EVENTS);
  for (const e of events) {
    const times = e.count > 1 ? ` ×${e.count}` : '';
    out.push({ key: `event:${e.cluster}:${e.t}:${e.object}:${e.reason}`, t: e.t, until: null, source: 'event', cluster: e.cluster, text: `${e.reason} on ${e.object}${times}: ${e.message}`, who: null, tone: e.type === 'Warning' ? 'warning' : 'info' });
  }
  return out.sort((a, b) => a.t - b.t || SOURCE_ORDER[a.source] - SOURCE_ORDER[b.source] || a.key.localeCompare(b.key));
}

/**
 * Detection: the first signal of the incident that a person or a detector saw. A linked finding
 * counts from its evidence's start (when the detector would have fired), an annotation and the
 * incident itself from when they were written. Time to detect runs from the impact's start.
 */
export function detection(input: PostmortemInput): PostmortemDraft['detection'] {
  const { incident: inc, findings, annotations } = input.dossier;
  const candidates: Array<{ t: number; how: string }> = [
    ...findings.map((f) => ({ t: f.from, how: `detector "${f.title}" (${f.detector})` })),
    ...annotations.map((a) => ({ t: a.createdAt, how: `${a.author} noted: ${a.text}` })),
    { t: inc.createdAt, how: `incident opened by ${inc.createdBy}` },
  ];
  const first = candidates.filter((c) => c.t >= inc.from).sort((a, b) => a.t - b.t)[0] ?? candidates.sort((a, b) => a.t - b.t)[0]!;
  const ttd = Math.max(0, first.t - inc.from);
  return {
    at: first.t, how: first.how, timeToDetectMs: ttd,
    text: `First detected at ${formatUtc(first.t)} by ${first.how}, ${formatDuration(ttd)} after impact started.`,
  };
}

/**
 * Worst first; among equals, a finding a person linked (the one the incident was declared from)
 * before those the detectors linked on their own, then the earliest.
 */
function worstFirst(f: LinkedFinding[]): LinkedFinding[] {
  const byPerson = (x: LinkedFinding) => (x.linkedBy === 'detector' ? 1 : 0);
  return [...f].sort((a, b) => SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] || byPerson(a) - byPerson(b) || a.from - b.from);
}

function rootCause(input: PostmortemInput): string {
  const top = worstFirst(input.dossier.findings)[0];
  const hypotheses = input.dossier.annotations.filter((a) => a.kind === 'hypothesis');
  const parts: string[] = [];
  if (top) {
    const det = detectorOf(top.detector);
    parts.push(`Suggested from the finding "${top.title}": ${det?.explanation ?? top.summary}`);
    if (top.facts.length) parts.push(`Evidence: ${top.facts.join('; ')}.`);
  }
  for (const h of hypotheses) parts.push(`Hypothesis (${h.author}): ${h.text}`);
  if (!parts.length) parts.push('To be written: no finding was linked to this incident.');
  return parts.join('\n\n');
}

function contributingFactors(input: PostmortemInput): string[] {
  const [, ...rest] = worstFirst(input.dossier.findings);
  const out = rest.map((f) => `${f.title}: ${f.summary}`);
  for (const g of input.goroutines) {
    for (const k of g.knownIssues) out.push(`Known issue ${k.id} matched in ${g.component} (${k.count.toLocaleString('en-US')} goroutines): ${k.title}${k.fixedIn ? ` (fixed in ${k.fixedIn})` : ''}`);
  }
  return [...new Set(out)];
}

function actionItems(input: PostmortemInput): ActionItem[] {
  const out: ActionItem[] = [];
  const seen = new Set<string>();
  const add = (text: string) => { if (!seen.has(text)) { seen.add(text); out.push({ text, owner: '', status: 'open' }); } };
  for (const f of worstFirst(input.dossier.findings)) {
    const det = detectorOf(f.detector);
    const rb = det?.runbook ? runbookById(det.runbook) : undefined;
    if (rb) add(`Review the "${rb.title}" runbook against what happened, and alert before "${f.title}" recurs`);
    else add(`Alert before "${f.title}" recurs`);
  }
  // The last status of each step: one still pending or failed is work left.
  const last = new Map<string, IncidentStep>();
  for (const s of [...input.dossier.steps].sort((a, b) => a.t - b.t)) last.set(`${s.runId}:${s.step}`, s);
  for (const s of last.values()) if (s.status === 'failed' || s.status === 'pending') add(`Finish: ${stepTitle(s)}${s.status === 'failed' ? ' (failed during the incident)' : ''}`);
  for (const a of input.dossier.annotations) if (a.kind === 'action' && /\b(todo|follow[- ]up|later)\b/i.test(a.text)) add(a.text);
  return out;
}

function impact(input: PostmortemInput, from: number, to: number, ongoing: boolean): string {
  const names = input.dossier.incident.clusters.map((c) => input.clusterNames[c] ?? c).join(', ');
  const errors = input.audit.flatMap((a) => a.errors.filter((e) => e.code >= 500)).sort((a, b) => b.count - a.count)[0];
  const lines = [`${ongoing ? 'Ongoing since' : 'From'} ${formatUtc(from)}${ongoing ? '' : ` to ${formatUtc(to, from)}`} (${formatDuration(to - from)}) on ${names || 'no cluster'}.`];
  if (errors) lines.push(`The apiserver answered ${errors.count.toLocaleString('en-US')} requests with ${errors.code}${errors.message ? ` "${errors.message}"` : ''} (audit log${errors.message ? '' : ', which at this level records the code only'}).`);
  else {
    // Without an audit log, the 5xx panel's peak in the window says how bad it got.
    let peak: number | null = null;
    for (const c of input.charts) if (c.panelId === 'apiserver-errors') for (const sr of c.series) for (const [t, v] of sr.points) if (t >= from && t <= to && v !== null && (peak === null || v > peak)) peak = v;
    if (peak !== null && peak > 0) lines.push(`The apiserver answered up to ${formatUnitValue('ops', peak)} requests with 5xx errors (metrics).`);
  }
  return lines.join(' ');
}

export function assembleDraft(input: PostmortemInput): PostmortemDraft {
  const inc = input.dossier.incident;
  const ongoing = inc.to === null;
  const to = inc.to ?? Math.max(inc.from, input.now);
  const authors = [...new Set([inc.createdBy, ...input.dossier.annotations.map((a) => a.author), ...input.dossier.steps.map((s) => s.by)].filter(Boolean))];
  return {
    incidentId: inc.id,
    title: inc.title,
    severity: inc.severity,
    status: inc.status,
    clusters: inc.clusters.map((id) => ({ id, name: input.clusterNames[id] ?? id })),
    authors,
    window: { from: inc.from, to, ongoing, durationMs: to - inc.from },
    summary: inc.summary || 'To be written: what happened, who was affected, how it was resolved.',
    impact: impact(input, inc.from, to, ongoing),
    detection: detection(input),
    timeline: mergedTimeline(input, to),
    rootCause: rootCause(input),
    contributingFactors: contributingFactors(input),
    actionItems: actionItems(input),
    lessons: '',
    evidence: { charts: input.charts, goroutines: input.goroutines, heap: input.heap, events: input.events, audit: input.audit },
    edited: null,
  };
}

/** The assembled draft with the team's saved edits over it. */
export function applyEdits(draft: PostmortemDraft, edits: DraftEdits, edited: { at: number; by: string } | null = null): PostmortemDraft {
  const hidden = new Set(edits.hiddenTimeline ?? []);
  const reworded = edits.timelineText ?? {};
  return {
    ...draft,
    summary: edits.summary ?? draft.summary,
    impact: edits.impact ?? draft.impact,
    detection: edits.detection !== undefined ? { ...draft.detection, text: edits.detection } : draft.detection,
    rootCause: edits.rootCause ?? draft.rootCause,
    contributingFactors: edits.contributingFactors ?? draft.contributingFactors,
    actionItems: edits.actionItems ?? draft.actionItems,
    lessons: edits.lessons ?? draft.lessons,
    timeline: draft.timeline.filter((e) => !hidden.has(e.key)).map((e) => (Object.hasOwn(reworded, e.key) ? { ...e, text: reworded[e.key]! } : e)),
    edited,
  };
}

/** A cluster's display name in the draft (its id when the draft does not know it). */
export function clusterLabel(d: Pick<PostmortemDraft, 'clusters'>, id: string): string {
  return d.clusters.find((c) => c.id === id)?.name ?? id;
}
