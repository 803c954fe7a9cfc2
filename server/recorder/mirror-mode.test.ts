// The recorder with a mirror (Prometheus): the apiserver's and etcd's series come from it, the
// cluster is asked only for what Prometheus lacks, and a component Prometheus stops having is
// scraped again until it has it back, without writing a step twice.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { mirroredRows, RECORD_LABEL } from '@/lib/prometheus/mirror';
import type { PromMatrix } from '@/lib/prometheus/panels';
import type { Component } from '@/lib/recording/types';
import { ClusterError, type ClusterSource, type RawScrape } from '../cluster/types';
import type { MetricsMirror } from '../prometheus/mirror';
import { createIngest } from '../runtime';
import { Store } from '../store/store';
import { ClusterRecorder, MIRROR_COMPONENT } from './cluster-recorder';

const SCRAPES = path.join(__dirname, '../../testdata/metrics');
const API_SCRAPE = fs.readFileSync(path.join(SCRAPES, 'kube-apiserver/v1.20.2/2026-11-23T01:53:25Z.prom'), 'utf8');

const T0 = Date.parse('2026-12-03T10:00:00Z');
const STEP = 1000;

function fakeSource(clock: () => number) {
  const calls: string[] = [];
  let up = true;
  const fail = (what: string) => { throw new ClusterError('fake', 'unreachable', `${what}: ECONNREFUSED`); };
  const src = {
    id: 'fake', kind: 'live',
    describe: () => ({ id: 'fake', name: 'fake', kind: 'live', server: 'https://127.0.0.1:1', components: ['kube-apiserver', 'etcd'], notes: [] }),
    metrics: async (c: Component): Promise<RawScrape> => {
      calls.push(`${c} /metrics`);
      if (!up) fail('metrics');
      if (c === 'etcd') throw new ClusterError('fake', 'unreachable', 'etcd: ECONNREFUSED');
      return { component: c, at: clock(), text: API_SCRAPE, origin: '/metrics' };
    },
    health: async () => { calls.push('readyz'); if (!up) fail('readyz'); return { endpoint: 'readyz', at: clock(), ok: true, httpStatus: 200, checks: [], raw: 'readyz check passed' }; },
    version: async () => { calls.push('version'); return { gitVersion: 'v1.20.2', major: '1', minor: '20' }; },
    kubernetesEndpoints: async () => { calls.push('endpoints'); return { name: 'kubernetes', namespace: 'default', addresses: ['192.0.2.10'], ports: [6443] }; },
    nodes: async () => { calls.push('nodes'); return []; },
    nodeLeases: async () => { calls.push('leases'); return []; },
    census: async () => { calls.push('census'); return { at: clock(), entries: [], durationMs: 1 }; },
    close: async () => undefined,
  } as unknown as ClusterSource;
  return { src, calls, setUp: (v: boolean) => { up = v; } };
}

/**
 * A Prometheus holding, per component, one sample per step from `since` on: goroutines (apiserver)
 * and DB size (etcd) equal to the step's index, so each stored value says which step it came from.
 */
function fakeMirror() {
  const has: Record<Component, { since: number; until: number } | null> = { 'kube-apiserver': { since: T0 - 3600_000, until: Infinity }, etcd: { since: T0 - 3600_000, until: Infinity } };
  const asked: Array<{ start: number; end: number }> = [];
  let down = false;
  const series = (record: string, c: Component, start: number, end: number): PromMatrix => {
    const h = has[c];
    if (!h) return [];
    const values: Array<[number, string]> = [];
    for (let t = start; t <= end; t += STEP) if (t >= h.since && t <= h.until) values.push([t / 1000, String((t - T0) / STEP)]);
    return values.length ? [{ metric: { [RECORD_LABEL]: record }, values }] : [];
  };
  const m: MetricsMirror = {
    components: ['kube-apiserver', 'etcd'], stepMs: STEP, lagMs: STEP, url: 'https://prom.example',
    fetch: async (start, end) => {
      asked.push({ start, end });
      if (down) throw new Error('connect ECONNREFUSED 192.0.2.9:9090');
      return mirroredRows([...series('go_goroutines', 'kube-apiserver', start, end), ...series('etcd_mvcc_db_total_size_in_bytes', 'etcd', start, end)]);
    },
  };
  return { m, has, asked, setDown: (v: boolean) => { down = v; } };
}

function values(store: Store, name: string): Array<[number, number]> {
  return store.series.query('fake', name, 0, T0 + 3600_000)[0]?.points.map((p) => [(p.t - T0) / STEP, p.v]) ?? [];
}

