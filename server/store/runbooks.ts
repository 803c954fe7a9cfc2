import 'server-only';
import type { DB } from './db';

export type StepStatus = 'done' | 'skipped' | 'failed' | 'pending';

export interface RunRow {
  id: number;
  cluster: string;
  runbook: string;
  incidentId: string | null;
  finding: string | null;
  startedAt: number;
  startedBy: string;
  closedAt: number | null;
  inputs: Record<string, string>;
}

export interface StepLogRow { id: number; step: string; status: StepStatus; by: string; t: number; note: string; detail: Record<string, unknown> }

type RawRun = { id: number; cluster_id: string; runbook: string; incident_id: string | null; finding: string | null; started_at: number; started_by: string; closed_at: number | null; inputs: string };
const toRun = (r: RawRun): RunRow => ({
  id: r.id, cluster: r.cluster_id, runbook: r.runbook, incidentId: r.incident_id, finding: r.finding,
  startedAt: r.started_at, startedBy: r.started_by, closedAt: r.closed_at, inputs: JSON.parse(r.inputs) as Record<string, string>,
});

/** Runbook runs and their step log (migration 3). */
export class RunbookStore {
  constructor(private readonly db: DB) {}

  create(r: { cluster: string; runbook: string; finding?: string; by: string; t: number; inputs: Record<string, string> }): number {
    return Number(this.db.prepare('INSERT INTO runbook_runs (cluster_id, runbook, finding, started_at, started_by, inputs) VALUES (?, ?, ?, ?, ?, ?)')
      .run(r.cluster, r.runbook, r.finding ?? null, r.t, r.by, JSON.stringify(r.inputs)).lastInsertRowid);
  }

  get(cluster: string, id: number): RunRow | null {
    const r = this.db.prepare<[string, number], RawRun>('SELECT * FROM runbook_runs WHERE cluster_id = ? AND id = ?').get(cluster, id);
    return r ? toRun(r) : null;
  }

  list(cluster: string, limit = 50): RunRow[] {
    return this.db.prepare<[string, number], RawRun>('SELECT * FROM runbook_runs WHERE cluster_id = ? ORDER BY started_at DESC LIMIT ?').all(cluster, limit).map(toRun);
  }

  setInputs(cluster: string, id: number, inputs: Record<string, string>): void {
    this.db.prepare('UPDATE runbook_runs SET inputs = ? WHERE cluster_id = ? AND id = ?').run(JSON.stringify(inputs), cluster, id);
  }

  close(cluster: string, id: number, t: number | null): void {
    this.db.prepare('UPDATE runbook_runs SET closed_at = ? WHERE cluster_id = ? AND id = ?').run(t, cluster, id);
  }

  log(runId: number, e: { step: string; status: StepStatus; by: string; t: number; note?: string; detail?: Record<string, unknown> }): void {
    this.db.prepare('INSERT INTO runbook_step_log (run_id, step, status, by, t, note, detail) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(runId, e.step, e.status, e.by, e.t, e.note ?? '', JSON.stringify(e.detail ?? {}));
  }

  history(runId: number): StepLogRow[] {
    return this.db.prepare<[number], { id: number; step: string; status: StepStatus; by: string; t: number; note: string; detail: string }>(
      'SELECT id, step, status, by, t, note, detail FROM runbook_step_log WHERE run_id = ? ORDER BY id',
    ).all(runId).map((r) => ({ ...r, detail: JSON.parse(r.detail) as Record<string, unknown> }));
  }
}
