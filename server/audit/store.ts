import 'server-only';
// Audit aggregates in the embedded store (migration 3): sources, per-minute rollups by dimension,
// errors per minute, and the per-request index behind "who touched this object". Writes come in
// batches (one transaction each) from server/audit/ingest.ts; reads are bounded GROUP BYs.
import type { DB } from '../store/db';
import type { SketchData } from '@/lib/audit/sketch';
import type { DamageReport } from '@/lib/audit/lines';

export type AuditSourceKind = 'upload' | 'path' | 'bundle';
export type AuditSourceStatus = 'ingesting' | 'following' | 'done' | 'failed';
export const DIMS = ['total', 'userAgent', 'user', 'verb', 'resource', 'namespace', 'sourceIP', 'stage', 'level'] as const;
export type AuditDim = (typeof DIMS)[number];

export interface AuditSourceRow {
  id: number;
  clusterId: string;
  kind: AuditSourceKind;
  name: string;
  file: string | null;
  status: AuditSourceStatus;
  totalBytes: number | null;
  readBytes: number;
  events: number;
  bytes: number;
  damaged: number;
  damage: DamageReport | null;
  error: string | null;
  startedAt: number;
  updatedAt: number;
}

export interface RollupRow { dim: AuditDim; minute: number; key: string; events: number; bytes: number }
export interface ErrorRow { minute: number; code: number; pattern: string; message: string; count: number }
export interface RequestRow {
  t: number; verb: string; apiGroup: string; resource: string; subresource: string; namespace: string; name: string;
  username: string; userAgent: string; sourceIP: string; code: number | null; auditID: string; request: string | null;
}

/** Retention: rows of the per-request index kept per cluster (oldest dropped first). */
export const MAX_REQUEST_ROWS = 2_000_000;

type SourceDbRow = {
  id: number; cluster_id: string; kind: AuditSourceKind; name: string; file: string | null; status: AuditSourceStatus;
  total_bytes: number | null; read_bytes: number; events: number; bytes: number; damaged: number; damage: string; error: string | null;
  started_at: number; updated_at: number;
};

function toSource(r: SourceDbRow): AuditSourceRow {
  let damage: DamageReport | null = null;
  try { const d = JSON.parse(r.damage) as DamageReport; damage = typeof d.count === 'number' ? d : null; } catch { /* empty */ }
  return {
    id: r.id, clusterId: r.cluster_id, kind: r.kind, name: r.name, file: r.file, status: r.status, totalBytes: r.total_bytes,
    readBytes: r.read_bytes, events: r.events, bytes: r.bytes, damaged: r.damaged, damage, error: r.error, startedAt: r.started_at, updatedAt: r.updated_at,
  };
}

export class AuditStore {
  constructor(private readonly db: DB) {}

