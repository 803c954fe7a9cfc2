import 'server-only';
import crypto from 'node:crypto';
import type {
  Annotation, AnnotationKind, Incident, IncidentCapture, IncidentChange, IncidentDossier, IncidentSeverity, IncidentStatus,
  IncidentStep, LinkedFinding,
} from '@/lib/incidents/types';
import type { Severity } from '@/lib/detectors/types';
import type { DB } from '../store/db';

/** A change as committed, before the store gives it its seq and time. */
export type ChangeBody = IncidentChange extends infer C ? (C extends unknown ? Omit<C, 'seq' | 't'> : never) : never;

export type IncidentPatch = Partial<Pick<Incident, 'title' | 'severity' | 'status' | 'summary' | 'from' | 'to' | 'clusters'>>;

type RawIncident = {
  id: string; title: string; severity: IncidentSeverity; status: IncidentStatus; clusters: string; from_t: number; to_t: number | null;
  created_at: number; created_by: string; updated_at: number; summary: string; seq: number;
};
type RawAnnotation = { id: number; incident_id: string; cluster_id: string; from_t: number; to_t: number | null; kind: AnnotationKind; text: string; author: string; created_at: number };
type RawFinding = {
  incident_id: string; cluster_id: string; finding_id: string; detector: string; title: string; severity: Severity; summary: string;
  from_t: number; to_t: number; facts: string; linked_at: number; linked_by: string;
};

const toIncident = (r: RawIncident): Incident => ({
  id: r.id, title: r.title, severity: r.severity, status: r.status, clusters: JSON.parse(r.clusters) as string[], from: r.from_t, to: r.to_t,
  createdAt: r.created_at, createdBy: r.created_by, updatedAt: r.updated_at, summary: r.summary,
});
const toAnnotation = (r: RawAnnotation): Annotation => ({
  id: r.id, incidentId: r.incident_id, cluster: r.cluster_id, from: r.from_t, to: r.to_t, kind: r.kind, text: r.text, author: r.author, createdAt: r.created_at,
});
const toFinding = (r: RawFinding): LinkedFinding => ({
  incidentId: r.incident_id, cluster: r.cluster_id, findingId: r.finding_id, detector: r.detector, title: r.title, severity: r.severity,
  summary: r.summary, from: r.from_t, to: r.to_t, facts: JSON.parse(r.facts) as string[], linkedAt: r.linked_at, linkedBy: r.linked_by,
});

/** 10 characters of base32 (50 bits): short enough for a link, not enumerable. */
export function newIncidentId(): string {
  const alphabet = 'abcdefghijkmnpqrstuvwxyz23456789';
  return Array.from(crypto.randomBytes(10), (b) => alphabet[b & 31]).join('');
}

/**
 * Incidents and everything hung on them (migration 6). Every write commits its change to the
 * incident's log in the same transaction, then hands it to `onCommit` (the live hub): a change is
 * never announced that is not stored, and a screen that reconnects finds it in `changesSince`.
 */
export class IncidentStore {
  constructor(private readonly db: DB, private readonly onCommit?: (incidentId: string, change: IncidentChange) => void) {}

  private commit<T>(incidentId: string, t: number, write: () => { value: T; change: ChangeBody } | null): T | null {
    const tx = this.db.transaction(() => {
      const out = write();
      if (!out) return null;
      const row = this.db.prepare<[string], { seq: number }>('UPDATE incidents SET seq = seq + 1 WHERE id = ? RETURNING seq').get(incidentId);
      if (!row) throw new Error(`no incident ${incidentId}`);
      const change = { ...out.change, seq: row.seq, t } as IncidentChange;
      this.db.prepare('INSERT INTO incident_changes (incident_id, seq, t, body) VALUES (?, ?, ?, ?)').run(incidentId, row.seq, t, JSON.stringify(change));
      return { value: out.value, change };
    });
    const done = tx();
    if (!done) return null;
    this.onCommit?.(incidentId, done.change);
    return done.value;
  }

