import 'server-only';
// On-demand and uploaded pprof captures (goroutine dumps, heap profiles), stored as artifacts.
//
// A struggling apiserver is exactly when people press "capture" repeatedly, and a debug=2 dump of
// 100k goroutines is 50–100 MB that stops the world while it is written (runtime/pprof
// writeGoroutineStacks), so: concurrent requests for the same (cluster, kind, component) share one
// upstream call, and each cluster allows at most one heap per 30 s and one dump per 10 s.
import { gunzipBounded } from '@/cli/gunzip';
import { readGoroutineDumpBytes } from '@/lib/analysis/goroutines';
import { isProfileParseError, parseProfile, type Profile } from '@/lib/parse/pprof';
import { HttpError, isHttpError } from '../api/http-error';
import type { Component } from '../cluster/types';
import type { ClusterEntry, Runtime } from '../runtime';
import type { Store } from '../store/store';

export type CaptureKind = 'goroutine' | 'heap';
export type CaptureOrigin = 'on-demand' | 'upload' | 'schedule' | 'threshold' | 'bundle';
export const ARTIFACT_KINDS = ['goroutine-debug2', 'goroutine-debug1', 'heap'] as const;
export type ArtifactKind = (typeof ARTIFACT_KINDS)[number];

/**
 * Upload limit. pprof stops writing a debug=2 dump at 64 MiB (runtime/pprof writeGoroutineStacks),
 * debug=1 and heap profiles are far smaller; 128 MiB leaves room for crash tracebacks from logs
 * while keeping the server's peak memory bounded (one upload is buffered at a time, see below).
 */
export const MAX_UPLOAD_BYTES = 128 * 1024 * 1024;
export const UPLOAD_LIMIT_TEXT = `${MAX_UPLOAD_BYTES / (1 << 20)} MiB`;
const LIMIT_TEXT = UPLOAD_LIMIT_TEXT;
/**
 * Inflated size allowed for a gzip-compressed heap profile. Heap profiles hold one sample per
 * allocation site (runtime.MemProfileRate samples 1 in 512 KiB), so even a large apiserver's is a
 * few MiB inflated; 64 MiB is generous, and it is what a gzip bomb can cost before it is refused.
 */
export const MAX_HEAP_INFLATED_BYTES = 64 * 1024 * 1024;
export const DEFAULT_MIN_INTERVAL_MS: Record<CaptureKind, number> = { heap: 30_000, goroutine: 10_000 };

export interface CaptureSummary {
  id: number;
  kind: CaptureKind;
  artifactKind: ArtifactKind;
  component: string;
  t: number;
  size: number;
  source: CaptureOrigin;
  /** Goroutines in the dump. */
  total?: number;
  /** Heap profiles: sample type names. */
  sampleTypes?: string[];
  requestedBy?: string;
  /** Automatic captures: why (e.g. "goroutines rose from 1,700 to 3,500 in 30 min"). */
  reason?: string;
  fileName?: string;
}

export function captureKindOf(artifactKind: string): CaptureKind | null {
  if (artifactKind === 'heap') return 'heap';
  if (artifactKind === 'goroutine-debug2' || artifactKind === 'goroutine-debug1') return 'goroutine';
  return null;
}

function str(v: unknown): string | undefined { return typeof v === 'string' ? v : undefined; }

