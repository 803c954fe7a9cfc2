// Streaming audit-log analysis: feed events (from AuditLineReader) with add(), read the summary with
// summary(). Everything kept is bounded: capped counters for keys clients choose, fixed-size maps
// for time buckets, log-bucket sketches for latency, a bounded list for the object search.
//
// Counting rules:
// - `events` and `bytes` count every line as written, whatever its stage: that is what fills the
//   disk. A request logged with RequestReceived and ResponseComplete is two events.
// - `requests` counts final events (ResponseComplete or Panic).
// - latency is stageTimestamp − requestReceivedTimestamp of ResponseComplete events;
// - errors are final events with responseStatus.code >= 400. At Metadata level the apiserver keeps
//   the status code but not the message (control-plane-facts §9), so messages can be empty.
import { CappedCounter } from './topk';
import type { TopList } from './topk';
import { LatencySketch } from './sketch';
import type { LatencyStats } from './sketch';
import { redactBody } from './redact';
import { LEVELS, STAGES, requestPath, resourceKey } from './event';
import type { AuditEvent, AuditLevel, AuditStage } from './event';

export interface ObjectQuery {
  /** Plural resource, optionally with `/subresource` (`pods`, `pods/log`); required. */
  resource: string;
  /** API group ('' is core); any group when undefined. */
  apiGroup?: string;
  namespace?: string;
  name?: string;
}

export interface ObjectTouch {
  time: string;
  verb: string;
  user: string;
  userAgent: string;
  sourceIP: string;
  code: number | null;
  resource: string;
  namespace: string;
  name: string;
  requestURI: string;
  auditID: string;
  line: number;
  /** The request body of a write (create/update/patch), redacted (lib/audit/redact.ts) and cut to 2 KiB; null otherwise. */
  request: string | null;
}

export interface AuditAnalyzerOptions {
  /** Distinct keys kept per dimension before folding (default 4096). */
  topCapacity?: number;
  /** Entries in each top list of the summary (default 20). */
  topN?: number;
  /** Object search: final events on this object are listed (the latest `touchLimit`). */
  touches?: ObjectQuery;
  touchLimit?: number;
}

export interface TopPair {
  byCount: TopList;
  byBytes: TopList;
}

export interface AuditErrorEntry {
  code: number;
  /** The first message seen for this pattern. */
  message: string;
  /** The message with quoted names replaced by "…", which is what errors are grouped by. */
  pattern: string;
  count: number;
  first: string;
  last: string;
}

export interface AuditSummary {
  events: number;
  bytes: number;
  requests: number;
  from: string | null;
  to: string | null;
  /** Seconds between the first and the last event. */
  seconds: number;
  stages: Record<AuditStage, { count: number; bytes: number }>;
  levels: Record<AuditLevel, { count: number; bytes: number }>;
  perHour: Array<{ hour: string; events: number; bytes: number }>;
  byUser: TopPair;
  byUserAgent: TopPair;
  byVerb: TopPair;
  byResource: TopPair;
  byNamespace: TopPair;
  bySourceIP: TopPair;
  latency: {
    overall: LatencyStats;
    byVerb: Array<{ key: string } & LatencyStats>;
    byResource: Array<{ key: string } & LatencyStats>;
  };
  errors: AuditErrorEntry[];
  errorsByCode: Array<{ code: number; count: number }>;
  errorsPerMinute: Array<{ minute: string; codes: Record<string, number> }>;
  touches: { query: ObjectQuery; total: number; latest: ObjectTouch[] } | null;
}

const HOUR = 3_600_000;
const MINUTE = 60_000;
const MAX_HOURS = 24 * 400;
const MAX_MINUTES = 60 * 24 * 31;
const MAX_MESSAGE = 400;
const MAX_LATENCY_KEYS = 256;

const WRITE_VERBS = new Set(['create', 'update', 'patch']);
const MAX_BODY_PREVIEW = 2048;
const clip = (s: string) => (s.length > MAX_BODY_PREVIEW ? `${s.slice(0, MAX_BODY_PREVIEW)}…` : s);
const iso = (ms: number) => new Date(ms).toISOString();
export const isFinalStage = (s: AuditStage) => s === 'ResponseComplete' || s === 'Panic';

function matchesQuery(e: AuditEvent, q: ObjectQuery): boolean {
  const r = e.objectRef;
  if (!r) return false;
  const res = r.subresource ? `${r.resource}/${r.subresource}` : r.resource;
  if (q.resource !== res && q.resource !== r.resource) return false;
  if (q.apiGroup !== undefined && q.apiGroup !== r.apiGroup) return false;
  if (q.namespace !== undefined && q.namespace !== r.namespace) return false;
  if (q.name !== undefined && q.name !== r.name) return false;
  return true;
}

