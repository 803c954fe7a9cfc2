import 'server-only';
// The runtime page's server side: captures list, per-capture analysis (goroutines or heap), diffs
// and raw downloads. Parsed dumps and profiles are cached (LRU) by cluster and artifact id:
// artifacts never change once stored.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { NextResponse } from 'next/server';
import { readGoroutineDumpBytes } from '@/lib/analysis/goroutines';
import type { Profile } from '@/lib/parse/pprof';
import type { TopSort } from '@/lib/analysis/profile';
import { HttpError } from '../api/handler';
import { spoolBody } from '../api/spool-body';
import type { VersionInfo } from '../cluster/types';
import {
  captureKindOf, listCaptures, oneUploadAtATime, pprofCaptures, isRateLimited, MAX_UPLOAD_BYTES, readHeapProfile, UPLOAD_LIMIT_TEXT, toSummary,
  type CaptureKind, type CaptureSummary,
} from '../capture/pprof-capture';
import type { Component } from '../cluster/types';
import type { ClusterEntry, Runtime } from '../runtime';
import { Lru } from './runtime-cache';
import { goroutineAnalysisJson, goroutineDiffJson, type ParsedDump } from './runtime-goroutines';
import { heapAnalysisJson, heapDiffJson } from './runtime-heap';

export { compactFlame } from './runtime-heap';

type Parsed = { kind: 'goroutine'; parsed: ParsedDump } | { kind: 'heap'; profile: Profile };
interface Loaded { summary: CaptureSummary; value: Parsed }

const cache = new Lru<string, Promise<Loaded>>(6);

export interface CapturesList {
  captures: CaptureSummary[];
  canCapture: boolean;
  components: string[];
  reason?: string;
  /** The cluster's "now": the wall clock when live, the end of the capture for a bundle. */
  now: number;
}

export function capturesList(rt: Runtime, entry: ClusterEntry): CapturesList {
  const live = entry.kind === 'live' && !!entry.source;
  return {
    captures: listCaptures(rt.store, entry.id),
    canCapture: live,
    components: live ? entry.source!.describe().components : [],
    now: entry.kind === 'bundle' && entry.bundle ? entry.bundle.to : Date.now(),
    ...(live ? {} : { reason: 'A recorded bundle is read-only: capture from a live cluster, or upload a dump or profile.' }),
  };
}

