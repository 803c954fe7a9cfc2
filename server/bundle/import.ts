import 'server-only';
import fs from 'node:fs';
import readline from 'node:readline';
import { normalizeEvent, type NormalizedEvent } from '@/lib/parse/events';
import { parseHealthVerbose } from '@/lib/parse/health';
import { ScrapeRecorder } from '@/lib/recording/evaluate';
import type { Component, RecordedRow } from '@/lib/recording/types';
import { z } from 'zod';
import { ingestAuditFile } from '../audit/service';
import type { Store } from '../store/store';
import type { OpenBundle } from './open';

export interface ImportSummary { scrapes: number; rows: number; events: number; artifacts: number; snapshots: number; warnings: string[] }

const COMPONENTS: Component[] = ['kube-apiserver', 'etcd'];

/**
 * Replays a bundle into the store under `clusterId`, through the same recording rules as the live
 * recorder, so every view reads a bundle exactly as it reads a live cluster.
 */
export async function importBundle(store: Store, b: OpenBundle, clusterId: string): Promise<ImportSummary> {
  const sum: ImportSummary = { scrapes: 0, rows: 0, events: 0, artifacts: 0, snapshots: 0, warnings: [] };
  store.upsertCluster({ id: clusterId, name: b.manifest.title ?? b.manifest.cluster.name, kind: 'bundle', server: b.manifest.cluster.server ?? b.dir });
  let lastRaw: Partial<Record<Component, number>> = {};
  const recorder = new ScrapeRecorder(); // files come in time order (openBundle sorts them)
  // An export carries the recorded series themselves (full resolution); its raw scrapes are then
  // kept as raw scrapes only, since recording them again would double the series at their times.
  const seriesFile = b.files.find((f) => f.rel === 'series.jsonl');
  if (seriesFile) {
    const s = await importSeries(store, clusterId, seriesFile.abs, sum.warnings);
    sum.rows += s.points;
  }
  for (const f of b.files) {
    const [top, sub] = f.rel.split('/');
    if (seriesFile && top === 'metrics' && f.rel.endsWith('.prom') && f.t !== null && COMPONENTS.includes(sub as Component)) {
      store.saveRawScrape(clusterId, sub!, f.t, fs.readFileSync(f.abs, 'utf8'));
      sum.scrapes++;
    } else if (top === 'metrics' && f.rel.endsWith('.prom') && f.t !== null && COMPONENTS.includes(sub as Component)) {
      const component = sub as Component;
      const text = fs.readFileSync(f.abs, 'utf8');
      const { rows, parsed } = recorder.record(component, f.t, text);
      store.series.append(clusterId, f.t, rows);
      store.recordScrape({ cluster: clusterId, component, t: f.t, ok: true, durationMs: 0, bytes: text.length, samples: parsed.sampleCount });
      if (parsed.warningCount) sum.warnings.push(`${f.rel}: ${parsed.warningCount} malformed lines skipped`);
      // Keep raw scrapes at most every 5 minutes (and the first), as the recorder does.
      if (lastRaw[component] === undefined || f.t - lastRaw[component]! >= 5 * 60_000) {
        store.saveRawScrape(clusterId, component, f.t, text);
        lastRaw = { ...lastRaw, [component]: f.t };
      }
      sum.scrapes++;
      sum.rows += rows.length;
    } else if (top === 'pprof' && f.t !== null && COMPONENTS.includes(sub as Component)) {
      const kind = f.rel.includes('goroutine-debug2') ? 'goroutine-debug2' : f.rel.includes('goroutine-debug1') ? 'goroutine-debug1' : f.rel.endsWith('heap.pb.gz') ? 'heap' : null;
      if (!kind) continue;
      store.saveArtifact({ cluster: clusterId, kind, component: sub!, t: f.t, meta: { file: f.rel, source: 'bundle' }, body: fs.readFileSync(f.abs) });
      sum.artifacts++;
    } else if (top === 'census' && f.t !== null && f.rel.endsWith('.json')) {
      const c = JSON.parse(fs.readFileSync(f.abs, 'utf8')) as { at?: number; entries?: Array<{ group: string; resource: string; count: number | null }> };
      store.saveCensus(clusterId, f.t, c);
      sum.snapshots++;
    } else if (top === 'snapshots' && sub && f.t !== null) {
      if (sub === 'readyz' || sub === 'livez') {
        const raw = fs.readFileSync(f.abs, 'utf8');
        const status = raw.includes('check failed') ? 500 : 200;
        const h = parseHealthVerbose(raw, status);
        store.saveHealth(clusterId, { endpoint: sub, t: f.t, ok: h.ok, httpStatus: status, checks: h.checks });
      } else {
        store.saveSnapshot(clusterId, sub, f.t, JSON.parse(fs.readFileSync(f.abs, 'utf8')) as unknown);
      }
      sum.snapshots++;
    } else if (top === 'audit' && /\.(jsonl|log|json)(\.gz)?$/.test(f.rel)) {
      const src = await ingestAuditFile(store, clusterId, f.abs, f.rel);
      if (src?.status === 'failed') sum.warnings.push(`${f.rel}: ${src.error}`);
      else if (src && src.damaged > 0) sum.warnings.push(`${f.rel}: ${src.damaged} damaged audit lines`);
    } else if (f.rel === 'events.jsonl') {
      sum.events += await importEvents(store, clusterId, f.abs, sum.warnings);
    }
  }
  return sum;
}