describe('ClusterRecorder with a Prometheus mirror', () => {
  it('reads the series from Prometheus (backfilled), probes the apiserver with /readyz, and never scrapes /metrics', async () => {
    const store = Store.memory();
    let now = T0;
    const f = fakeSource(() => now);
    const p = fakeMirror();
    const commits: Array<{ component: string; t: number }> = [];
    const r = new ClusterRecorder(f.src, store, createIngest(), {
      intervalMs: STEP, mirror: p.m, mirrorBackfillMs: 10 * STEP, mirrorMaxSteps: 100, now: () => now, onCommit: (c) => commits.push(c),
    });
    await r.tick();
    expect(f.calls.filter((c) => c.includes('/metrics'))).toEqual([]);
    expect(f.calls.filter((c) => c === 'readyz')).toHaveLength(1); // the probe; the side reads do not ask again
    // The backfill: 10 steps back, up to one step behind now (Prometheus' lag).
    expect(p.asked).toEqual([{ start: T0 - 10 * STEP, end: T0 - STEP }]);
    expect(values(store, 'go_goroutines').map(([i]) => i)).toEqual([-10, -9, -8, -7, -6, -5, -4, -3, -2, -1]);
    expect(values(store, 'etcd_mvcc_db_total_size_in_bytes').at(-1)).toEqual([-1, -1]);
    expect(commits).toEqual([{ cluster: 'fake', component: 'kube-apiserver', t: T0 - STEP, rows: 10 }, { cluster: 'fake', component: 'etcd', t: T0 - STEP, rows: 10 }]);
    // Freshness: the apiserver answered (the probe), and Prometheus answered.
    const fresh = new Map(store.freshness('fake').map((x) => [x.component, x]));
    expect(fresh.get('kube-apiserver')).toMatchObject({ ok: true, lastOk: T0 });
    expect(fresh.get(MIRROR_COMPONENT)).toMatchObject({ ok: true });
    // Next rounds: only the new steps, each written once.
    for (let i = 0; i < 3; i++) { now += STEP; await r.tick(); }
    expect(p.asked.slice(1)).toEqual([{ start: T0, end: T0 }, { start: T0 + STEP, end: T0 + STEP }, { start: T0 + 2 * STEP, end: T0 + 2 * STEP }]);
    expect(values(store, 'go_goroutines').map(([i]) => i)).toEqual([-10, -9, -8, -7, -6, -5, -4, -3, -2, -1, 0, 1, 2]);
    expect(f.calls.filter((c) => c.includes('/metrics'))).toEqual([]);
    expect(r.status()).toMatchObject({ mirror: { url: 'https://prom.example', requests: 4, components: ['kube-apiserver', 'etcd'], lastError: null } });
    // A restart resumes after what is stored, not a backfill again.
    const r2 = new ClusterRecorder(f.src, store, createIngest(), { intervalMs: STEP, mirror: p.m, mirrorBackfillMs: 10 * STEP, now: () => now });
    now += STEP;
    await r2.tick();
    expect(p.asked.at(-1)).toEqual({ start: T0 + 3 * STEP, end: T0 + 3 * STEP });
    store.close();
  });

  it('a backfill reaching before Prometheus\' first sample moves through the empty past to the present', async () => {
    const store = Store.memory();
    let now = T0;
    const f = fakeSource(() => now);
    const p = fakeMirror();
    // Prometheus started 3 steps ago; the backfill wants 25 steps, 10 per read.
    p.has['kube-apiserver'] = { since: T0 - 3 * STEP, until: Infinity };
    p.has.etcd = { since: T0 - 3 * STEP, until: Infinity };
    const r = new ClusterRecorder(f.src, store, createIngest(), { intervalMs: STEP, mirror: p.m, mirrorBackfillMs: 25 * STEP, mirrorMaxSteps: 10, now: () => now });
    await r.tick();
    now += STEP;
    await r.tick();
    now += STEP;
    await r.tick();
    expect(p.asked).toEqual([
      { start: T0 - 25 * STEP, end: T0 - 16 * STEP },
      { start: T0 - 15 * STEP, end: T0 - 6 * STEP },
      { start: T0 - 5 * STEP, end: T0 + STEP },
    ]);
    expect(values(store, 'go_goroutines').map(([i]) => i)).toEqual([-3, -2, -1, 0, 1]);
    // Judged only at the present: the empty past did not send the recorder to scrape /metrics.
    expect(f.calls.filter((c) => c.includes('/metrics'))).toEqual([]);
    expect(r.status().mirror?.components).toEqual(['kube-apiserver', 'etcd']);
    store.close();
  });

  it('a Prometheus started a moment before the dashboard (no sample yet at the first steps read) is not taken for one that lacks them', async () => {
    const store = Store.memory();
    let now = T0;
    const f = fakeSource(() => now);
    const p = fakeMirror();
    // Prometheus' first samples are at T0: the backfill's last step (T0 − 1 step) has none.
    p.has['kube-apiserver'] = { since: T0, until: Infinity };
    p.has.etcd = { since: T0, until: Infinity };
    const r = new ClusterRecorder(f.src, store, createIngest(), { intervalMs: STEP, mirror: p.m, mirrorBackfillMs: 10 * STEP, now: () => now });
    for (let i = 0; i < 4; i++) { await r.tick(); now += STEP; }
    expect(f.calls.filter((c) => c.includes('/metrics'))).toEqual([]);
    expect(r.status().mirror?.components).toEqual(['kube-apiserver', 'etcd']);
    expect(values(store, 'go_goroutines').map(([i]) => i)).toEqual([0, 1, 2]);
    store.close();
  });

  it('scrapes a component Prometheus stops having, and hands it back without writing a step twice', async () => {
    const store = Store.memory();
    let now = T0;
    const f = fakeSource(() => now);
    const p = fakeMirror();
    const r = new ClusterRecorder(f.src, store, createIngest(), { intervalMs: STEP, mirror: p.m, mirrorBackfillMs: 5 * STEP, now: () => now });
    await r.tick();
    // Prometheus loses the apiserver (its own scrapes fail, or the job was renamed).
    p.has['kube-apiserver'] = { since: T0 - 3600_000, until: T0 - 3 * STEP };
    now += STEP;
    await r.tick(); // this round's answer has no recent apiserver sample: once is not a loss
    expect(r.status().mirror?.components).toEqual(['kube-apiserver', 'etcd']);
    now += STEP;
    await r.tick(); // twice in a row is
    expect(r.status().mirror?.components).toEqual(['etcd']);
    f.calls.length = 0;
    now += STEP;
    await r.tick();
    expect(f.calls).toContain('kube-apiserver /metrics'); // the probe is /metrics again
    expect(f.calls).not.toContain('etcd /metrics'); // etcd still comes from Prometheus
    const scraped = now;
    expect(store.series.latest('fake', 'go_goroutines')[0]!.t).toBe(scraped);
    // Prometheus has the apiserver again, and catches up past the recorder's own last scrape.
    p.has['kube-apiserver'] = { since: T0 - 3600_000, until: Infinity };
    now += STEP;
    await r.tick(); // still scraped this round; the answer shows Prometheus has it again
    expect(r.status().mirror?.components.sort()).toEqual(['etcd', 'kube-apiserver']);
    const lastScrape = store.series.latest('fake', 'go_goroutines')[0]!.t;
    f.calls.length = 0;
    now += 2 * STEP;
    await r.tick();
    expect(f.calls.filter((c) => c.includes('/metrics'))).toEqual([]);
    const pts = store.series.query('fake', 'go_goroutines', 0, now)[0]!.points.map((x) => x.t);
    expect(new Set(pts).size).toBe(pts.length);
    expect(pts.filter((t) => t > lastScrape).every((t) => t % STEP === 0 && t > lastScrape)).toBe(true);
    expect(pts.at(-1)).toBe(now - STEP);
    store.close();
  });

  it('Prometheus down: the recorder scrapes everything itself and says why; the apiserver down: Prometheus still fills etcd', async () => {
    const store = Store.memory();
    let now = T0;
    const f = fakeSource(() => now);
    const p = fakeMirror();
    const r = new ClusterRecorder(f.src, store, createIngest(), { intervalMs: STEP, mirror: p.m, mirrorBackfillMs: 5 * STEP, maxBackoffMs: 4 * STEP, now: () => now });
    await r.tick();
    p.setDown(true);
    now += STEP;
    await r.tick();
    expect(r.status().mirror).toMatchObject({ components: [], lastError: 'connect ECONNREFUSED 192.0.2.9:9090' });
    const row = store.freshness('fake').find((x) => x.component === MIRROR_COMPONENT)!;
    expect(row).toMatchObject({ ok: false });
    expect(row.lastError).toBe('https://prom.example: connect ECONNREFUSED 192.0.2.9:9090');
    f.calls.length = 0;
    now += STEP;
    await r.tick();
    expect(f.calls).toEqual(expect.arrayContaining(['kube-apiserver /metrics', 'etcd /metrics', 'readyz']));
    // Prometheus back, the apiserver down: the breaker opens on the cluster, and the mirror, which
    // does not touch the cluster, goes on filling etcd's series.
    p.setDown(false);
    now += STEP;
    await r.tick();
    expect(r.status().mirror?.components.sort()).toEqual(['etcd', 'kube-apiserver']);
    f.setUp(false);
    p.has['kube-apiserver'] = { since: T0 - 3600_000, until: now - STEP };
    for (let i = 0; i < 3; i++) { now += STEP; await r.tick(); }
    expect(r.status().backoff.open).toBe(true);
    expect(values(store, 'etcd_mvcc_db_total_size_in_bytes').at(-1)![0]).toBe((now - STEP - T0) / STEP);
    store.close();
  });
});
