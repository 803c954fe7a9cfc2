// The events archive: ingest and query at 100k events.
// - Ingest: 100,000 core/v1 Events (two hours at 50,000/hour, with a node-loss storm in the middle)
//   go through the real EventRecorder (list pages of 500 → parse → uid coalescing → batched commits)
//   into SQLite on disk. Reports events/s, the headroom over 50k/hour, and the RSS growth.
// - Query: the events API's own code (server/views/events.ts: rows newest first + strip + facets +
//   storms) over the 100k archived events, for several filters, against `jq` filtering the same
//   events exported as one JSON array (what one would do with `kubectl get events -o json` saved
//   to disk): the ratio is jq's time over ours.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EventRecorder } from '../../../server/recorder/event-recorder';
import type { ClusterSource, RawEvent } from '../../../server/cluster/types';
import { Store } from '../../../server/store/store';
import { events } from '../../../server/views/events';
import type { ClusterEntry, Runtime } from '../../../server/runtime';
import type { EventFilter } from '../../../lib/events/filter';
import type { BenchResult } from '../types';
import { eventAt, lcg } from '../../../test/support/synthetic-events';

const N = 100_000;
const T0 = Date.parse('2026-11-23T00:00:00Z');
const SPAN = 2 * 3600_000;

/** A source whose list pages are generated on demand (the bench's own memory stays out of the RSS figure). */
function syntheticSource(): ClusterSource {
  const rand = lcg(7);
  return {
    id: 'bench', kind: 'live',
    describe: () => ({ id: 'bench', name: 'bench', kind: 'live', server: 'synthetic', components: [], notes: [] }),
    listEvents: async (_api: string, page: { limit: number; continue?: string }) => {
      const start = Number(page.continue ?? 0);
      const end = Math.min(N, start + page.limit);
      const items: RawEvent[] = [];
      for (let i = start; i < end; i++) items.push(eventAt(i, rand, { n: N, t0: T0, span: SPAN }));
      await new Promise((r) => setImmediate(r));
      return { items, resourceVersion: String(1000 + N), continue: end < N ? String(end) : undefined };
    },
    watchEvents: async (_api: string, _rv: string, _on: unknown, o?: { signal?: AbortSignal }) => {
      let resolve!: () => void;
      const done = new Promise<{ reason: 'stopped' }>((r) => { resolve = () => r({ reason: 'stopped' }); });
      o?.signal?.addEventListener('abort', () => resolve(), { once: true });
      return { stop: () => resolve(), done };
    },
    close: async () => undefined,
  } as unknown as ClusterSource;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export default async function eventsBench(): Promise<BenchResult[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kf-bench-events-'));
  const out: BenchResult[] = [];
  try {
    const store = Store.open(dir);
    global.gc?.();
    const rss0 = process.memoryUsage().rss;
    let peak = rss0;
    const sampler = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 20);
    const rec = new EventRecorder(syntheticSource(), store, { apis: ['core/v1'] });
    const t0 = performance.now();
    rec.start();
    while (rec.status().written < N) await new Promise((r) => setTimeout(r, 10));
    const ingestMs = performance.now() - t0;
    await rec.stop();
    clearInterval(sampler);
    const perSec = N / (ingestMs / 1000);
    out.push({ metric: `ingest ${N / 1000}k events (list → parse → batched commits, SQLite on disk)`, value: perSec, unit: 'events/s', note: `${(ingestMs / 1000).toFixed(1)} s; ${Math.round(perSec / (50_000 / 3600))}× the 50k/hour storm rate` });
    out.push({ metric: 'RSS growth during the ingest', value: (peak - rss0) / 1024 ** 2, unit: 'MiB', note: `peak ${(peak / 1024 ** 2).toFixed(0)} MiB (the recorder's buffer is bounded: at most 20k distinct events)` });

    // Queries: the API's code over the archive, against jq over the same events as JSON.
    const rt = { store, config: { intervalMs: 15_000 } } as unknown as Runtime;
    const entry = { id: 'bench', name: 'bench', kind: 'bundle', bundle: { path: '', from: T0, to: T0 + SPAN, warnings: [] } } as ClusterEntry;
    const exportFile = path.join(dir, 'events.json');
    const bodies = store.db.prepare<[], { body: string }>('SELECT body FROM events WHERE cluster_id = \'bench\'').all();
    fs.writeFileSync(exportFile, `[${bodies.map((b) => b.body).join(',\n')}]`);
    const exportMb = fs.statSync(exportFile).size / 1024 ** 2;
    const cases: Array<{ name: string; filter: EventFilter; jq: string }> = [
      { name: 'no filter (newest 5,000 + strip, facets, storms)', filter: {}, jq: '.' },
      { name: 'reason=BackOff', filter: { reason: 'BackOff' }, jq: 'select(.reason == "BackOff")' },
      { name: 'namespace=team-7, type=Warning', filter: { namespace: 'team-7', type: 'Warning' }, jq: 'select(.object.namespace == "team-7" and .type == "Warning")' },
      { name: 'free text "insufficient cpu"', filter: { q: 'insufficient cpu' }, jq: 'select((.message | ascii_downcase | contains("insufficient cpu")) or (.object.name | ascii_downcase | contains("insufficient cpu")))' },
    ];
    let hasJq = true;
    try { execFileSync('jq', ['--version']); } catch { hasJq = false; }
    for (const c of cases) {
      const q = { from: String(T0), to: String(T0 + SPAN), filter: c.filter, limit: 5000, group: 'none' as const };
      let total = 0;
      const times: number[] = [];
      events(rt, entry, q); // warm-up
      for (let i = 0; i < 5; i++) { const s = performance.now(); total = events(rt, entry, q).total; times.push(performance.now() - s); }
      const ours = median(times);
      let ref: number | undefined;
      if (hasJq) {
        const jqTimes: number[] = [];
        for (let i = 0; i < 3; i++) {
          const s = performance.now();
          const n = Number(execFileSync('jq', ['-c', `[.[] | ${c.jq}] | sort_by(-.lastTimestamp) | .[:5000] | length`, exportFile], { maxBuffer: 1 << 26 }).toString());
          jqTimes.push(performance.now() - s);
          if (n !== Math.min(5000, total)) throw new Error(`${c.name}: jq found ${n}, the archive ${total}`);
        }
        ref = median(jqTimes);
      }
      out.push({
        metric: `query 100k archived: ${c.name}`, value: ours, unit: 'ms',
        ...(ref !== undefined ? { reference: `jq 1.6 on the same events as JSON (${exportMb.toFixed(0)} MB)`, referenceValue: ref, ratio: ref / ours } : {}),
        note: `${total} matching${ref === undefined ? '; jq not installed (ensure-deps.sh bench)' : ''}`,
      });
    }
    store.close();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return out;
}