function loadCapture(rt: Runtime, entry: ClusterEntry, id: number): Promise<Loaded> {
  const key = `${entry.id}\0${id}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const row = rt.store.artifacts(entry.id).find((a) => a.id === id);
  const summary = row ? toSummary(row) : null;
  const body = summary ? rt.store.artifactBody(entry.id, id) : null;
  if (!summary || !body) throw new HttpError(404, `no capture ${id} in ${entry.name}`);
  const p = (async (): Promise<Loaded> => {
    try {
      if (summary.kind === 'heap') return { summary, value: { kind: 'heap', profile: await readHeapProfile(body) } };
      return { summary, value: { kind: 'goroutine', parsed: readGoroutineDumpBytes(body) } };
    } catch (e) {
      throw new HttpError(422, `capture ${id} cannot be read: ${e instanceof Error ? e.message : String(e)}`);
    }
  })();
  // A failed parse is not kept: the next request tries again.
  p.catch(() => cache.delete(key));
  cache.set(key, p);
  return p;
}

function versionOf(rt: Runtime, entry: ClusterEntry): string | undefined {
  return rt.store.latestSnapshot<VersionInfo>(entry.id, 'version')?.body.gitVersion;
}

export async function captureAnalysis(rt: Runtime, entry: ClusterEntry, id: number, sampleIndex?: string, sort?: TopSort) {
  const { summary, value } = await loadCapture(rt, entry, id);
  const meta = { id, t: summary.t, component: summary.component };
  return value.kind === 'goroutine' ? goroutineAnalysisJson(meta, value.parsed, versionOf(rt, entry)) : heapAnalysisJson(meta, value.profile, sampleIndex, sort);
}

export async function captureDiff(rt: Runtime, entry: ClusterEntry, baseId: number, newId: number, sampleIndex?: string) {
  const [base, next] = await Promise.all([loadCapture(rt, entry, baseId), loadCapture(rt, entry, newId)]);
  if (base.value.kind === 'goroutine' && next.value.kind === 'goroutine') return goroutineDiffJson({ id: baseId, parsed: base.value.parsed }, { id: newId, parsed: next.value.parsed });
  if (base.value.kind === 'heap' && next.value.kind === 'heap') return heapDiffJson({ id: baseId, profile: base.value.profile }, { id: newId, profile: next.value.profile }, sampleIndex);
  throw new HttpError(400, `capture ${baseId} is a ${base.summary.kind} capture and ${newId} a ${next.summary.kind} one: compare captures of one kind`);
}

export function captureRaw(rt: Runtime, entry: ClusterEntry, id: number): Response {
  const row = rt.store.artifacts(entry.id).find((a) => a.id === id);
  const body = row ? rt.store.artifactBody(entry.id, id) : null;
  if (!row || !body) throw new HttpError(404, `no capture ${id} in ${entry.name}`);
  const stamp = new Date(row.t).toISOString().replace(/[:.]/g, '-');
  const ext = row.kind === 'heap' ? 'pb.gz' : 'txt';
  const gz = row.kind === 'heap' && body[0] === 0x1f && body[1] === 0x8b;
  const name = `${entry.id}-${row.component}-${row.kind}-${stamp}.${row.kind === 'heap' && !gz ? 'pb' : ext}`;
  return new Response(new Uint8Array(body), {
    headers: {
      'content-type': row.kind === 'heap' ? 'application/octet-stream' : 'text/plain; charset=utf-8',
      'content-disposition': `attachment; filename="${name}"`,
      'content-length': String(body.byteLength),
    },
  });
}

function rateLimited(e: unknown): Response | null {
  if (!isRateLimited(e)) return null;
  return NextResponse.json({ error: e.message, retryAfter: e.retryAfterSeconds }, { status: 429, headers: { 'retry-after': String(e.retryAfterSeconds) } });
}

export async function postCapture(rt: Runtime, entry: ClusterEntry, body: { kind: CaptureKind; component: Component; requestedBy?: string }): Promise<CaptureSummary | Response> {
  try {
    return await pprofCaptures(rt).captureNow(entry, body.kind, body.component, body.requestedBy);
  } catch (e) {
    const r = rateLimited(e);
    if (r) return r;
    throw e;
  }
}

export async function uploadCapture(rt: Runtime, entry: ClusterEntry, req: Request, q: { kind: CaptureKind; component: string; name?: string }): Promise<CaptureSummary> {
  return oneUploadAtATime(async () => {
    // Spooled to a private temporary file first: a refused body (too large, gone) never sits in memory.
    const dir = await fs.promises.mkdtemp(path.join(os.tmpdir(), 'kf-upload-'));
    try {
      const file = path.join(dir, 'body');
      await spoolBody(req, file, { limit: MAX_UPLOAD_BYTES, limitText: UPLOAD_LIMIT_TEXT });
      return await pprofCaptures(rt).upload(entry, q.kind, q.component, await fs.promises.readFile(file), q.name);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
}

export { captureKindOf };

/**
 * The `[id]` segment of a capture route (`withCluster` resolves only the cluster), `fromEnd`
 * segments from the end of the path: 1 for …/captures/ID, 2 for …/captures/ID/raw.
 */
export function captureIdOf(req: Request, fromEnd: number): number {
  const parts = new URL(req.url).pathname.split('/').filter(Boolean);
  const raw = decodeURIComponent(parts[parts.length - fromEnd] ?? '');
  if (!/^\d{1,15}$/.test(raw) || Number(raw) <= 0) throw new HttpError(400, `capture id must be a positive integer, got ${JSON.stringify(raw)}`);
  return Number(raw);
}
