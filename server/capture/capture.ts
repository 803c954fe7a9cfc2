import 'server-only';
import fs from 'node:fs';
import path from 'node:path';
import * as tar from 'tar';
import { sleep } from '@/lib/util/sleep';

/** Decompressed cap for a gzipped audit log copied into a bundle. */
const AUDIT_MAX_DECOMPRESSED = 64 * 1024 ** 3;
import { BUNDLE_FORMAT_VERSION, fileStamp, type BundleManifest } from '@/lib/bundle/manifest';
import { downNodes } from '@/lib/detectors/tolerations';
import type { AuditEvent } from '@/lib/audit/event';
import { redactRawEvent as redactRawAuditEvent } from '@/lib/audit/redact';
import { redactRawEvent } from '@/lib/events/redact';
import { readAuditFile } from '@/cli/audit-stream';
import { runEventWatch } from '../cluster/event-watch';
import type { ClusterSource, Component, RawEvent } from '../cluster/types';

export interface CaptureOptions {
  /** Output: a directory, or a path ending in .tar.gz / .tgz. */
  out: string;
  durationMs: number;
  intervalMs: number;
  censusEveryMs?: number;
  /** Goroutine dumps and heap profiles at the start and at the end. */
  profiles?: boolean;
  title?: string;
  story?: string;
  sources?: string[];
  /** Stops the capture early (Ctrl-C): what was captured so far is kept and packed. */
  signal?: AbortSignal;
  progress?: (p: { elapsedMs: number; scrapes: number; events: number; errors: number; last?: string }) => void;
  /** Mask Events about Secrets (lib/events/redact.ts). Default true; the manifest records the choice. */
  redact?: boolean;
  /** Extra files to copy into the bundle, e.g. audit logs: bundle path → source path. */
  extraFiles?: Record<string, string>;
}

export interface CaptureResult { out: string; manifest: BundleManifest; files: number; bytes: number; errors: string[] }

/** The end-of-capture profiles' share of the duration: a tenth, at most 30 s. */
export function endReserveMs(durationMs: number, profiles: boolean): number {
  return profiles ? Math.min(30_000, Math.round(durationMs / 10)) : 0;
}

class DeadlineError extends Error {
  override readonly name = 'DeadlineError';
}

/**
 * A signal that aborts at `at` or with `parent`. Built on a timer rather than
 * `AbortSignal.any([…, AbortSignal.timeout()])`: that composite holds its sources weakly, and a
 * timeout signal nothing else references can be collected before it fires (the deadline would
 * then never come).
 */
function deadlineSignal(at: number, parent?: AbortSignal): { signal: AbortSignal; dispose: () => void } {
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(new DeadlineError('capture deadline')), Math.max(0, at - Date.now()));
  const onParent = () => ac.abort(parent?.reason);
  if (parent?.aborted) ac.abort(parent.reason); else parent?.addEventListener('abort', onParent, { once: true });
  return { signal: ac.signal, dispose: () => { clearTimeout(timer); parent?.removeEventListener('abort', onParent); } };
}

/**
 * `fn` with `signal`, settled by the signal at the latest: a source that ignores the signal (or a
 * call stuck in a TLS handshake) cannot hold the capture past its deadline.
 */
