import 'server-only';
// Gathers a postmortem's input for one incident from the recorded store: the key timeline panels
// over the window (the timeline's own query code), the goroutine groups and heap top of the
// captures in the window (the runtime page's analysis), Kubernetes events and the audit log's
// errors, users and verbs. The incident itself comes from an IncidentSource (the incident store
// implements it; tests pass a fake over real recorded data).
import { analyzeGoroutines, readGoroutineDumpBytes } from '@/lib/analysis/goroutines';
import { topTable } from '@/lib/analysis/profile';
import type { IncidentDossier } from '@/lib/incidents/types';
import { chartRange } from '@/lib/postmortem/charts';
import type { AuditExcerpt, ChartInput, EventExcerpt, GoroutineExcerpt, HeapExcerpt, PostmortemInput } from '@/lib/postmortem/types';
import { evaluatePanel } from '@/lib/timeline/timeline';
import { panelById } from '@/lib/timeline/panels';
import { AuditStore } from '../audit/store';
import { readHeapProfile, toSummary } from '../capture/pprof-capture';
import type { Store } from '../store/store';
import { storeLoader } from '../views/timeline';

/** Where incidents come from: the incident store (server/incidents) implements this. */
export interface IncidentSource { dossier(id: string): IncidentDossier | null }

/** What the report needs of the runtime: the store and the clusters' names and "now". */
export interface ReportContext {
  store: Store;
  clusters: ReadonlyMap<string, { id: string; name: string; kind: 'live' | 'bundle'; bundle?: { to: number } }>;
  /** The recorder's scrape interval, for the lookback before the first point. */
  intervalMs: number;
}

/** The charts a postmortem shows, in this order, when they have data (ids from lib/timeline/panels). */
export const KEY_PANELS = [
  'etcd-db-size', 'apiserver-errors', 'etcd-wal-fsync', 'etcd-backend-commit', 'etcd-leader',
  'apiserver-latency', 'apiserver-etcd-latency', 'apiserver-requests', 'apiserver-goroutines', 'apiserver-memory',
];
export const MAX_CHART_POINTS = 600;
const MAX_CAPTURES = 2;
const TOP_GROUPS = 10;
const TOP_HEAP = 12;
const MAX_EVENTS = 40;

export function keyCharts(ctx: ReportContext, cluster: string, from: number, to: number): ChartInput[] {
  const load = storeLoader(ctx.store, cluster, from, to, 2 * ctx.intervalMs + 60_000);
  const out: ChartInput[] = [];
  for (const id of KEY_PANELS) {
    const spec = panelById(id);
    if (!spec) continue;
    const r = evaluatePanel(spec, load, { from, to, maxPoints: MAX_CHART_POINTS });
    if (!r.series.length) continue;
    out.push({ panelId: id, cluster, title: spec.title, unit: spec.unit, explanation: spec.explanation, series: r.series, thresholds: spec.thresholds ?? [] });
  }
  return out;
}

/** Captures linked to the incident first, else the latest of each kind and component in the window. */
function capturesIn(ctx: ReportContext, d: IncidentDossier, cluster: string, from: number, to: number) {
  const rows = ctx.store.artifacts(cluster).map(toSummary).filter((c): c is NonNullable<typeof c> => c !== null);
  const linked = new Set(d.captures.filter((c) => c.cluster === cluster).map((c) => c.artifactId));
  const pick = (kind: 'goroutine' | 'heap') => {
    const inWindow = rows.filter((c) => c.kind === kind && c.t >= from && c.t <= to);
    const chosen = inWindow.filter((c) => linked.has(c.id));
    if (chosen.length) return chosen.slice(0, MAX_CAPTURES);
    const latest = new Map<string, (typeof rows)[number]>();
    for (const c of inWindow) if (!latest.has(c.component) || latest.get(c.component)!.t < c.t) latest.set(c.component, c);
    return [...latest.values()].slice(0, MAX_CAPTURES);
  };
  return { goroutine: pick('goroutine'), heap: pick('heap') };
}

function goroutineExcerpt(ctx: ReportContext, cluster: string, c: { id: number; component: string; t: number }): GoroutineExcerpt | null {
  const body = ctx.store.artifactBody(cluster, c.id);
  if (!body) return null;
  const version = ctx.store.latestSnapshot<{ gitVersion?: string }>(cluster, 'version')?.body.gitVersion;
  const parsed = readGoroutineDumpBytes(body);
  const a = analyzeGoroutines(parsed.groups, { version });
  const idle = new Set(a.idle.signatures);
  // Idle plumbing (netpoll waits, timers) is folded away, as on the runtime page; suspects stay.
  const groups = a.groups.filter((g) => !idle.has(g.signature)).slice(0, TOP_GROUPS);
  return {
    cluster, component: c.component, t: c.t, total: a.total,
    groups: groups.map((g) => ({
      count: g.count, state: g.state ?? '', function: g.topFrame?.function ?? '(unknown)',
      createdBy: g.createdBy?.function ?? null, maxMinutes: g.minutes.max ?? null,
    })),
    knownIssues: a.knownIssues.map((k) => ({ id: k.id, title: k.title, count: k.count, fixedIn: k.fixedIn ?? null })),
  };
}