/** A stored artifact row as the API shows it; meta is untrusted JSON (bundles wrote their own). */
export function toSummary(row: { id: number; kind: string; component: string; t: number; size: number; meta: unknown }): CaptureSummary | null {
  const kind = captureKindOf(row.kind);
  if (!kind) return null;
  const m = (row.meta && typeof row.meta === 'object' ? row.meta : {}) as Record<string, unknown>;
  const source = str(m.source);
  return {
    id: row.id, kind, artifactKind: row.kind as ArtifactKind, component: row.component, t: row.t, size: row.size,
    source: source === 'upload' || source === 'schedule' || source === 'threshold' || source === 'bundle' ? source : 'on-demand',
    ...(typeof m.total === 'number' ? { total: m.total } : {}),
    ...(Array.isArray(m.sampleTypes) ? { sampleTypes: m.sampleTypes.filter((s): s is string => typeof s === 'string') } : {}),
    ...(str(m.requestedBy) ? { requestedBy: str(m.requestedBy) } : {}),
    ...(str(m.reason) ? { reason: str(m.reason) } : {}),
    ...(str(m.fileName) ?? str(m.file) ? { fileName: str(m.fileName) ?? str(m.file) } : {}),
  };
}

export function listCaptures(store: Store, cluster: string): CaptureSummary[] {
  return store.artifacts(cluster).map(toSummary).filter((s): s is CaptureSummary => s !== null);
}

/** Heap profile bytes → Profile, with the CLI's bounded gunzip (gzip-bomb guard). */
export function readHeapProfile(bytes: Uint8Array): Promise<Profile> {
  return parseProfile(bytes, { gunzip: gunzipBounded, limits: { maxInputBytes: MAX_UPLOAD_BYTES, maxDecompressedBytes: MAX_HEAP_INFLATED_BYTES } });
}

/** What a validated capture body says about itself, for meta and the artifact kind. */
export async function validateCapture(kind: CaptureKind, body: Uint8Array): Promise<{ artifactKind: ArtifactKind; meta: { total?: number; sampleTypes?: string[] } }> {
  if (kind === 'heap') {
    try {
      const p = await readHeapProfile(body);
      return { artifactKind: 'heap', meta: { sampleTypes: p.sampleTypes.map((t) => t.type) } };
    } catch (e) {
      if (isProfileParseError(e)) throw new HttpError(e.code === 'too-large' ? 413 : 400, `not a readable heap profile: ${e.message}`);
      throw e;
    }
  }
  const { dump } = readGoroutineDumpBytes(body);
  if (dump.records === 0 || dump.format === null) {
    const why = dump.warnings[0]?.message ?? 'no goroutine records found';
    throw new HttpError(400, `not a goroutine dump (debug=1 or debug=2): ${why}`);
  }
  return { artifactKind: dump.format === 'debug=1' ? 'goroutine-debug1' : 'goroutine-debug2', meta: { total: dump.total } };
}

export interface PprofCaptureOptions {
  minIntervalMs?: Partial<Record<CaptureKind, number>>;
  now?: () => number;
}

/**
 * Per-runtime capture state: in-flight calls and the time of each cluster's last capture per kind
 * and component (etcd's profiles come from etcd's own endpoint, so they do not cost the apiserver).
 */
export class PprofCaptures {
  private readonly inflight = new Map<string, Promise<CaptureSummary>>();
  private readonly last = new Map<string, number>();
  private readonly minInterval: Record<CaptureKind, number>;
  private readonly now: () => number;

  constructor(private readonly store: Store, o: PprofCaptureOptions = {}) {
    this.minInterval = { ...DEFAULT_MIN_INTERVAL_MS, ...o.minIntervalMs };
    this.now = o.now ?? Date.now;
  }