/** Error messages name objects (`configmaps "x" not found`); group them by the rest. */
export function errorPattern(message: string): string {
  return message.replace(/"[^"]*"/g, '"…"');
}

export function toTouch(e: AuditEvent, line: number): ObjectTouch {
  return {
    time: Number.isFinite(e.stageUs) ? iso(e.stageUs / 1000) : '',
    verb: e.verb, user: e.user.username, userAgent: e.userAgent, sourceIP: e.sourceIPs[0] ?? '',
    code: e.responseStatus ? e.responseStatus.code : null,
    resource: resourceKey(e.objectRef), namespace: e.objectRef?.namespace ?? '', name: e.objectRef?.name ?? '',
    requestURI: e.requestURI.slice(0, 512), auditID: e.auditID, line,
    request: WRITE_VERBS.has(e.verb) && e.requestObject !== undefined ? clip(JSON.stringify(redactBody(e.requestObject, e.objectRef))) : null,
  };
}

export class AuditAnalyzer {
  private readonly topN: number;
  private readonly counters: Record<'user' | 'userAgent' | 'verb' | 'resource' | 'namespace' | 'sourceIP', CappedCounter>;
  private readonly errorsByKey: CappedCounter;
  private readonly errorTimes = new Map<string, { first: number; last: number; example: string }>();
  private readonly errorsByCode = new Map<number, number>();
  private readonly errorMinutes = new Map<number, Map<number, number>>();
  private readonly hours = new Map<number, { events: number; bytes: number }>();
  private readonly overall = new LatencySketch();
  private readonly latVerb = new Map<string, LatencySketch>();
  private readonly latResource = new Map<string, LatencySketch>();
  private readonly stages = Object.fromEntries(STAGES.map((s) => [s, { count: 0, bytes: 0 }])) as AuditSummary['stages'];
  private readonly levels = Object.fromEntries(LEVELS.map((l) => [l, { count: 0, bytes: 0 }])) as AuditSummary['levels'];
  private readonly touchQuery: ObjectQuery | undefined;
  private readonly touchLimit: number;
  private touchTotal = 0;
  private readonly touchList: ObjectTouch[] = [];
  events = 0;
  bytes = 0;
  requests = 0;
  private firstMs = Number.POSITIVE_INFINITY;
  private lastMs = Number.NEGATIVE_INFINITY;

  constructor(opts: AuditAnalyzerOptions = {}) {
    const cap = opts.topCapacity ?? 4096;
    this.topN = opts.topN ?? 20;
    this.counters = {
      user: new CappedCounter(cap), userAgent: new CappedCounter(cap), verb: new CappedCounter(256),
      resource: new CappedCounter(cap), namespace: new CappedCounter(cap), sourceIP: new CappedCounter(cap),
    };
    this.errorsByKey = new CappedCounter(1024);
    this.touchQuery = opts.touches;
    this.touchLimit = opts.touchLimit ?? 200;
  }

  add(e: AuditEvent, bytes: number, line: number): void {
    this.events++;
    this.bytes += bytes;
    this.stages[e.stage].count++;
    this.stages[e.stage].bytes += bytes;
    this.levels[e.level].count++;
    this.levels[e.level].bytes += bytes;
    const c = this.counters;
    c.user.add(e.user.username || '(anonymous)', bytes);
    c.userAgent.add(e.userAgent || '(none)', bytes);
    c.verb.add(e.verb || '(none)', bytes);
    c.resource.add(e.objectRef?.resource ? resourceKey(e.objectRef) : `(non-resource) ${requestPath(e.requestURI).slice(0, 128)}`, bytes);
    c.namespace.add(e.objectRef?.namespace || '(cluster-scoped)', bytes);
    c.sourceIP.add(e.sourceIPs[0] ?? '(none)', bytes);

    const ms = e.stageUs / 1000;
    if (Number.isFinite(ms)) {
      if (ms < this.firstMs) this.firstMs = ms;
      if (ms > this.lastMs) this.lastMs = ms;
      const h = Math.floor(ms / HOUR) * HOUR;
      const hb = this.hours.get(h);
      if (hb) { hb.events++; hb.bytes += bytes; }
      else if (this.hours.size < MAX_HOURS) this.hours.set(h, { events: 1, bytes });
    }

    if (!isFinalStage(e.stage)) return;
    this.requests++;
    if (e.stage === 'ResponseComplete') {
      const lat = e.stageUs - e.requestReceivedUs;
      if (Number.isFinite(lat) && lat >= 0) {
        this.overall.add(lat);
        this.sketch(this.latVerb, e.verb || '(none)').add(lat);
        this.sketch(this.latResource, resourceKey(e.objectRef)).add(lat);
      }
    }
    const code = e.responseStatus?.code ?? (e.stage === 'Panic' ? 500 : 0);
    if (code >= 400) this.addError(e, code, ms);
    if (this.touchQuery && matchesQuery(e, this.touchQuery)) {
      this.touchTotal++;
      this.touchList.push(toTouch(e, line));
      if (this.touchList.length > this.touchLimit) this.touchList.shift();
    }
  }

