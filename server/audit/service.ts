import 'server-only';
// Audit-log ingestion for the dashboard. Three sources, never a path chosen by the browser:
// - uploads: streamed to disk under <dataDir>/audit/<cluster>/ with a size cap (413 beyond), then
//   ingested in the background with progress (bytes read / total);
// - a path on the server host, configured per cluster (`clusters[].audit.path` in KF_CONFIG),
//   followed as it grows; truncation (size below our offset) and rotation (a new inode, as
//   lumberjack renames audit.log and starts a new one) are detected and the new file read from 0;
// - `audit/` files of a bundle (server/bundle/import.ts).
// The latest source's file is kept for the policy analyzer, which replays it (bounded) per request.
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { AUDIT_DISK_SNAPSHOT, AUDIT_LOG_BYTES, isAuditLogFile, type AuditDiskInput } from '@/lib/audit/disk';
import { AuditLineReader } from '@/lib/audit/lines';
import { policyAnalyzer } from '@/lib/audit/policy-analyze';
import type { PolicyAnalysis } from '@/lib/audit/policy-analyze';
import { PolicyError } from '@/lib/audit/policy';
import { readAuditStream } from '@/cli/audit-stream';
import { HttpError } from '../api/handler';
import { refuseDeclaredOversize, spoolBody } from '../api/spool-body';
import type { Store } from '../store/store';
import { AuditIngestor } from './ingest';
import { AuditStore } from './store';
import type { AuditSourceKind, AuditSourceRow } from './store';

export const UPLOAD_MAX_BYTES = Number(process.env.KF_AUDIT_UPLOAD_MAX_BYTES ?? 2 * 1024 ** 3);
/** Decompressed cap for gzip uploads and bundle files. */
export const MAX_DECOMPRESSED = Number(process.env.KF_AUDIT_MAX_DECOMPRESSED ?? 16 * 1024 ** 3);
/** The policy analyzer replays at most this much of the latest sample. */
export const POLICY_SAMPLE_BYTES = 512 * 1024 ** 2;
const FOLLOW_EVERY_MS = Number(process.env.KF_AUDIT_FOLLOW_MS ?? 2000);
/** How often the follower samples the log's disk (statfs, the log and its backups). */
const DISK_EVERY_MS = Number(process.env.KF_AUDIT_DISK_MS ?? 15_000);
const KEEP_FILES = 5;

export function auditDir(store: Store): string | null {
  const name = (store.db as unknown as { name?: string }).name;
  return name && name !== ':memory:' ? path.join(path.dirname(name), 'audit') : null;
}

async function ingestStream(store: Store, clusterId: string, sourceId: number, input: Readable, name: string): Promise<AuditSourceRow | null> {
  const audit = new AuditStore(store.db);
  const ing = new AuditIngestor(audit, sourceId, clusterId);
  try {
    const r = await readAuditStream(input, name, (e, b) => ing.add(e, b), {
      maxDecompressedBytes: MAX_DECOMPRESSED,
      onProgress: (n) => { ing.flush(); audit.updateSource(sourceId, { readBytes: n, events: ing.events, bytes: ing.bytes }); },
    });
    ing.flush();
    audit.updateSource(sourceId, { status: 'done', readBytes: r.inputBytes, events: ing.events, bytes: ing.bytes, damage: r.damage, latency: ing.latencyData(), error: ing.events === 0 ? `no audit events in ${name}` : null });
  } catch (e) {
    ing.flush();
    audit.updateSource(sourceId, { status: 'failed', error: e instanceof Error ? e.message : String(e), events: ing.events, bytes: ing.bytes });
  }
  audit.enforceRetention(clusterId);
  return audit.source(sourceId);
}

function pruneFiles(dir: string): void {
  const files = fs.readdirSync(dir).map((f) => path.join(dir, f)).filter((f) => fs.statSync(f).isFile()).sort((a, b) => fs.statSync(b).mtimeMs - fs.statSync(a).mtimeMs);
  for (const f of files.slice(KEEP_FILES)) fs.rmSync(f, { force: true });
}

const safeName = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 80) || 'audit.log';

/** Ingests a local file (bundle entries); keeps a copy for the policy analyzer when there is a data dir. */
export async function ingestAuditFile(store: Store, clusterId: string, file: string, name: string, kind: AuditSourceKind = 'bundle'): Promise<AuditSourceRow | null> {
  const dir = auditDir(store);
  let kept: string | null = null;
  if (dir) {
    const d = path.join(/*turbopackIgnore: true*/ dir, safeName(clusterId));
    fs.mkdirSync(d, { recursive: true, mode: 0o700 });
    kept = path.join(d, `${Date.now()}-${safeName(path.basename(name))}`);
    fs.copyFileSync(file, kept);
    pruneFiles(d);
  }
  const audit = new AuditStore(store.db);
  const id = audit.createSource({ clusterId, kind, name, file: kept, totalBytes: fs.statSync(file).size, status: 'ingesting' });
  return ingestStream(store, clusterId, id, fs.createReadStream(file, { highWaterMark: 1 << 20 }), name);
}

