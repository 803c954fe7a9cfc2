import 'server-only';
// What the audit API routes return: bounded summaries over a time range (the whole data range by
// default, since audit logs are often uploaded long after the fact).
import { LatencySketch } from '@/lib/audit/sketch';
import type { LatencyStats } from '@/lib/audit/sketch';
import type { ClusterEntry, Runtime } from '../runtime';
import { parseTimeExpr } from '@/lib/timeline/time-range';
import { HttpError } from '../api/handler';
import { clusterNow } from '../views/timeline';
import { AuditStore, DIMS } from './store';
import type { AuditDim, AuditSourceRow } from './store';
import { analyzePolicyOn, uploadAudit } from './service';

/** `from`/`to`: time expressions (`now-1h`, epoch ms, ISO), "now" being the cluster's (a bundle's end); absent: the data's bounds. */
export interface AuditSummaryQuery { from?: string; to?: string; by: 'events' | 'bytes'; top: number }

export interface AuditSummaryView {
  range: { from: number; to: number } | null;
  /** What "now" meant for the range (a bundle: the end of its capture). */
  now: number;
  dataRange: { from: number; to: number } | null;
  stepMs: number;
  volume: Array<{ t: number; events: number; bytes: number }>;
  total: { events: number; bytes: number };
  top: Record<Exclude<AuditDim, 'total'>, Array<{ key: string; events: number; bytes: number }>>;
  errors: Array<{ code: number; pattern: string; message: string; count: number; first: number; last: number }>;
  errorsPerMinute: Array<{ minute: number; code: number; count: number }>;
  latency: { byVerb: Array<{ key: string } & LatencyStats>; byResource: Array<{ key: string } & LatencyStats> };
  sources: AuditSourceRow[];
}

function mergeLatency(rows: Array<Record<string, Record<string, import('@/lib/audit/sketch').SketchData>>>, kind: string) {
  const m = new Map<string, LatencySketch>();
  for (const r of rows) {
    for (const [k, d] of Object.entries(r[kind] ?? {})) {
      const s = LatencySketch.fromJSON(d);
      const cur = m.get(k);
      if (cur) cur.merge(s); else m.set(k, s);
    }
  }
  return [...m].map(([key, s]) => ({ key, ...s.stats() })).sort((a, b) => b.count - a.count).slice(0, 50);
}

export function auditSummary(rt: Runtime, entry: ClusterEntry, q: AuditSummaryQuery): AuditSummaryView {
  const audit = new AuditStore(rt.store.db);
  const dataRange = audit.range(entry.id);
  const sources = audit.sources(entry.id, 20).map((s) => ({ ...s, file: null }));
  const empty = Object.fromEntries(DIMS.filter((d) => d !== 'total').map((d) => [d, []])) as unknown as AuditSummaryView['top'];
  const now = clusterNow(entry);
  const at = (expr: string | undefined, fallback: number | undefined): number | undefined => {
    if (expr === undefined) return fallback;
    const t = parseTimeExpr(expr, now);
    if (t === null) throw new HttpError(400, `cannot read the time "${expr}" (use now-1h, an epoch in ms, or an ISO time)`);
    return t;
  };
  const asked = { from: at(q.from, undefined), to: at(q.to, undefined) };
  if (!dataRange) return { range: null, now, dataRange: null, stepMs: 60_000, volume: [], total: { events: 0, bytes: 0 }, top: empty, errors: [], errorsPerMinute: [], latency: { byVerb: [], byResource: [] }, sources };
  const from = Math.floor((asked.from ?? dataRange.from) / 60_000) * 60_000;
  const to = asked.to ?? (q.from !== undefined ? now : dataRange.to);
  if (!(to > from)) throw new HttpError(400, 'to must be after from');
  // About 240 points at most on the volume chart.
  const stepMs = Math.max(60_000, Math.ceil((to - from) / 240 / 60_000) * 60_000);
  const top = { ...empty };
  let total = { events: 0, bytes: 0 };
  for (const d of DIMS) {
    if (d === 'total') continue;
    const r = audit.top(entry.id, d, from, to, q.by, q.top);
    top[d] = r.rows;
    total = r.total;
  }
  const errs = audit.errors(entry.id, from, to, 100);
  const lat = audit.latencies(entry.id);
  return {
    range: { from, to }, now, dataRange, stepMs, volume: audit.volume(entry.id, from, to, stepMs), total, top,
    errors: errs.list, errorsPerMinute: errs.perMinute,
    latency: { byVerb: mergeLatency(lat, 'verb'), byResource: mergeLatency(lat, 'resource') },
    sources,
  };
}

export function auditTouches(rt: Runtime, entry: ClusterEntry, q: { resource: string; name: string; namespace?: string; group?: string; limit: number }) {
  const r = new AuditStore(rt.store.db).touches(entry.id, { resource: q.resource, name: q.name, namespace: q.namespace, apiGroup: q.group }, q.limit);
  return { query: q, total: r.total, rows: r.rows };
}

export async function auditUpload(rt: Runtime, entry: ClusterEntry, req: Request, name: string) {
  return uploadAudit(rt.store, entry.id, req, name);
}

const MAX_POLICY_BYTES = 1024 * 1024;

export async function auditPolicy(rt: Runtime, entry: ClusterEntry, req: Request) {
  const len = Number(req.headers.get('content-length') ?? 0);
  if (len > MAX_POLICY_BYTES) throw new HttpError(413, `policy larger than ${MAX_POLICY_BYTES} bytes`);
  const text = await req.text();
  if (text.length > MAX_POLICY_BYTES) throw new HttpError(413, `policy larger than ${MAX_POLICY_BYTES} bytes`);
  if (text.trim() === '') throw new HttpError(400, 'empty policy');
  return analyzePolicyOn(rt.store, entry.id, text);
}