const seriesLine = z.object({
  name: z.string().min(1).max(200),
  labels: z.record(z.string().max(200), z.string().max(2000)),
  points: z.array(z.tuple([z.number().int(), z.number()])).max(5_000_000),
});

/** `series.jsonl` of an export: appended as recorded, batched by time so each time is one transaction. */
async function importSeries(store: Store, clusterId: string, file: string, warnings: string[]): Promise<{ series: number; points: number }> {
  const rl = readline.createInterface({ input: fs.createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  let series = 0;
  let points = 0;
  let bad = 0;
  let pending = new Map<number, RecordedRow[]>();
  let pendingPoints = 0;
  const flush = () => {
    store.db.transaction(() => { for (const [t, rows] of pending) store.series.append(clusterId, t, rows); })();
    pending = new Map();
    pendingPoints = 0;
  };
  for await (const l of rl) {
    if (!l.trim()) continue;
    let parsed: z.infer<typeof seriesLine>;
    try { parsed = seriesLine.parse(JSON.parse(l)); } catch { bad++; continue; }
    for (const [t, v] of parsed.points) {
      let rows = pending.get(t);
      if (!rows) { rows = []; pending.set(t, rows); }
      rows.push({ name: parsed.name, labels: parsed.labels, value: v });
    }
    series++;
    points += parsed.points.length;
    pendingPoints += parsed.points.length;
    if (pendingPoints >= 200_000) flush();
  }
  if (pendingPoints) flush();
  if (bad) warnings.push(`series.jsonl: ${bad} lines were not series and were skipped`);
  return { series, points };
}

async function importEvents(store: Store, clusterId: string, file: string, warnings: string[]): Promise<number> {
  const rl = readline.createInterface({ input: fs.createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  let batch: NormalizedEvent[] = [];
  let n = 0;
  let bad = 0;
  let line = 0;
  for await (const l of rl) {
    line++;
    if (!l.trim()) continue;
    if (l.length > 1 << 20) { bad++; continue; }
    try {
      const e = normalizeEvent(JSON.parse(l));
      if (e) { batch.push(e); n++; } else bad++;
    } catch { bad++; }
    if (batch.length >= 1000) { store.events.put(clusterId, batch); batch = []; }
  }
  if (batch.length) store.events.put(clusterId, batch);
  if (bad) warnings.push(`events.jsonl: ${bad} of ${line} lines were not events and were skipped`);
  return n;
}
