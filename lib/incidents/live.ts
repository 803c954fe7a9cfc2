// The war room's client state, kept pure: applying a pushed change to the dossier, and the feed
// that merges annotations, findings, steps and captures by time.
import type { Annotation, IncidentChange, IncidentDossier } from './types';

/** Applies one change; a change the dossier already includes (seq ≤ dossier.seq) is ignored. */
export function applyChange(d: IncidentDossier, c: IncidentChange): IncidentDossier {
  if (c.seq <= d.seq) return d;
  const next = { ...d, seq: c.seq };
  switch (c.type) {
    case 'incident': return { ...next, incident: c.incident };
    case 'annotation': return { ...next, annotations: [...d.annotations.filter((a) => a.id !== c.annotation.id), c.annotation].sort((a, b) => a.from - b.from || a.id - b.id) };
    case 'annotation-deleted': return { ...next, annotations: d.annotations.filter((a) => a.id !== c.id) };
    case 'finding': return d.findings.some((f) => f.cluster === c.finding.cluster && f.findingId === c.finding.findingId) ? next : { ...next, findings: [...d.findings, c.finding] };
    case 'step': return { ...next, steps: [...d.steps, c.step] };
    case 'capture': return d.captures.some((x) => x.cluster === c.capture.cluster && x.artifactId === c.capture.artifactId) ? next : { ...next, captures: [...d.captures, c.capture] };
  }
}

export type FeedItem =
  | { key: string; t: number; type: 'annotation'; who: string; annotation: Annotation }
  | { key: string; t: number; type: 'finding'; who: string; finding: IncidentDossier['findings'][number] }
  | { key: string; t: number; type: 'step'; who: string; step: IncidentDossier['steps'][number] }
  | { key: string; t: number; type: 'capture'; who: string; capture: IncidentDossier['captures'][number] };

/**
 * Everything that happened, newest first. An annotation sits at the time it describes, a finding
 * at the start of its evidence, a step and a capture when they were done.
 */
export function feedOf(d: IncidentDossier): FeedItem[] {
  const items: FeedItem[] = [
    ...d.annotations.map((a): FeedItem => ({ key: `a${a.id}`, t: a.from, type: 'annotation', who: a.author, annotation: a })),
    ...d.findings.map((f): FeedItem => ({ key: `f${f.cluster}/${f.findingId}`, t: f.from, type: 'finding', who: f.linkedBy, finding: f })),
    ...d.steps.map((s, i): FeedItem => ({ key: `s${s.runId}/${s.step}/${s.t}/${i}`, t: s.t, type: 'step', who: s.by, step: s })),
    ...d.captures.map((c): FeedItem => ({ key: `c${c.cluster}/${c.artifactId}`, t: c.t, type: 'capture', who: '', capture: c })),
  ];
  return items.sort((a, b) => b.t - a.t || a.key.localeCompare(b.key));
}

/** The chart range for an incident: its window with a margin either side (a quarter, 5 to 60 min). */
export function incidentRange(i: { from: number; to: number | null }, now: number): { from: number; to: number } {
  const end = i.to ?? now;
  const margin = Math.min(60 * 60_000, Math.max(5 * 60_000, (end - i.from) / 4));
  return { from: Math.floor(i.from - margin), to: i.to === null ? now : Math.ceil(Math.min(now, end + margin)) };
}
