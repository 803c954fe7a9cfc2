import 'server-only';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import * as tar from 'tar';
import { BUNDLE_FORMAT_VERSION, type BundleManifest } from '@/lib/bundle/manifest';
import { redactEvent } from '@/lib/events/redact';
import type { NormalizedEvent } from '@/lib/parse/events';
import type { Component } from '@/lib/recording/types';
import { COMPONENT_OF_RECORD } from '@/lib/recording/evaluate';
import { AuditStore } from '../audit/store';
import { copyAuditLog } from '../capture/capture';
import type { Store } from '../store/store';

/**
 * A recorded cluster (live or imported) as a bundle, for any time range: what the store holds, in
 * the bundle format, never a credential (the store has none).
 *
 *   series.jsonl                 every recorded series in range, one per line: {name, labels, points}
 *                                (full resolution; importing it gives back the same series)
 *   metrics/<component>/<t>.prom the raw scrapes kept in range (every few minutes), for `inspect`
 *   events.jsonl                 Events whose last sighting is in range, Secret messages withheld
 *   pprof/<component>/<t>-…      goroutine dumps and heap profiles in range
 *   census/<t>.json, snapshots/<kind>/<t>.json
 *   audit/<source>-<name>.jsonl  audit events received in range, from each ingested log still on
 *                                disk (uploads, bundle copies, the followed log), redacted
 *
 * File times carry milliseconds (two captures in one second stay two files).
 */
export interface ExportOptions { cluster: string; name: string; server?: string; from: number; to: number; redact?: boolean }
export interface ExportSummary { files: number; series: number; points: number; events: number; artifacts: number; rawScrapes: number; snapshots: number; auditEvents: number }

const COMPONENTS: Component[] = ['kube-apiserver', 'etcd'];
const stamp = (t: number) => new Date(t).toISOString();
const MAX_EVENTS = 200_000;

/** Writes the bundle's files into `dir` (created 0700). */
export async function writeExportDir(store: Store, o: ExportOptions, dir: string): Promise<{ manifest: BundleManifest; summary: ExportSummary }> {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const sum: ExportSummary = { files: 0, series: 0, points: 0, events: 0, artifacts: 0, rawScrapes: 0, snapshots: 0, auditEvents: 0 };
  const put = (rel: string, data: string | Uint8Array) => {
    const f = path.join(dir, rel);
    fs.mkdirSync(path.dirname(f), { recursive: true, mode: 0o700 });
    fs.writeFileSync(f, data, { mode: 0o600 });
    sum.files++;
  };

  // Series, one name at a time (bounded memory: one name's points in range).
  const seriesComponents = new Set<Component>();
  const seriesFd = fs.openSync(path.join(dir, 'series.jsonl'), 'w', 0o600);
  try {
    for (const { name } of store.series.names(o.cluster)) {
      for (const s of store.series.query(o.cluster, name, o.from, o.to)) {
        if (!s.points.length) continue;
        fs.writeSync(seriesFd, `${JSON.stringify({ name, labels: s.labels, points: s.points.map((p) => [p.t, p.v]) })}\n`);
        sum.series++;
        sum.points += s.points.length;
        const c = COMPONENT_OF_RECORD.get(name);
        if (c) seriesComponents.add(c);
      }
    }
  } finally { fs.closeSync(seriesFd); }
  sum.files++;

  const metrics: Component[] = [];
  for (const c of COMPONENTS) {
    const raws = store.rawScrapes(o.cluster, c, o.from, o.to);
    if (raws.length) metrics.push(c);
    for (const r of raws) { put(`metrics/${c}/${stamp(r.t)}.prom`, r.text); sum.rawScrapes++; }
  }
  if (!metrics.length && sum.series) {
    // No raw scrape (read from Prometheus, or an imported export): the components whose rules
    // recorded series in range.
    for (const c of COMPONENTS) if (seriesComponents.has(c)) metrics.push(c);
  }

  const events = store.events.query(o.cluster, { from: o.from, to: o.to, limit: MAX_EVENTS });
  if (events.length) {
    put('events.jsonl', `${events.map((e) => JSON.stringify(rawEvent(o.redact === false ? e : redactEvent(e)))).join('\n')}\n`);
    sum.events = events.length;
  }

  const pprof = new Map<string, Set<'goroutine-debug1' | 'goroutine-debug2' | 'heap'>>();
  for (const a of store.artifacts(o.cluster)) {
    if (a.t < o.from || a.t > o.to) continue;
    if (a.kind !== 'heap' && a.kind !== 'goroutine-debug1' && a.kind !== 'goroutine-debug2') continue;
    if (!COMPONENTS.includes(a.component as Component)) continue;
    const body = store.artifactBody(o.cluster, a.id);
    if (!body) continue;
    put(`pprof/${a.component}/${stamp(a.t)}-${a.kind === 'heap' ? 'heap.pb.gz' : `${a.kind}.txt`}`, body);
    if (!pprof.has(a.component)) pprof.set(a.component, new Set());
    pprof.get(a.component)!.add(a.kind);
    sum.artifacts++;
  }

  const kinds = store.db.prepare<[string, number, number], { kind: string }>('SELECT DISTINCT kind FROM snapshots WHERE cluster_id = ? AND t BETWEEN ? AND ?').all(o.cluster, o.from, o.to).map((r) => r.kind);
  for (const kind of kinds) {
    if (!/^[a-z0-9-]{1,40}$/.test(kind)) continue;
    for (const s of store.snapshots<unknown>(o.cluster, kind, o.from, o.to)) {
      put(kind === 'census' ? `census/${stamp(s.t)}.json` : `snapshots/${kind}/${stamp(s.t)}.json`, JSON.stringify(s.body));
      sum.snapshots++;
    }
  }

  // Audit: the events received in range, from each ingested log still on disk, redacted as they
  // are copied (Secret bodies, tokens: lib/audit/redact). Streamed: one line in memory at a time.
  const copied = new Set<string>();
  for (const src of new AuditStore(store.db).sources(o.cluster)) {
    if (src.status === 'failed' || !src.file || copied.has(src.file) || !fs.existsSync(src.file)) continue;
    copied.add(src.file);
    const rel = `audit/${src.id}-${auditFileName(src.name)}.jsonl`;
    const c = await copyAuditLog(src.file, path.join(dir, rel), o.redact !== false, (e) => {
      const t = e.requestReceivedUs / 1000;
      return t >= o.from && t <= o.to;
    });
    if (c.events === 0) { fs.rmSync(path.join(dir, rel)); continue; }
    sum.files++;
    sum.auditEvents += c.events;
  }
  if (copied.size && !sum.auditEvents) fs.rmSync(path.join(dir, 'audit'), { recursive: true, force: true });

  const manifest: BundleManifest = {
    formatVersion: BUNDLE_FORMAT_VERSION,
    cluster: { name: o.name.slice(0, 200), ...(o.server ? { server: o.server.slice(0, 500) } : {}) },
    timeRange: { from: stamp(o.from), to: stamp(o.to) },
    createdBy: 'kube-forensics export',
    createdAt: new Date().toISOString(),
    sources: [`recorder-export:${o.cluster}`.slice(0, 200)],
    captured: {
      metrics, events: events.length > 0,
      pprof: [...pprof].map(([component, k]) => ({ component: component as Component, kinds: [...k] })),
      census: kinds.includes('census'), snapshots: kinds.filter((k) => k !== 'census').slice(0, 20), audit: sum.auditEvents > 0,
    },
    redacted: o.redact !== false,
  };
  put('manifest.json', JSON.stringify(manifest, null, 2));
  return { manifest, summary: sum };
}