/** Streams an upload to disk (capped), then ingests it in the background. Answers at once with the source. */
export async function uploadAudit(store: Store, clusterId: string, req: Request, name: string): Promise<AuditSourceRow> {
  const limits = { limit: UPLOAD_MAX_BYTES, limitText: `${UPLOAD_MAX_BYTES} bytes` };
  refuseDeclaredOversize(req, limits);
  const dir = auditDir(store);
  if (!dir) throw new HttpError(500, 'no data directory for uploads');
  const d = path.join(/*turbopackIgnore: true*/ dir, safeName(clusterId));
  fs.mkdirSync(d, { recursive: true, mode: 0o700 });
  const file = path.join(d, `${Date.now()}-${safeName(name)}`);
  const { size } = await spoolBody(req, file, limits);
  pruneFiles(d);
  const audit = new AuditStore(store.db);
  const id = audit.createSource({ clusterId, kind: 'upload', name, file, totalBytes: size, status: 'ingesting' });
  void ingestStream(store, clusterId, id, fs.createReadStream(file, { highWaterMark: 1 << 20 }), name);
  return audit.source(id)!;
}

export interface FollowOptions {
  /** etcd's data dir on this host: the disk sample says whether the log shares its filesystem. */
  etcdDataDir?: string;
  /** Disk sampling period (default KF_AUDIT_DISK_MS, 15 s). */
  diskEveryMs?: number;
}

/**
 * One sample of the log's disk: the log and its rotated backups (lumberjack's names, in the same
 * directory), and statfs of the directory. Throws when the directory cannot be read.
 */
export function sampleAuditDisk(file: string, etcdDataDir?: string): AuditDiskInput {
  const dir = path.dirname(file);
  const base = path.basename(file);
  const files: AuditDiskInput['files'] = [];
  let n = 0;
  for (const name of fs.readdirSync(dir)) {
    if (++n > 10_000) break;
    if (!isAuditLogFile(base, name)) continue;
    try {
      const st = fs.statSync(path.join(dir, name));
      // What it takes on disk (allocated blocks), not its length: truncated under a writer that
      // does not append (lumberjack after a rotation), the log goes on at its old offset as a
      // sparse file whose length is back where it was while its blocks are freed.
      if (st.isFile()) files.push({ name, bytes: st.blocks * 512 });
    } catch { /* rotated away between readdir and stat */ }
  }
  files.sort((a, b) => b.bytes - a.bytes);
  const sfs = fs.statfsSync(dir);
  let sharesEtcdDisk: boolean | null | undefined;
  if (etcdDataDir) {
    try { sharesEtcdDisk = fs.statSync(etcdDataDir).dev === fs.statSync(dir).dev; } catch { sharesEtcdDisk = null; }
  }
  return {
    path: file, files: files.slice(0, 20), logBytes: files.reduce((s, f) => s + f.bytes, 0),
    fs: { sizeBytes: sfs.blocks * sfs.bsize, freeBytes: sfs.bfree * sfs.bsize, availBytes: sfs.bavail * sfs.bsize },
    ...(etcdDataDir ? { etcdDataDir, sharesEtcdDisk: sharesEtcdDisk ?? null } : {}),
  };
}

/**
 * Follows an audit log on the server host, as it grows, across rotation and truncation; samples its
 * disk (a snapshot for the detector and the runbook checks, a series for the growth).
 */
export class AuditFollower {
  private timer: NodeJS.Timeout | null = null;
  private reader: AuditLineReader | null = null;
  private ino = -1;
  private offset = 0;
  private busy = false;
  private readonly audit: AuditStore;
  private readonly ing: AuditIngestor;
  readonly sourceId: number;

  private lastDiskAt = 0;
  private diskError: string | null = null;

  constructor(private readonly store: Store, private readonly clusterId: string, readonly file: string, private readonly log: (m: string) => void, private readonly opts: FollowOptions = {}) {
    this.audit = new AuditStore(store.db);
    const key = `audit-follow:${file}`;
    const saved = store.getState(clusterId, key);
    let state: { sourceId: number; ino: number; offset: number } | null = null;
    try { state = saved ? (JSON.parse(saved) as { sourceId: number; ino: number; offset: number }) : null; } catch { state = null; }
    if (state && this.audit.source(state.sourceId)) {
      this.sourceId = state.sourceId;
      this.ino = state.ino;
      this.offset = state.offset;
    } else {
      this.sourceId = this.audit.createSource({ clusterId, kind: 'path', name: file, file, totalBytes: null, status: 'following' });
    }
    this.ing = new AuditIngestor(this.audit, this.sourceId, clusterId);
    const src = this.audit.source(this.sourceId)!;
    this.ing.events = src.events;
    this.ing.bytes = src.bytes;
  }