  create(c: { title: string; severity: IncidentSeverity; clusters: string[]; from: number; to?: number | null; summary?: string; by: string; t: number; status?: IncidentStatus }): Incident {
    const id = newIncidentId();
    this.db.prepare(`INSERT INTO incidents (id, title, severity, status, clusters, from_t, to_t, created_at, created_by, updated_at, summary)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
      .run(id, c.title, c.severity, c.status ?? 'investigating', JSON.stringify(c.clusters), c.from, c.to ?? null, c.t, c.by, c.t, c.summary ?? '');
    return this.commit(id, c.t, () => { const incident = this.get(id)!; return { value: incident, change: { type: 'incident', incident } }; })!;
  }

  get(id: string): Incident | null {
    const r = this.db.prepare<[string], RawIncident>('SELECT * FROM incidents WHERE id = ?').get(id);
    return r ? toIncident(r) : null;
  }

  /** Newest first; `cluster`: only incidents that span it. */
  list(o: { cluster?: string; limit?: number } = {}): Incident[] {
    const rows = this.db.prepare<[number], RawIncident>('SELECT * FROM incidents ORDER BY created_at DESC LIMIT ?').all(o.limit ?? 200).map(toIncident);
    return o.cluster ? rows.filter((i) => i.clusters.includes(o.cluster!)) : rows;
  }

  update(id: string, p: IncidentPatch, t: number): Incident | null {
    if (!this.get(id)) return null;
    return this.commit(id, t, () => {
      const cur = this.get(id)!;
      const next = { ...cur, ...p, updatedAt: t };
      this.db.prepare('UPDATE incidents SET title = ?, severity = ?, status = ?, clusters = ?, from_t = ?, to_t = ?, summary = ?, updated_at = ? WHERE id = ?')
        .run(next.title, next.severity, next.status, JSON.stringify(next.clusters), next.from, next.to, next.summary, t, id);
      const incident = this.get(id)!;
      return { value: incident, change: { type: 'incident', incident } };
    });
  }

  addAnnotation(a: Omit<Annotation, 'id' | 'createdAt'> & { createdAt: number }): Annotation | null {
    if (!this.get(a.incidentId)) return null;
    return this.commit(a.incidentId, a.createdAt, () => {
      const id = Number(this.db.prepare('INSERT INTO incident_annotations (incident_id, cluster_id, from_t, to_t, kind, text, author, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
        .run(a.incidentId, a.cluster, a.from, a.to, a.kind, a.text, a.author, a.createdAt).lastInsertRowid);
      const annotation = this.annotation(a.incidentId, id)!;
      return { value: annotation, change: { type: 'annotation', annotation } };
    });
  }

  annotation(incidentId: string, id: number): Annotation | null {
    const r = this.db.prepare<[string, number], RawAnnotation>('SELECT * FROM incident_annotations WHERE incident_id = ? AND id = ?').get(incidentId, id);
    return r ? toAnnotation(r) : null;
  }

  deleteAnnotation(incidentId: string, id: number, t: number): boolean {
    return this.commit(incidentId, t, () => {
      const n = this.db.prepare('DELETE FROM incident_annotations WHERE incident_id = ? AND id = ?').run(incidentId, id).changes;
      return n ? { value: true, change: { type: 'annotation-deleted', id } } : null;
    }) ?? false;
  }

  annotations(incidentId: string): Annotation[] {
    return this.db.prepare<[string], RawAnnotation>('SELECT * FROM incident_annotations WHERE incident_id = ? ORDER BY from_t, id').all(incidentId).map(toAnnotation);
  }

  /** Annotations on one cluster that touch [from, to] (the timeline's markers); `incidentId`: that incident's only. */
  annotationsOnCluster(cluster: string, from: number, to: number, incidentId?: string): Annotation[] {
    return this.db.prepare<[string, number, number, string | null, string | null], RawAnnotation>(
      `SELECT * FROM incident_annotations WHERE cluster_id = ? AND from_t <= ? AND COALESCE(to_t, from_t) >= ?
        AND (? IS NULL OR incident_id = ?) ORDER BY from_t, id`,
    ).all(cluster, to, from, incidentId ?? null, incidentId ?? null).map(toAnnotation);
  }

  /** Links a finding (frozen as given); false when it was already linked. */
  linkFinding(f: LinkedFinding): boolean {
    if (!this.get(f.incidentId)) return false;
    return this.commit(f.incidentId, f.linkedAt, () => {
      const n = this.db.prepare(`INSERT OR IGNORE INTO incident_findings (incident_id, cluster_id, finding_id, detector, title, severity, summary, from_t, to_t, facts, linked_at, linked_by)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
        .run(f.incidentId, f.cluster, f.findingId, f.detector, f.title, f.severity, f.summary, f.from, f.to, JSON.stringify(f.facts), f.linkedAt, f.linkedBy).changes;
      return n ? { value: true, change: { type: 'finding', finding: f } } : null;
    }) ?? false;
  }

  isLinked(incidentId: string, cluster: string, findingId: string): boolean {
    return !!this.db.prepare('SELECT 1 FROM incident_findings WHERE incident_id = ? AND cluster_id = ? AND finding_id = ?').get(incidentId, cluster, findingId);
  }

  findings(incidentId: string): LinkedFinding[] {
    return this.db.prepare<[string], RawFinding>('SELECT * FROM incident_findings WHERE incident_id = ? ORDER BY from_t, linked_at').all(incidentId).map(toFinding);
  }

  linkCapture(incidentId: string, c: IncidentCapture, t: number): boolean {
    if (!this.get(incidentId)) return false;
    return this.commit(incidentId, t, () => {
      const n = this.db.prepare('INSERT OR IGNORE INTO incident_captures (incident_id, cluster_id, artifact_id, kind, component, t) VALUES (?, ?, ?, ?, ?, ?)')
        .run(incidentId, c.cluster, c.artifactId, c.kind, c.component, c.t).changes;
      return n ? { value: true, change: { type: 'capture', capture: c } } : null;
    }) ?? false;
  }

  captures(incidentId: string): IncidentCapture[] {
    return this.db.prepare<[string], { cluster_id: string; artifact_id: number; kind: 'goroutine' | 'heap'; component: string; t: number }>(
      'SELECT cluster_id, artifact_id, kind, component, t FROM incident_captures WHERE incident_id = ? ORDER BY t',
    ).all(incidentId).map((r) => ({ cluster: r.cluster_id, artifactId: r.artifact_id, kind: r.kind, component: r.component, t: r.t }));
  }

  /** Links a runbook run (runbook_runs.incident_id): its step log becomes the incident's steps. */
  linkRun(incidentId: string, cluster: string, runId: number): boolean {
    return this.db.prepare('UPDATE runbook_runs SET incident_id = ? WHERE cluster_id = ? AND id = ?').run(incidentId, cluster, runId).changes > 0;
  }

  /** The incident a run is linked to, if any. */
  incidentOfRun(runId: number): string | null {
    return this.db.prepare<[number], { incident_id: string | null }>('SELECT incident_id FROM runbook_runs WHERE id = ?').get(runId)?.incident_id ?? null;
  }

  steps(incidentId: string): IncidentStep[] {
    return this.db.prepare<[string], { run_id: number; runbook: string; cluster_id: string; step: string; status: IncidentStep['status']; by: string; t: number; note: string }>(
      `SELECT l.run_id, r.runbook, r.cluster_id, l.step, l.status, l.by, l.t, l.note
       FROM runbook_step_log l JOIN runbook_runs r ON r.id = l.run_id WHERE r.incident_id = ? ORDER BY l.t, l.id`,
    ).all(incidentId).map((r) => ({ runId: r.run_id, runbook: r.runbook, cluster: r.cluster_id, step: r.step, status: r.status, by: r.by, t: r.t, note: r.note }));
  }

  /** Announces a step already written to runbook_step_log (server/store/runbooks.ts) for a linked run. */
  stepLogged(incidentId: string, step: IncidentStep): void {
    if (!this.get(incidentId)) return;
    this.commit(incidentId, step.t, () => ({ value: true, change: { type: 'step', step } }));
  }

  dossier(id: string): IncidentDossier | null {
    const incident = this.get(id);
    if (!incident) return null;
    return { incident, annotations: this.annotations(id), findings: this.findings(id), steps: this.steps(id), captures: this.captures(id), seq: this.seq(id) };
  }

  seq(id: string): number {
    return this.db.prepare<[string], { seq: number }>('SELECT seq FROM incidents WHERE id = ?').get(id)?.seq ?? 0;
  }

  /** Changes after `seq`, oldest first (catch-up after a dropped connection). */
  changesSince(id: string, seq: number, limit = 5000): IncidentChange[] {
    return this.db.prepare<[string, number, number], { body: string }>('SELECT body FROM incident_changes WHERE incident_id = ? AND seq > ? ORDER BY seq LIMIT ?')
      .all(id, seq, limit).map((r) => JSON.parse(r.body) as IncidentChange);
  }
}