async function heapExcerpt(ctx: ReportContext, cluster: string, c: { id: number; component: string; t: number }): Promise<HeapExcerpt | null> {
  const body = ctx.store.artifactBody(cluster, c.id);
  if (!body) return null;
  const profile = await readHeapProfile(body);
  const t = topTable(profile, undefined, { nodeCount: TOP_HEAP });
  return {
    cluster, component: c.component, t: c.t, sampleType: t.sampleType.type, unit: t.sampleType.unit, total: t.total,
    // Rows with nothing of their own (flat 0) are callers: the flame graph's business, not a top list's.
    top: t.rows.filter((r) => r.flat !== 0).map((r) => ({ function: r.function, flat: r.flat, flatPct: r.flatPct, cum: r.cum, cumPct: r.cumPct })),
  };
}

function eventsExcerpt(ctx: ReportContext, cluster: string, from: number, to: number): EventExcerpt[] {
  const scope = { from, to, filter: {} };
  // Warnings are the story; Normal events fill in only when there are few.
  const warn = ctx.store.events.rows(cluster, { ...scope, filter: { type: 'Warning' } }, MAX_EVENTS).rows;
  const rows = warn.length >= MAX_EVENTS ? warn : [...warn, ...ctx.store.events.rows(cluster, scope, MAX_EVENTS).rows.filter((r) => r.type !== 'Warning')].slice(0, MAX_EVENTS);
  return rows.map((r) => ({
    cluster, t: r.lastTimestamp, type: r.type, reason: r.reason, count: r.count, message: r.message,
    object: `${r.object.kind}/${r.object.namespace ? `${r.object.namespace}/` : ''}${r.object.name}`,
  })).sort((a, b) => a.t - b.t);
}

function auditExcerpt(ctx: ReportContext, cluster: string, from: number, to: number): AuditExcerpt | null {
  const audit = new AuditStore(ctx.store.db);
  const users = audit.top(cluster, 'user', from, to, 'events', 5);
  if (users.total.events === 0) return null;
  const errors = audit.errors(cluster, from, to, 5).list.filter((e) => e.code >= 500);
  return {
    cluster, total: users.total.events,
    errors: errors.map((e) => ({ code: e.code, message: e.message, count: e.count, first: e.first, last: e.last })),
    users: users.rows.map((r) => ({ key: r.key, events: r.events })),
    verbs: audit.top(cluster, 'verb', from, to, 'events', 5).rows.map((r) => ({ key: r.key, events: r.events })),
  };
}

/** The cluster's "now": the end of a bundle's recording, the wall clock for a live cluster. */
function clusterNow(ctx: ReportContext, id: string, wall: number): number {
  const e = ctx.clusters.get(id);
  return e?.kind === 'bundle' && e.bundle ? e.bundle.to : wall;
}

export async function postmortemInput(ctx: ReportContext, source: IncidentSource, incidentId: string, wall = Date.now()): Promise<PostmortemInput | null> {
  const dossier = source.dossier(incidentId);
  if (!dossier) return null;
  const inc = dossier.incident;
  const now = Math.max(...inc.clusters.map((c) => clusterNow(ctx, c, wall)), inc.from);
  const to = inc.to ?? now;
  const { from: cf, to: ct } = chartRange(inc.from, to);
  const input: PostmortemInput = { dossier, clusterNames: {}, now, charts: [], events: [], audit: [], goroutines: [], heap: [] };
  for (const cluster of inc.clusters) {
    const entry = ctx.clusters.get(cluster);
    input.clusterNames[cluster] = entry?.name ?? cluster;
    if (!entry) continue;
    input.charts.push(...keyCharts(ctx, cluster, cf, ct));
    const caps = capturesIn(ctx, dossier, cluster, cf, ct);
    for (const c of caps.goroutine) {
      try { const g = goroutineExcerpt(ctx, cluster, c); if (g) input.goroutines.push(g); } catch { /* an unreadable dump is left out, not fatal to the report */ }
    }
    for (const c of caps.heap) {
      try { const h = await heapExcerpt(ctx, cluster, c); if (h) input.heap.push(h); } catch { /* as above */ }
    }
    input.events.push(...eventsExcerpt(ctx, cluster, cf, ct));
    const a = auditExcerpt(ctx, cluster, cf, ct);
    if (a) input.audit.push(a);
  }
  return input;
}