/** A source's name (a path, an upload's file name) as a file name: its base, without extensions. */
function auditFileName(name: string): string {
  const base = path.basename(name).replace(/(\.(gz|jsonl|json|log))+$/i, '').replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80);
  return base || 'audit';
}

/** A stored Event back in its API's shape, so `normalizeEvent` reads it as it read the original. */
function rawEvent(e: NormalizedEvent): Record<string, unknown> {
  const meta = { uid: e.uid, name: e.name, namespace: e.namespace, resourceVersion: e.resourceVersion };
  const first = new Date(e.firstTimestamp).toISOString();
  const last = new Date(e.lastTimestamp).toISOString();
  if (e.api === 'events.k8s.io/v1') {
    return { apiVersion: 'events.k8s.io/v1', kind: 'Event', metadata: meta, regarding: e.object, reason: e.reason, type: e.type, note: e.message,
      reportingController: e.component, deprecatedSource: { component: e.component, host: e.host }, deprecatedFirstTimestamp: first, deprecatedLastTimestamp: last, deprecatedCount: e.count };
  }
  return { apiVersion: 'v1', kind: 'Event', metadata: meta, involvedObject: e.object, reason: e.reason, type: e.type, message: e.message,
    source: { component: e.component, ...(e.host ? { host: e.host } : {}) }, firstTimestamp: first, lastTimestamp: last, count: e.count };
}

/**
 * The bundle as a .tar.gz stream. Files go to a private temp dir first (the store is read in one
 * pass, not held open by a slow download); the dir is removed when the stream ends or fails.
 */
export async function exportBundleStream(store: Store, o: ExportOptions): Promise<{ stream: Readable; summary: ExportSummary }> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kf-export-'));
  try {
    const dir = path.join(tmp, 'bundle');
    const { summary } = await writeExportDir(store, o, dir);
    const stream = tar.c({ gzip: { level: 6 }, cwd: dir, portable: true }, fs.readdirSync(dir)) as unknown as Readable;
    let cleaned = false;
    const cleanup = () => { if (!cleaned) { cleaned = true; fs.rmSync(tmp, { recursive: true, force: true }); } };
    stream.once('end', cleanup);
    stream.once('error', cleanup);
    stream.once('close', cleanup);
    return { stream, summary };
  } catch (e) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw e;
  }
}

export async function exportBundleFile(store: Store, o: ExportOptions, out: string): Promise<ExportSummary> {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kf-export-'));
  try {
    const dir = path.join(tmp, 'bundle');
    const { summary } = await writeExportDir(store, o, dir);
    await tar.c({ gzip: { level: 6 }, file: out, cwd: dir, portable: true }, fs.readdirSync(dir));
    fs.chmodSync(out, 0o600); // a bundle holds cluster evidence: the owner's only, as the store
    return summary;
  } finally { fs.rmSync(tmp, { recursive: true, force: true }); }
}