function bounded<T>(signal: AbortSignal, fn: (signal: AbortSignal) => Promise<T>): Promise<T> {
  if (signal.aborted) return Promise.reject(new DeadlineError('not started: the capture deadline was reached'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new DeadlineError('cut off at the capture deadline'));
    signal.addEventListener('abort', onAbort, { once: true });
    fn(signal).then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}


/**
 * Copies an audit log (plain or gzip) into a bundle as JSON lines, each event redacted when asked
 * (lib/audit/redact: Secret bodies, tokens), and only those `keep` accepts (an export's range).
 * Streams with synchronous writes, so memory stays at one chunk and one line whatever the log's size.
 */
export async function copyAuditLog(src: string, dest: string, redact: boolean, keep: (e: AuditEvent) => boolean = () => true): Promise<{ events: number; damaged: number; bytes: number }> {
  fs.mkdirSync(path.dirname(dest), { recursive: true, mode: 0o700 });
  const fd = fs.openSync(dest, 'w', 0o600);
  let events = 0;
  let bytes = 0;
  try {
    const r = await readAuditFile(src, (e, _b, _l, raw) => {
      if (!keep(e)) return;
      const line = `${JSON.stringify(redact ? redactRawAuditEvent(raw) : raw)}\n`;
      bytes += fs.writeSync(fd, line);
      events++;
    }, { maxDecompressedBytes: AUDIT_MAX_DECOMPRESSED });
    return { events, damaged: r.damage.count, bytes };
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Records a bundle from any ClusterSource: /metrics of every component each interval, readiness,
 * topology and version snapshots, a census at a slower cadence, Events (list, then watch), and
 * pprof snapshots at start and end. Errors are collected, never fatal: a dying cluster yields a
 * bundle of what could still be read.
 *
 * `durationMs` bounds the whole capture, however slow the cluster: every upstream call gets the
 * smaller of its own timeout and the time left. Sampling (with the version and the start profiles
 * beside it) ends at the deadline minus a reserve for the end profiles (`endReserveMs`), which
 * end at the deadline; then what was captured is packed.
 */
export async function captureBundle(source: ClusterSource, o: CaptureOptions): Promise<CaptureResult> {
  const packed = /\.(tar\.gz|tgz)$/.test(o.out);
  const dir = packed ? fs.mkdtempSync(`${o.out}.tmp-`) : o.out;
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const errors: string[] = [];
  let files = 0;
  let bytes = 0;
  const put = (rel: string, data: string | Uint8Array) => {
    const f = path.join(dir, rel);
    fs.mkdirSync(path.dirname(f), { recursive: true });
    fs.writeFileSync(f, data, { mode: 0o600 });
    files++;
    bytes += typeof data === 'string' ? Buffer.byteLength(data) : data.length;
  };
  const attempt = async (what: string, fn: () => Promise<void>): Promise<boolean> => {
    try { await fn(); return true; } catch (e) { errors.push(`${fileStamp(Date.now())} ${what}: ${e instanceof Error ? e.message : String(e)}`); return false; }
  };
  const d = source.describe();
  const components = d.components;
  const start = Date.now();
  const withProfiles = o.profiles !== false;
  const deadline = start + Math.max(0, o.durationMs);
  const samplingEnd = deadline - endReserveMs(o.durationMs, withProfiles);
  const samplingDeadline = deadlineSignal(samplingEnd, o.signal);
  const sampling = samplingDeadline.signal;
  let version: string | undefined;
  const pprofKinds: Array<{ component: Component; kinds: Array<'goroutine-debug2' | 'heap'> }> = [];

  const profiles = async (when: string, signal: AbortSignal) => {
    if (!withProfiles) return;
    // Components side by side (a hung apiserver does not cost etcd its profiles); per component, one at a time.
    await Promise.all(components.map(async (c) => {
      const kinds: Array<'goroutine-debug2' | 'heap'> = [];
      await attempt(`${c} goroutines (${when})`, async () => { put(`pprof/${c}/${fileStamp(Date.now())}-goroutine-debug2.txt`, await bounded(signal, (s) => source.goroutines(c, 2, { signal: s }))); kinds.push('goroutine-debug2'); });
      await attempt(`${c} heap (${when})`, async () => { put(`pprof/${c}/${fileStamp(Date.now())}-heap.pb.gz`, await bounded(signal, (s) => source.heapProfile(c, { signal: s }))); kinds.push('heap'); });
      const entry = pprofKinds.find((p) => p.component === c);
      if (entry) entry.kinds = [...new Set([...entry.kinds, ...kinds])]; else if (kinds.length) pprofKinds.push({ component: c, kinds });
    }));
  };

  // Events: list everything now (the apiserver still holds the last hour), then watch, resuming
  // across the server's watch timeouts and relisting on 410 Gone.
  const events = new Map<string, RawEvent>();
  const eventsStop = new AbortController();
  const stopEvents = () => eventsStop.abort();
  o.signal?.addEventListener('abort', stopEvents, { once: true });
  const eventsDeadline = setTimeout(stopEvents, Math.max(0, deadline - Date.now()));
  const eventsDone = runEventWatch(source, {
    api: 'core/v1', signal: eventsStop.signal,
    onEvents: (batch) => {
      for (const e of batch) {
        const uid = (e.metadata as { uid?: string } | undefined)?.uid;
        // Redacted as they arrive: a Secret's message never reaches the disk, even in the temp dir.
        if (uid) events.set(uid, o.redact === false ? e : redactRawEvent(e));
      }
    },
    log: (m) => errors.push(`${fileStamp(Date.now())} ${m}`),
  });

  // The version and the start profiles, beside the sampling: a hung call there must not delay the first scrape.
  const startPhase = (async () => {
    await attempt('version', async () => {
      const v = await bounded(sampling, (s) => source.version({ signal: s }));
      version = v.gitVersion;
      put(`snapshots/version/${fileStamp(Date.now())}.json`, JSON.stringify(v, null, 2));
    });
    await profiles('start', sampling);
  })();

  let scrapes = 0;
  let lastCensus = -Infinity;
  const censusEvery = o.censusEveryMs ?? 60_000;
  /** Runs `fn` once per interval until the sampling ends; a slow round delays only its own loop. */
  const everyInterval = async (fn: (t0: number) => Promise<void>) => {
    while (!sampling.aborted && Date.now() < samplingEnd) {
      const t0 = Date.now();
      await fn(t0);
      await sleep(Math.max(0, Math.min(t0 + o.intervalMs, samplingEnd) - Date.now()), sampling);
    }
  };
  // One loop per component's /metrics and one for the other reads: a hung apiserver does not cost
  // etcd's own endpoint its scrapes, and a hung census does not cost /metrics theirs.
  await Promise.all([
    ...components.map((c) => everyInterval(async () => {
      await attempt(`${c} /metrics`, async () => {
        const m = await bounded(sampling, (s) => source.metrics(c, { signal: s }));
        put(`metrics/${c}/${fileStamp(m.at)}.prom`, m.text);
        scrapes++;
      });
    })),
    everyInterval(async (t0) => {
      const report = () => o.progress?.({ elapsedMs: Date.now() - start, scrapes, events: events.size, errors: errors.length, last: errors[errors.length - 1] });
      // An apiserver that cannot answer readiness (a failing check is an answer) gets no more reads this round.
      if (!(await attempt('readyz', async () => { const h = await bounded(sampling, (s) => source.health('readyz', { signal: s })); put(`snapshots/readyz/${fileStamp(h.at)}.txt`, h.raw); }))) { report(); return; }
      await attempt('topology', async () => {
        const t = fileStamp(Date.now());
        const nodes = await bounded(sampling, (s) => source.nodes({ signal: s }));
        put(`snapshots/nodes/${t}.json`, JSON.stringify(nodes));
        const leases = await bounded(sampling, (s) => source.nodeLeases({ signal: s }));
        put(`snapshots/leases/${t}.json`, JSON.stringify(leases));
        // The pods of down nodes, for their tolerations (the eviction countdown), as the recorder does.
        const down = source.podTolerations ? downNodes(nodes, leases, Date.now()) : [];
        if (down.length) put(`snapshots/pods/${t}.json`, JSON.stringify(await bounded(sampling, (s) => source.podTolerations!(down, { signal: s }))));
        put(`snapshots/endpoints/${t}.json`, JSON.stringify(await bounded(sampling, (s) => source.kubernetesEndpoints({ signal: s }))));
      });
      if (t0 - lastCensus >= censusEvery) {
        lastCensus = t0;
        await attempt('census', async () => { const c = await bounded(sampling, (s) => source.census({ signal: s })); put(`census/${fileStamp(c.at)}.json`, JSON.stringify(c)); });
      }
      report();
    }),
  ]);
  await startPhase;
  samplingDeadline.dispose();

  const endDeadline = deadlineSignal(deadline, o.signal);
  await profiles('end', endDeadline.signal);
  endDeadline.dispose();
  eventsStop.abort();
  clearTimeout(eventsDeadline);
  // A source that ignores the abort cannot hold the bundle back: the events received so far are kept.
  await Promise.race([eventsDone, sleep(1000)]);
  o.signal?.removeEventListener('abort', stopEvents);
  // A bundle is shared: messages of events about Secrets are masked (lib/events/redact).
  // (Masked as they arrived, unless --no-redact.)
  const evLines = [...events.values()].map((e) => JSON.stringify(e)).join('\n');
  if (events.size) put('events.jsonl', `${evLines}\n`);
  for (const [rel, src] of Object.entries(o.extraFiles ?? {})) {
    await attempt(`copy ${src}`, async () => {
      if (!rel.startsWith('audit/')) { put(rel, fs.readFileSync(src)); return; }
      // Audit logs at Request level and above carry Secrets in full: each event is re-written
      // through lib/audit/redact, streamed (logs are large); lines that do not parse cannot be
      // redacted and are left out, and said so.
      const c = await copyAuditLog(src, path.join(dir, rel), o.redact !== false);
      files++;
      bytes += c.bytes;
      if (c.damaged) errors.push(`${fileStamp(Date.now())} ${rel}: ${c.damaged} damaged line(s) of ${src} left out${o.redact !== false ? ' (they cannot be redacted)' : ''}`);
    });
  }
  if (errors.length) put('capture-errors.txt', `${errors.join('\n')}\n`);

  const manifest: BundleManifest = {
    formatVersion: BUNDLE_FORMAT_VERSION,
    cluster: { name: d.name, ...(version ? { version } : {}), server: d.server },
    timeRange: { from: new Date(start).toISOString(), to: new Date().toISOString() },
    createdBy: 'kube-forensics capture',
    createdAt: new Date().toISOString(),
    sources: o.sources ?? [`${d.kind}:${d.context ?? d.name}`],
    captured: {
      metrics: components, events: events.size > 0, pprof: pprofKinds, census: lastCensus > -Infinity,
      snapshots: ['version', 'readyz', 'nodes', 'leases', 'endpoints'], audit: Object.keys(o.extraFiles ?? {}).some((k) => k.startsWith('audit/')),
    },
    intervalSeconds: o.intervalMs / 1000,
    redacted: o.redact !== false,
    ...(o.title ? { title: o.title } : {}),
    ...(o.story ? { story: o.story } : {}),
  };
  put('manifest.json', JSON.stringify(manifest, null, 2));
  if (packed) {
    await tar.c({ gzip: { level: 9 }, file: o.out, cwd: dir, portable: true }, fs.readdirSync(dir));
    fs.chmodSync(o.out, 0o600); // a bundle holds cluster evidence: the owner's only, as the store
    fs.rmSync(dir, { recursive: true, force: true });
    bytes = fs.statSync(o.out).size;
  }
  return { out: o.out, manifest, files, bytes, errors };
}