  private sketch(map: Map<string, LatencySketch>, key: string): LatencySketch {
    let s = map.get(key);
    if (!s) {
      if (map.size >= MAX_LATENCY_KEYS) key = '(other)';
      s = map.get(key) ?? new LatencySketch();
      map.set(key, s);
    }
    return s;
  }

  private addError(e: AuditEvent, code: number, ms: number): void {
    const rs = e.responseStatus;
    const message = (rs?.message || (rs?.reason ? `(${rs.reason})` : '')).slice(0, MAX_MESSAGE);
    const key = `${code} ${errorPattern(message)}`;
    this.errorsByKey.add(key, 0);
    const t = this.errorTimes.get(key);
    if (t) { t.first = Math.min(t.first, ms); t.last = Math.max(t.last, ms); }
    else if (this.errorTimes.size < 4096) this.errorTimes.set(key, { first: ms, last: ms, example: message });
    this.errorsByCode.set(code, (this.errorsByCode.get(code) ?? 0) + 1);
    if (Number.isFinite(ms)) {
      const m = Math.floor(ms / MINUTE) * MINUTE;
      let b = this.errorMinutes.get(m);
      if (!b && this.errorMinutes.size < MAX_MINUTES) { b = new Map(); this.errorMinutes.set(m, b); }
      if (b) b.set(code, (b.get(code) ?? 0) + 1);
    }
  }

  private pair(c: CappedCounter): TopPair {
    return { byCount: c.top(this.topN, 'count'), byBytes: c.top(this.topN, 'bytes') };
  }

  summary(): AuditSummary {
    const has = Number.isFinite(this.firstMs);
    const lat = (m: Map<string, LatencySketch>) => [...m.entries()].map(([key, s]) => ({ key, ...s.stats() })).sort((a, b) => b.count - a.count);
    const errs = this.errorsByKey.top(100, 'count').entries.map((e) => {
      const sp = e.key.indexOf(' ');
      const t = this.errorTimes.get(e.key);
      return { code: Number(e.key.slice(0, sp)), message: t?.example ?? e.key.slice(sp + 1), pattern: e.key.slice(sp + 1), count: e.count, first: t && Number.isFinite(t.first) ? iso(t.first) : '', last: t && Number.isFinite(t.last) ? iso(t.last) : '' };
    });
    return {
      events: this.events, bytes: this.bytes, requests: this.requests,
      from: has ? iso(this.firstMs) : null, to: has ? iso(this.lastMs) : null,
      seconds: has ? (this.lastMs - this.firstMs) / 1000 : 0,
      stages: this.stages, levels: this.levels,
      perHour: [...this.hours.entries()].sort((a, b) => a[0] - b[0]).map(([h, v]) => ({ hour: iso(h), events: v.events, bytes: v.bytes })),
      byUser: this.pair(this.counters.user), byUserAgent: this.pair(this.counters.userAgent), byVerb: this.pair(this.counters.verb),
      byResource: this.pair(this.counters.resource), byNamespace: this.pair(this.counters.namespace), bySourceIP: this.pair(this.counters.sourceIP),
      latency: { overall: this.overall.stats(), byVerb: lat(this.latVerb), byResource: lat(this.latResource).slice(0, 50) },
      errors: errs,
      errorsByCode: [...this.errorsByCode.entries()].sort((a, b) => b[1] - a[1]).map(([code, count]) => ({ code, count })),
      errorsPerMinute: [...this.errorMinutes.entries()].sort((a, b) => a[0] - b[0]).map(([m, codes]) => ({ minute: iso(m), codes: Object.fromEntries([...codes].map(([k, v]) => [String(k), v])) })),
      touches: this.touchQuery ? { query: this.touchQuery, total: this.touchTotal, latest: [...this.touchList] } : null,
    };
  }
}