  createSource(s: { clusterId: string; kind: AuditSourceKind; name: string; file: string | null; totalBytes: number | null; status: AuditSourceStatus }): number {
    const now = Date.now();
    const r = this.db.prepare('INSERT INTO audit_sources (cluster_id, kind, name, file, status, total_bytes, started_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(s.clusterId, s.kind, s.name, s.file, s.status, s.totalBytes, now, now);
    return Number(r.lastInsertRowid);
  }

  updateSource(id: number, u: Partial<{ status: AuditSourceStatus; totalBytes: number | null; readBytes: number; events: number; bytes: number; damage: DamageReport; latency: Record<string, Record<string, SketchData>>; error: string | null }>): void {
    const sets: string[] = ['updated_at = ?'];
    const args: unknown[] = [Date.now()];
    const col: Record<string, string> = { status: 'status', totalBytes: 'total_bytes', readBytes: 'read_bytes', events: 'events', bytes: 'bytes', error: 'error' };
    for (const [k, c] of Object.entries(col)) {
      if (k in u) { sets.push(`${c} = ?`); args.push((u as Record<string, unknown>)[k]); }
    }
    if (u.damage) { sets.push('damage = ?', 'damaged = ?'); args.push(JSON.stringify(u.damage), u.damage.count); }
    if (u.latency) { sets.push('latency = ?'); args.push(JSON.stringify(u.latency)); }
    this.db.prepare(`UPDATE audit_sources SET ${sets.join(', ')} WHERE id = ?`).run(...args, id);
  }

  source(id: number): AuditSourceRow | null {
    const r = this.db.prepare<[number], SourceDbRow>('SELECT * FROM audit_sources WHERE id = ?').get(id);
    return r ? toSource(r) : null;
  }

  sources(clusterId: string, limit = 50): AuditSourceRow[] {
    return this.db.prepare<[string, number], SourceDbRow>('SELECT * FROM audit_sources WHERE cluster_id = ? ORDER BY id DESC LIMIT ?').all(clusterId, limit).map(toSource);
  }

  /** Sources whose aggregates count (not failed). */
  private liveSourceIds(clusterId: string): number[] {
    return this.db.prepare<[string], { id: number }>("SELECT id FROM audit_sources WHERE cluster_id = ? AND status != 'failed'").all(clusterId).map((r) => r.id);
  }

  latencies(clusterId: string): Array<Record<string, Record<string, SketchData>>> {
    return this.db.prepare<[string], { latency: string }>("SELECT latency FROM audit_sources WHERE cluster_id = ? AND status != 'failed'").all(clusterId).map((r) => {
      try { return JSON.parse(r.latency) as Record<string, Record<string, SketchData>>; } catch { return {}; }
    });
  }

  /** One batch of aggregates, in one transaction. */
  writeBatch(sourceId: number, clusterId: string, rollups: RollupRow[], errors: ErrorRow[], requests: RequestRow[]): void {
    const up = this.db.prepare(`INSERT INTO audit_rollup (source_id, dim, minute, key, events, bytes) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT (source_id, dim, minute, key) DO UPDATE SET events = events + excluded.events, bytes = bytes + excluded.bytes`);
    const er = this.db.prepare(`INSERT INTO audit_errors (source_id, minute, code, pattern, message, count) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT (source_id, minute, code, pattern) DO UPDATE SET count = count + excluded.count`);
    const rq = this.db.prepare(`INSERT INTO audit_requests (source_id, cluster_id, t, verb, api_group, resource, subresource, namespace, name, username, user_agent, source_ip, code, audit_id, request)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`);
    this.db.transaction(() => {
      for (const r of rollups) up.run(sourceId, r.dim, r.minute, r.key, r.events, r.bytes);
      for (const e of errors) er.run(sourceId, e.minute, e.code, e.pattern, e.message, e.count);
      for (const q of requests) rq.run(sourceId, clusterId, q.t, q.verb, q.apiGroup, q.resource, q.subresource, q.namespace, q.name, q.username, q.userAgent, q.sourceIP, q.code, q.auditID, q.request);
    })();
  }

  /** Drops a source's aggregates (a followed file that was truncated is re-read from the start). */
  deleteSourceData(sourceId: number): void {
    this.db.transaction(() => {
      for (const t of ['audit_rollup', 'audit_errors', 'audit_requests']) this.db.prepare(`DELETE FROM ${t} WHERE source_id = ?`).run(sourceId);
    })();
  }

  /** Keeps the per-request index under MAX_REQUEST_ROWS per cluster, oldest first out. */
  enforceRetention(clusterId: string, maxRows = MAX_REQUEST_ROWS): number {
    const n = this.db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM audit_requests WHERE cluster_id = ?').get(clusterId)!.n;
    if (n <= maxRows) return 0;
    const cut = this.db.prepare<[string, number], { t: number }>('SELECT t FROM audit_requests WHERE cluster_id = ? ORDER BY t LIMIT 1 OFFSET ?').get(clusterId, n - maxRows);
    if (!cut) return 0;
    return this.db.prepare('DELETE FROM audit_requests WHERE cluster_id = ? AND t < ?').run(clusterId, cut.t).changes;
  }

  /** Minutes with data (ms), for the default time range. */
  range(clusterId: string): { from: number; to: number } | null {
    const ids = this.liveSourceIds(clusterId);
    if (ids.length === 0) return null;
    const r = this.db.prepare<[], { a: number | null; b: number | null }>(`SELECT MIN(minute) AS a, MAX(minute) AS b FROM audit_rollup WHERE dim = 'total' AND source_id IN (${ids.join(',')})`).get()!;
    return r.a === null || r.b === null ? null : { from: r.a, to: r.b + 60_000 };
  }

  volume(clusterId: string, from: number, to: number, stepMs: number): Array<{ t: number; events: number; bytes: number }> {
    const ids = this.liveSourceIds(clusterId);
    if (ids.length === 0) return [];
    return this.db.prepare<[number, number, number, number], { b: number; events: number; bytes: number }>(`
      SELECT (minute - ?) / ? AS b, SUM(events) AS events, SUM(bytes) AS bytes FROM audit_rollup
      WHERE dim = 'total' AND source_id IN (${ids.join(',')}) AND minute >= ? AND minute < ? GROUP BY b ORDER BY b`)
      .all(from, Math.max(60_000, Math.floor(stepMs)), from, to).map((r) => ({ t: from + r.b * Math.max(60_000, Math.floor(stepMs)), events: r.events, bytes: r.bytes }));
  }

  top(clusterId: string, dim: AuditDim, from: number, to: number, by: 'events' | 'bytes', limit: number): { rows: Array<{ key: string; events: number; bytes: number }>; total: { events: number; bytes: number } } {
    const ids = this.liveSourceIds(clusterId);
    if (ids.length === 0) return { rows: [], total: { events: 0, bytes: 0 } };
    const where = `dim = ? AND source_id IN (${ids.join(',')}) AND minute >= ? AND minute < ?`;
    const rows = this.db.prepare<[string, number, number, number], { key: string; events: number; bytes: number }>(
      `SELECT key, SUM(events) AS events, SUM(bytes) AS bytes FROM audit_rollup WHERE ${where} GROUP BY key ORDER BY ${by === 'bytes' ? 'bytes' : 'events'} DESC, key LIMIT ?`,
    ).all(dim, from, to, limit);
    const total = this.db.prepare<[string, number, number], { events: number | null; bytes: number | null }>(`SELECT SUM(events) AS events, SUM(bytes) AS bytes FROM audit_rollup WHERE ${where}`).get('total', from, to)!;
    return { rows, total: { events: total.events ?? 0, bytes: total.bytes ?? 0 } };
  }

  errors(clusterId: string, from: number, to: number, limit: number) {
    const ids = this.liveSourceIds(clusterId);
    if (ids.length === 0) return { list: [], perMinute: [] };
    const where = `source_id IN (${ids.join(',')}) AND minute >= ? AND minute < ?`;
    const list = this.db.prepare<[number, number, number], { code: number; pattern: string; message: string; count: number; first: number; last: number }>(
      `SELECT code, pattern, MIN(message) AS message, SUM(count) AS count, MIN(minute) AS first, MAX(minute) AS last FROM audit_errors WHERE ${where} GROUP BY code, pattern ORDER BY count DESC LIMIT ?`,
    ).all(from, to, limit);
    const perMinute = this.db.prepare<[number, number], { minute: number; code: number; count: number }>(
      `SELECT minute, code, SUM(count) AS count FROM audit_errors WHERE ${where} GROUP BY minute, code ORDER BY minute LIMIT 20000`,
    ).all(from, to);
    return { list, perMinute };
  }

  touches(clusterId: string, q: { resource: string; name: string; namespace?: string; apiGroup?: string }, limit: number): { total: number; rows: RequestRow[] } {
    let where = 'cluster_id = ? AND resource = ? AND name = ?';
    const args: Array<string | number> = [clusterId, q.resource, q.name];
    if (q.namespace !== undefined) { where += ' AND namespace = ?'; args.push(q.namespace); }
    if (q.apiGroup !== undefined) { where += ' AND api_group = ?'; args.push(q.apiGroup); }
    const total = this.db.prepare<typeof args, { n: number }>(`SELECT COUNT(*) AS n FROM audit_requests WHERE ${where}`).get(...args)!.n;
    const rows = this.db.prepare<typeof args, {
      t: number; verb: string; api_group: string; resource: string; subresource: string; namespace: string; name: string;
      username: string; user_agent: string; source_ip: string; code: number | null; audit_id: string; request: string | null;
    }>(`SELECT * FROM audit_requests WHERE ${where} ORDER BY t DESC LIMIT ${Math.floor(limit)}`).all(...args);
    return {
      total,
      rows: rows.map((r) => ({
        t: r.t, verb: r.verb, apiGroup: r.api_group, resource: r.resource, subresource: r.subresource, namespace: r.namespace, name: r.name,
        username: r.username, userAgent: r.user_agent, sourceIP: r.source_ip, code: r.code, auditID: r.audit_id, request: r.request,
      })),
    };
  }
}