  start(): void {
    const tick = () => { void this.poll().finally(() => { if (this.timer) this.timer = setTimeout(tick, FOLLOW_EVERY_MS); }); };
    this.timer = setTimeout(tick, 0);
    this.timer.unref?.();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  /** Samples the log's disk when due; a failure is logged once (until it recovers), never thrown. */
  sampleDisk(now = Date.now()): void {
    if (now - this.lastDiskAt < (this.opts.diskEveryMs ?? DISK_EVERY_MS)) return;
    this.lastDiskAt = now;
    try {
      const body = sampleAuditDisk(this.file, this.opts.etcdDataDir);
      this.store.saveSnapshot(this.clusterId, AUDIT_DISK_SNAPSHOT, now, body);
      this.store.series.append(this.clusterId, now, [{ name: AUDIT_LOG_BYTES, labels: {}, value: body.logBytes }]);
      this.diskError = null;
    } catch (e) {
      const m = `audit ${this.file}: cannot sample its disk: ${e instanceof Error ? e.message : String(e)}`;
      if (m !== this.diskError) this.log(m);
      this.diskError = m;
    }
  }

  /** Feeds `file` from our offset to `end` (default: its current size) into `reader`. */
  private async readRange(file: string, reader: AuditLineReader, end = fs.statSync(file).size): Promise<void> {
    if (end <= this.offset) return;
    const input = fs.createReadStream(file, { start: this.offset, end: end - 1, highWaterMark: 1 << 20 });
    for await (const c of input) {
      reader.write(c as Buffer);
      this.offset += (c as Buffer).length;
    }
  }

  /** The log's rotated name in its directory, found by its inode (lumberjack renames in place). */
  private renamedTo(ino: number): string | null {
    const dir = path.dirname(this.file);
    const base = path.basename(this.file);
    try {
      for (const name of fs.readdirSync(dir)) {
        if (name === base || !isAuditLogFile(base, name) || name.endsWith('.gz')) continue;
        const f = path.join(dir, name);
        try { if (fs.statSync(f).ino === ino) return f; } catch { /* gone meanwhile */ }
      }
    } catch { /* the directory is unreadable: nothing to finish */ }
    return null;
  }

  async poll(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    this.sampleDisk();
    try {
      let st: fs.Stats;
      try { st = fs.statSync(this.file); } catch (e) {
        this.audit.updateSource(this.sourceId, { error: `cannot read ${this.file}: ${e instanceof Error ? e.message : String(e)}` });
        return;
      }
      if (st.ino !== this.ino || st.size < this.offset) {
        if (this.ino !== -1 && st.ino !== this.ino) {
          // Rotated: lumberjack renamed the file we were reading within the directory. What was
          // written to it after our last read is still there: read it before the new file.
          const old = this.renamedTo(this.ino);
          if (old && this.reader) await this.readRange(old, this.reader);
        }
        if (this.ino !== -1) this.log(`audit ${this.file}: ${st.ino !== this.ino ? 'rotated (new file)' : 'truncated'}; reading the new file from the start`);
        this.ino = st.ino;
        this.offset = 0;
        this.reader = null;
      }
      this.reader ??= new AuditLineReader((e, b) => this.ing.add(e, b));
      if (st.size > this.offset) await this.readRange(this.file, this.reader, st.size);
      this.ing.flush();
      this.audit.updateSource(this.sourceId, {
        status: 'following', readBytes: this.offset, totalBytes: st.size, events: this.ing.events, bytes: this.ing.bytes,
        damage: this.reader.damage, latency: this.ing.latencyData(), error: null,
      });
      this.store.setState(this.clusterId, `audit-follow:${this.file}`, JSON.stringify({ sourceId: this.sourceId, ino: this.ino, offset: this.offset }));
      this.audit.enforceRetention(this.clusterId);
    } catch (e) {
      this.log(`audit ${this.file}: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      this.busy = false;
    }
  }
}

/** Replays the cluster's latest audit file through a policy (bounded). */
export async function analyzePolicyOn(store: Store, clusterId: string, policyText: string): Promise<PolicyAnalysis & { sampleSource: { id: number; name: string; kind: string } }> {
  let pa;
  try { pa = policyAnalyzer(policyText); } catch (e) {
    if (e instanceof PolicyError) throw new HttpError(400, e.message);
    throw e;
  }
  const src = new AuditStore(store.db).sources(clusterId, 20).find((s) => s.file && s.status !== 'failed' && fs.existsSync(s.file));
  if (!src) throw new HttpError(409, 'no audit log to replay the policy on yet: upload one, or configure an audit path for this cluster');
  const input = fs.createReadStream(src.file!, { highWaterMark: 1 << 20, end: POLICY_SAMPLE_BYTES - 1 });
  await readAuditStream(input, src.name, (e, b) => pa.add(e, b), { maxDecompressedBytes: POLICY_SAMPLE_BYTES * 20 });
  return { ...pa.result(), sampleSource: { id: src.id, name: src.name, kind: src.kind } };
}
