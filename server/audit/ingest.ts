import 'server-only';
// Turns parsed audit events into store rows, in batches: per-minute rollups by dimension (at most
// KEYS_PER_MINUTE keys per minute and dimension, the rest in "(other)", so a client that invents a
// user agent per request cannot blow up the table), errors per minute, the per-request index of
// final resource events (write bodies redacted), and latency sketches by verb and resource.
import type { AuditEvent } from '@/lib/audit/event';
import { resourceKey, requestPath } from '@/lib/audit/event';
import { errorPattern, isFinalStage } from '@/lib/audit/analyze';
import { redactBody } from '@/lib/audit/redact';
import { LatencySketch } from '@/lib/audit/sketch';
import type { SketchData } from '@/lib/audit/sketch';
import type { AuditDim, AuditStore, ErrorRow, RequestRow, RollupRow } from './store';

const KEYS_PER_MINUTE = 100;
const MAX_KEY = 300;
const BATCH_ROWS = 5000;
const BATCH_MS = 1000;
const WRITES = new Set(['create', 'update', 'patch']);

export class AuditIngestor {
  private rollups = new Map<string, RollupRow>();
  private errors = new Map<string, ErrorRow>();
  private requests: RequestRow[] = [];
  private readonly keysSeen = new Map<string, Set<string>>();
  private readonly latency: Record<'verb' | 'resource', Map<string, LatencySketch>> = { verb: new Map(), resource: new Map() };
  private lastFlush = Date.now();
  events = 0;
  bytes = 0;

  constructor(private readonly store: AuditStore, readonly sourceId: number, private readonly clusterId: string) {}

  private roll(dim: AuditDim, minute: number, rawKey: string, bytes: number): void {
    let key = rawKey.length > MAX_KEY ? `${rawKey.slice(0, MAX_KEY)}…` : rawKey;
    const mk = `${dim}\u0000${minute}`;
    let seen = this.keysSeen.get(mk);
    if (!seen) { seen = new Set(); this.keysSeen.set(mk, seen); }
    if (!seen.has(key)) {
      if (seen.size >= KEYS_PER_MINUTE) key = '(other)';
      else seen.add(key);
    }
    const k = `${mk}\u0000${key}`;
    const r = this.rollups.get(k);
    if (r) { r.events++; r.bytes += bytes; } else this.rollups.set(k, { dim, minute, key, events: 1, bytes });
  }

  private sketch(kind: 'verb' | 'resource', key: string): LatencySketch {
    const m = this.latency[kind];
    let s = m.get(key);
    if (!s) {
      const k = m.size >= 256 ? '(other)' : key;
      s = m.get(k) ?? new LatencySketch();
      m.set(k, s);
    }
    return s;
  }

  add(e: AuditEvent, bytes: number): void {
    this.events++;
    this.bytes += bytes;
    const ms = e.stageUs / 1000;
    if (Number.isFinite(ms)) {
      const minute = Math.floor(ms / 60_000) * 60_000;
      this.roll('total', minute, '', bytes);
      this.roll('userAgent', minute, e.userAgent || '(none)', bytes);
      this.roll('user', minute, e.user.username || '(anonymous)', bytes);
      this.roll('verb', minute, e.verb || '(none)', bytes);
      this.roll('resource', minute, e.objectRef?.resource ? resourceKey(e.objectRef) : `(non-resource) ${requestPath(e.requestURI).slice(0, 128)}`, bytes);
      this.roll('namespace', minute, e.objectRef?.namespace || '(cluster-scoped)', bytes);
      this.roll('sourceIP', minute, e.sourceIPs[0] ?? '(none)', bytes);
      this.roll('stage', minute, e.stage, bytes);
      this.roll('level', minute, e.level, bytes);
      if (isFinalStage(e.stage)) {
        const code = e.responseStatus?.code ?? (e.stage === 'Panic' ? 500 : 0);
        if (code >= 400) {
          const rs = e.responseStatus;
          const message = (rs?.message || (rs?.reason ? `(${rs.reason})` : '')).slice(0, 400);
          const pattern = errorPattern(message);
          const k = `${minute}\u0000${code}\u0000${pattern}`;
          const r = this.errors.get(k);
          if (r) r.count++; else this.errors.set(k, { minute, code, pattern, message, count: 1 });
        }
        if (e.objectRef?.resource) {
          const r = e.objectRef;
          this.requests.push({
            t: Math.round(ms), verb: e.verb, apiGroup: r.apiGroup, resource: r.resource, subresource: r.subresource, namespace: r.namespace, name: r.name,
            username: e.user.username, userAgent: e.userAgent.slice(0, MAX_KEY), sourceIP: e.sourceIPs[0] ?? '', code: e.responseStatus?.code ?? null, auditID: e.auditID,
            request: WRITES.has(e.verb) && e.requestObject !== undefined ? JSON.stringify(redactBody(e.requestObject, r)).slice(0, 2048) : null,
          });
        }
      }
    }
    if (e.stage === 'ResponseComplete') {
      const lat = e.stageUs - e.requestReceivedUs;
      if (Number.isFinite(lat) && lat >= 0) {
        this.sketch('verb', e.verb || '(none)').add(lat);
        this.sketch('resource', resourceKey(e.objectRef)).add(lat);
      }
    }
    if (this.rollups.size + this.errors.size + this.requests.length >= BATCH_ROWS || Date.now() - this.lastFlush >= BATCH_MS) this.flush();
  }

  latencyData(): Record<string, Record<string, SketchData>> {
    const out: Record<string, Record<string, SketchData>> = {};
    for (const kind of ['verb', 'resource'] as const) out[kind] = Object.fromEntries([...this.latency[kind]].map(([k, s]) => [k, s.toJSON()]));
    return out;
  }

  flush(): void {
    this.lastFlush = Date.now();
    if (this.rollups.size + this.errors.size + this.requests.length === 0) return;
    this.store.writeBatch(this.sourceId, this.clusterId, [...this.rollups.values()], [...this.errors.values()], this.requests);
    this.rollups = new Map();
    this.errors = new Map();
    this.requests = [];
    // Keep key sets only for the last minutes: events arrive roughly in time order.
    if (this.keysSeen.size > 5000) this.keysSeen.clear();
  }
}