  /** Fetches a goroutine dump (debug=2) or heap profile from a live cluster and stores it. */
  captureNow(entry: ClusterEntry, kind: CaptureKind, component: Component, requestedBy?: string, auto?: { origin: 'schedule' | 'threshold'; reason: string }): Promise<CaptureSummary> {
    if (entry.kind === 'bundle' || !entry.source) throw new HttpError(409, `${entry.name} is a read-only bundle: captures come from live clusters (upload a file instead)`);
    const source = entry.source;
    if (!source.describe().components.includes(component)) throw new HttpError(400, `${entry.name} has no ${component} endpoint configured`);
    const key = `${entry.id}\0${kind}\0${component}`;
    // Single flight: a second click while the first capture runs gets the same result.
    const running = this.inflight.get(key);
    if (running) return running;
    const last = this.last.get(key);
    const wait = last === undefined ? 0 : last + this.minInterval[kind] - this.now();
    if (wait > 0) {
      const s = Math.ceil(wait / 1000);
      const of = component === 'kube-apiserver' ? 'the apiserver' : component;
      throw new RateLimited(s, `a ${kind === 'heap' ? 'heap profile' : 'goroutine dump'} of ${of} on ${entry.name} was captured moments ago; the next one is allowed in ${s} s (at most one per ${this.minInterval[kind] / 1000} s, to spare a struggling ${component === 'kube-apiserver' ? 'apiserver' : component})`);
    }
    this.last.set(key, this.now());
    const p = (async () => {
      const body = kind === 'heap'
        ? await source.heapProfile(component, { timeoutMs: 60_000 })
        : new TextEncoder().encode(await source.goroutines(component, 2, { timeoutMs: 60_000 }));
      const { artifactKind, meta } = await validateCapture(kind, body);
      const t = this.now();
      const extra = { ...(requestedBy ? { requestedBy } : {}), ...(auto ? { reason: auto.reason } : {}) };
      const origin: CaptureOrigin = auto?.origin ?? 'on-demand';
      const id = this.store.saveArtifact({ cluster: entry.id, kind: artifactKind, component, t, meta: { ...meta, source: origin, ...extra }, body });
      return { id, kind, artifactKind, component, t, size: body.byteLength, source: origin, ...meta, ...extra };
    })().finally(() => this.inflight.delete(key));
    this.inflight.set(key, p);
    return p;
  }

  /** Stores an uploaded dump or profile after parsing it (garbage → 400 with the parser's message). */
  async upload(entry: ClusterEntry, kind: CaptureKind, component: string, body: Uint8Array, fileName?: string): Promise<CaptureSummary> {
    if (body.byteLength === 0) throw new HttpError(400, 'empty upload');
    if (body.byteLength > MAX_UPLOAD_BYTES) throw new HttpError(413, `upload is ${body.byteLength} bytes; the limit is ${LIMIT_TEXT}`);
    const { artifactKind, meta } = await validateCapture(kind, body);
    const t = this.now();
    const id = this.store.saveArtifact({ cluster: entry.id, kind: artifactKind, component, t, meta: { ...meta, source: 'upload', ...(fileName ? { fileName } : {}) }, body });
    return { id, kind, artifactKind, component, t, size: body.byteLength, source: 'upload', ...meta, ...(fileName ? { fileName } : {}) };
  }
}

/** 429 with Retry-After. */
export class RateLimited extends HttpError {
  constructor(readonly retryAfterSeconds: number, message: string) { super(429, message); }
}

export function isRateLimited(e: unknown): e is RateLimited {
  return isHttpError(e) && e.status === 429 && typeof (e as { retryAfterSeconds?: unknown }).retryAfterSeconds === 'number';
}

export function pprofCaptures(rt: Runtime): PprofCaptures {
  return rt.captures;
}

export function captureNow(rt: Runtime, entry: ClusterEntry, kind: CaptureKind, component: Component, requestedBy?: string): Promise<CaptureSummary> {
  return pprofCaptures(rt).captureNow(entry, kind, component, requestedBy);
}

/**
 * Runs uploads one at a time (the others wait, their bodies unread in the socket), so the memory
 * they take — body, decompressed profile, parse — is one upload's, not one per concurrent request.
 */
let uploadQueue: Promise<void> = Promise.resolve();
export async function oneUploadAtATime<T>(fn: () => Promise<T>): Promise<T> {
  let release!: () => void;
  const mine = new Promise<void>((r) => { release = r; });
  const before = uploadQueue;
  uploadQueue = before.then(() => mine);
  await before;
  try { return await fn(); } finally { release(); }
}
