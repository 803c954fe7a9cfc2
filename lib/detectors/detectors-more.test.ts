import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLES, recordedBundle, type RecordedBundle } from '../../test/support/recorded-bundle';
import { detectionInputs } from '../../server/views/detection-inputs';
import type { SeriesData } from '../timeline/types';
import { detect } from './evaluate';
import { evictionPlan, zoneState } from './nodes';
import type { DetectionContext, NodeInput } from './types';

const T0 = Date.parse('2026-11-23T03:00:00Z');
const iso = (t: number) => new Date(t).toISOString();
const none = () => [] as SeriesData[];
const only = (ctx: Partial<DetectionContext> & { at: number }, id: string) =>
  detect({ load: none, from: ctx.at - 3600_000, ...ctx }).find((f) => f.detector === id);

describe('on the healthy baseline (real recording, with its snapshots)', () => {
  let b: RecordedBundle;
  beforeAll(async () => { b = await recordedBundle('healthy-baseline'); }, 60_000);
  afterAll(() => b?.close());
  it('raises nothing above info, and names the single apiserver and the single etcd member as info', () => {
    const inputs = detectionInputs(b.store, 'b', b.to);
    expect(inputs.endpoints?.body.addresses).toEqual(['192.0.2.10']);
    expect(inputs.version).toBe('v1.20.2');
    const f = detect({ load: b.load, at: b.to, from: b.from, ...inputs });
    expect(f.filter((x) => x.severity !== 'info')).toEqual([]);
    const ep = f.find((x) => x.detector === 'apiserver-endpoints')!;
    expect(ep.summary).toBe('One apiserver endpoint (192.0.2.10): a single point of failure');
    expect(ep.runbook).toBe('apiserver-down');
    expect(f.find((x) => x.detector === 'etcd-members')?.severity).toBe('info');
    for (const id of ['node-heartbeats', 'apiserver-readiness', 'apiserver-goroutine-growth', 'apiserver-memory-growth', 'apiserver-5xx', 'apiserver-latency-slo', 'apiserver-etcd-latency', 'etcd-leader-changes', 'etcd-heartbeat-failures', 'event-storm']) {
      expect(f.find((x) => x.detector === id), id).toBeUndefined();
    }
  });
  it('over the whole recording, replayed every 30 s: none of the incident detectors fires', () => {
    const w = worstOver(b);
    for (const id of ['etcd-no-leader', 'etcd-leader-changes', 'etcd-heartbeat-failures', 'etcd-db-quota', 'etcd-nospace', 'resource-growth',
      'node-heartbeats', 'apiserver-readiness', 'apiserver-goroutine-growth', 'apiserver-memory-growth', 'apiserver-5xx',
      'apiserver-latency-slo', 'apiserver-list-latency-slo', 'apiserver-etcd-latency', 'event-storm', 'audit-volume', 'audit-disk']) {
      expect(w.get(id), id).toBeUndefined();
    }
  }, 60_000);
});

const node = (name: string, o: Partial<NodeInput> & { beat: number }): NodeInput => ({
  name, zone: o.zone ?? 'a', ready: o.ready ?? 'True', readySince: o.readySince, lastHeartbeat: iso(o.beat), taints: o.taints ?? [],
});

describe('node lifecycle: zone states (ComputeZoneState)', () => {
  it('full, partial (≥ 3 and ≥ 55 %), normal', () => {
    expect(zoneState(0, 2, 0.55)).toBe('full-disruption');
    expect(zoneState(2, 3, 0.55)).toBe('partial-disruption');
    expect(zoneState(3, 2, 0.55)).toBe('normal');
    expect(zoneState(1, 2, 0.55)).toBe('normal'); // fewer than 3 not ready never counts as partial
  });
});

describe('node heartbeats and the eviction countdown', () => {
  const at = T0 + 120_000;
  const healthy = ['n1', 'n2'].map((n) => node(n, { beat: at - 5_000 }));
  it('a node silent past the grace period: countdown from its last heartbeat + 40 s + 300 s', () => {
    const nodes = [...healthy, node('n3', { beat: T0 })];
    const f = only({ at, nodes: { t: at, body: nodes }, leases: { t: at, body: [] } }, 'node-heartbeats')!;
    expect(f.severity).toBe('critical');
    // Untainted yet: the controller's next pass (5 s) after max(now, notReadyAt), then 300 s.
    const expected = at + 5_000 + 300_000;
    expect(f.summary).toBe(`1 of 3 nodes down: evictions will start at ${iso(expected).slice(11, 19)} UTC (in 5 min) unless the nodes come back or kube-controller-manager is stopped`);
    expect(f.evidence.facts.join('\n')).toContain('assuming the DefaultTolerationSeconds 300 s');
  });
  it('a tainted node with pods of short tolerationSeconds: the taint time plus each pod\'s toleration', () => {
    const taintAt = T0 + 45_000;
    const nodes = [...healthy, node('n3', { beat: T0, ready: 'Unknown', readySince: iso(T0 + 40_000), taints: [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: iso(taintAt) }] })];
    const pods = [{ namespace: 'app', name: 'web-1', node: 'n3', tolerationSeconds: 30 }, { namespace: 'app', name: 'db-0', node: 'n3', tolerationSeconds: null }];
    const plan = evictionPlan(nodes, [], pods, at);
    expect(plan.firstEvictionAt).toBe(taintAt + 30_000);
    expect(plan.evictions[0]!.pods.find((p) => p.name === 'db-0')!.at).toBeNull();
    const f = only({ at, nodes: { t: at, body: nodes }, pods }, 'node-heartbeats')!;
    expect(f.summary).toContain(`evictions started at ${iso(taintAt + 30_000).slice(11, 19)} UTC`);
    expect(f.evidence.facts.join('\n')).toContain('1 pod will be deleted');
  });
  it('pods listed for some nodes only: a listed node without pods evicts nothing, an unlisted one gets the default', () => {
    const down = (n: string) => node(n, { beat: T0, ready: 'Unknown', readySince: iso(T0 + 40_000), taints: [{ key: 'node.kubernetes.io/unreachable', effect: 'NoExecute', timeAdded: iso(T0 + 45_000) }] });
    const nodes = [...healthy, down('n3'), down('n4')];
    const plan = evictionPlan(nodes, [], [{ namespace: 'kube-system', name: 'proxy-x', node: 'n3', tolerationSeconds: null }], at, {}, ['n3']);
    expect(plan.evictions.find((e) => e.node === 'n3')).toMatchObject({ at: null, pods: [{ name: 'proxy-x', assumed: false }] });
    expect(plan.evictions.find((e) => e.node === 'n4')).toMatchObject({ at: T0 + 45_000 + 300_000, pods: [{ name: '*', assumed: true }] });
  });
  it('a cluster configured with other controller flags: its grace period and default toleration', () => {
    const nodes = [...healthy, node('n3', { beat: at - 30_000 })];
    // Silent 30 s: within the default 40 s, past a 20 s grace period.
    expect(evictionPlan(nodes, [], undefined, at).firstEvictionAt).toBeNull();
    const plan = evictionPlan(nodes, [], undefined, at, { gracePeriodMs: 20_000, defaultTolerationSeconds: 60 });
    expect(plan.firstEvictionAt).toBe(at + 5_000 + 60_000);
    const f = only({ at, nodes: { t: at, body: nodes }, nodeLifecycle: { gracePeriodMs: 20_000, defaultTolerationSeconds: 60 } }, 'node-heartbeats')!;
    expect(f.evidence.facts.join('\n')).toContain('assuming the DefaultTolerationSeconds 60 s');
  });
  it('every node down: master disruption mode, evictions suspended (still critical: reconnecting kubelets end it)', () => {
    const nodes = ['n1', 'n2', 'n3'].map((n) => node(n, { beat: T0, ready: 'Unknown', readySince: iso(T0 + 40_000) }));
    const plan = evictionPlan(nodes, [], undefined, at);
    expect(plan.masterDisruption).toBe(true);
    expect(plan.firstEvictionAt).toBeNull();
    const f = only({ at, nodes: { t: at, body: nodes } }, 'node-heartbeats')!;
    expect(f.severity).toBe('critical');
    expect(f.summary).toBe('3 of 3 nodes down: every node is NotReady, evictions suspended (master disruption mode)');
  });
  it('one zone fully down while another is healthy: evictions go on at the normal rate, one node per 10 s', () => {
    const nodes = [node('a1', { beat: T0, zone: 'a' }), node('a2', { beat: T0, zone: 'a' }), node('b1', { beat: at, zone: 'b' })];
    const plan = evictionPlan(nodes, [], undefined, at);
    expect(plan.masterDisruption).toBe(false);
    expect(plan.zones.find((z) => z.zone === 'a')!.state).toBe('full-disruption');
    expect(plan.evictions.map((e) => e.at! - at)).toEqual([305_000, 315_000]);
  });
  it('partial disruption in a small cluster: taints paused (secondary rate 0 below 50 nodes)', () => {
    const nodes = [...['d1', 'd2', 'd3'].map((n) => node(n, { beat: T0 })), node('ok', { beat: at })];
    const plan = evictionPlan(nodes, [], undefined, at);
    expect(plan.zones[0]!.state).toBe('partial-disruption');
    expect(plan.firstEvictionAt).toBeNull();
    expect(only({ at, nodes: { t: at, body: nodes } }, 'node-heartbeats')!.summary).toBe('3 of 4 nodes down; no eviction is scheduled');
  });
  it('partial disruption in a large zone (> 50 nodes): taints go on at the secondary rate, one node per 100 s', () => {
    // 51 nodes in one zone, 30 of them silent (59 % ≥ 55 %): partial disruption; 51 > largeClusterThreshold.
    const zone = (down: number, total: number) => Array.from({ length: total }, (_, i) => node(`n${i}`, { beat: i < down ? T0 : at }));
    const large = evictionPlan(zone(30, 51), [], undefined, at);
    expect(large.zones[0]!.state).toBe('partial-disruption');
    const times = large.evictions.map((e) => e.at! - at).sort((x, y) => x - y);
    expect(times.slice(0, 3)).toEqual([305_000, 405_000, 505_000]);
    expect(times).toHaveLength(30);
    const f = only({ at, nodes: { t: at, body: zone(30, 51) } }, 'node-heartbeats')!;
    expect(f.summary).toBe(`30 of 51 nodes down: evictions will start at ${iso(at + 305_000).slice(11, 19)} UTC (in 5 min) unless the nodes come back or kube-controller-manager is stopped`);
    // Exactly 50 nodes is not large (upstream: more than --large-cluster-size-threshold): paused.
    const fifty = evictionPlan(zone(30, 50), [], undefined, at);
    expect(fifty.zones[0]!.state).toBe('partial-disruption');
    expect(fifty.firstEvictionAt).toBeNull();
    // The size compared is the zone's: 80 nodes in two zones of 40 are two small zones, still paused.
    const twoZones = [...zone(30, 40).map((n) => ({ ...n, zone: 'a' })), ...Array.from({ length: 40 }, (_, i) => node(`b${i}`, { beat: at, zone: 'b' }))];
    const split = evictionPlan(twoZones, [], undefined, at);
    expect(split.zones.find((z) => z.zone === 'a')).toMatchObject({ state: 'partial-disruption', taintRate: 0 });
    expect(split.firstEvictionAt).toBeNull();
    expect(split.evictions[0]!.why).toBe('zone a is partially disrupted (30 of 40 nodes down) and has ≤ 50 nodes: taints are paused');
  });
  it('Lease renewals late but within the grace period: a warning, no countdown yet', () => {
    const nodes = [...healthy, node('n3', { beat: T0 })];
    const f = only({ at, nodes: { t: at, body: nodes }, leases: { t: at, body: [{ name: 'n3', renewTime: iso(at - 25_000) }] } }, 'node-heartbeats')!;
    expect(f.severity).toBe('warning');
    expect(f.summary).toBe('Lease renewals stopped on n3');
  });
  it('silent when every node renews its Lease', () => {
    expect(only({ at, nodes: { t: at, body: healthy } }, 'node-heartbeats')).toBeUndefined();
  });
});

describe('apiserver signals', () => {
  const minutes = Array.from({ length: 31 }, (_, i) => T0 + i * 60_000);
  const at = minutes[minutes.length - 1]!;
  it('goroutines climbing steadily on an affected version: a warning naming the DeleteCollection leak', () => {
    const load = (n: string) => (n === 'go_goroutines' ? [{ labels: {}, points: minutes.map((t, i) => ({ t, v: 1700 + 60 * i })) }] : []);
    const f = detect({ load, at, from: T0, version: 'v1.20.2' }).find((x) => x.detector === 'apiserver-goroutine-growth')!;
    expect(f.severity).toBe('warning');
    expect(f.summary).toBe('apiserver goroutines rose from 1,700 to 3,500 in 30 min');
    expect(f.evidence.facts.join('\n')).toContain('kube-apiserver v1.20.2 is affected by kube-apiserver DeleteCollection leaks a goroutine');
    expect(detect({ load, at, from: T0, version: 'v1.24.0' }).find((x) => x.detector === 'apiserver-goroutine-growth')!.evidence.facts.join('\n')).not.toContain('DeleteCollection');
    // One step to a new load level is not a leak.
    const step = (n: string) => (n === 'go_goroutines' ? [{ labels: {}, points: minutes.map((t, i) => ({ t, v: i < 5 ? 1700 : 3500 })) }] : []);
    expect(detect({ load: step, at, from: T0 }).find((x) => x.detector === 'apiserver-goroutine-growth')).toBeUndefined();
  });
  it('5xx ratio sustained over two scrapes', () => {
    const ok = minutes.map((t, i) => ({ t, v: 6000 * i }));
    const err = minutes.map((t, i) => ({ t, v: i < 28 ? 0 : 900 * (i - 27) }));
    const load = (n: string) => (n === 'apiserver_request_total' ? [{ labels: { verb: 'GET', code: '200' }, points: ok }, { labels: { verb: 'POST', code: '500' }, points: err }] : []);
    const f = detect({ load, at, from: T0 }).find((x) => x.detector === 'apiserver-5xx')!;
    expect(f.severity).toBe('critical');
    expect(f.summary).toBe('13.0% of apiserver requests fail with 5xx (15.00/s)');
    expect(f.evidence.from).toBe(minutes[28]);
    expect(detect({ load, at: minutes[28]!, from: T0 }).find((x) => x.detector === 'apiserver-5xx')).toBeUndefined();
  });
  it('p99 over the 1 s SLO for a non-LIST verb names the resource; LIST has its own, looser SLO', () => {
    const load = (n: string) => (n === 'kf_request_p99_seconds' ? [
      { labels: { verb: 'PUT', resource: 'leases' }, points: minutes.map((t, i) => ({ t, v: i > 27 ? 1.8 : 0.05 })) },
      { labels: { verb: 'LIST', resource: 'pods' }, points: minutes.map((t) => ({ t, v: 1.8 })) },
    ] : []);
    const f = detect({ load, at, from: T0 });
    expect(f.find((x) => x.detector === 'apiserver-latency-slo')!.summary).toBe('p99 1.80 s for non-LIST calls (SLO 1 s)');
    expect(f.find((x) => x.detector === 'apiserver-latency-slo')!.evidence.series).toEqual(['PUT leases']);
    expect(f.find((x) => x.detector === 'apiserver-list-latency-slo')).toBeUndefined();
  });
  it('leader changes: 4 in 15 min; heartbeat failures: any', () => {
    const counter = (k: number) => minutes.map((t, i) => ({ t, v: 1 + Math.max(0, i - (30 - k)) }));
    const load = (n: string) => (n === 'etcd_server_leader_changes_seen_total' ? [{ labels: {}, points: counter(4) }] : n === 'etcd_server_heartbeat_send_failures_total' ? [{ labels: {}, points: counter(2) }] : []);
    const f = detect({ load, at, from: T0 });
    expect(f.find((x) => x.detector === 'etcd-leader-changes')!.summary).toBe('4 etcd leader changes in 15 min');
    expect(f.find((x) => x.detector === 'etcd-heartbeat-failures')!.severity).toBe('warning');
    const three = (n: string) => (n === 'etcd_server_leader_changes_seen_total' ? [{ labels: {}, points: counter(3) }] : []);
    expect(detect({ load: three, at, from: T0 }).find((x) => x.detector === 'etcd-leader-changes')).toBeUndefined();
  });
});

describe('event storm and audit volume (inputs fed by the events and audit archives)', () => {
  const at = T0 + 10 * 60_000;
  it('fires on 600 events/min for 5 min, naming the top reason', () => {
    const events = { activity: (from: number) => ({
      perMinute: Array.from({ length: 5 }, (_, i) => ({ t: from + i * 60_000, v: 600 })),
      top: [{ reason: 'BackOff', kind: 'Pod', type: 'Warning', namespace: 'shop', count: 2900 }],
    }) };
    const f = only({ at, events }, 'event-storm')!;
    expect(f.severity).toBe('warning');
    expect(f.summary).toBe('Event storm: 600 events/min, mostly BackOff on Pod');
    const quiet = { activity: () => ({ perMinute: [{ t: at - 60_000, v: 12 }], top: [] }) };
    expect(only({ at, events: quiet }, 'event-storm')).toBeUndefined();
  });
  it('audit volume: 57 MB in a minute is a warning', () => {
    const audit = { perMinute: () => [{ t: at - 60_000, events: 400, bytes: 10 * 57 * 1024 ** 2 }] };
    const f = only({ at, audit }, 'audit-volume')!;
    expect(f.severity).toBe('warning');
    expect(f.summary).toBe('Audit log writing 57.0 MiB/min (40 events/min)');
    expect(only({ at, audit: { perMinute: () => [{ t: at, events: 100, bytes: 1024 ** 2 }] } }, 'audit-volume')).toBeUndefined();
  });
  it('NOSPACE from the audit log: the apiserver alone, or the space given back while the alarm is raised', () => {
    // Hand-made: what AuditStore.errors returns for the 1.20.2 message at RequestResponse level.
    const msg = 'etcdserver: mvcc: database space exceeded';
    const auditErrors = (minute: number) => ({ errors: (from: number, to: number) => (minute >= from && minute < to ? [{ code: 500, message: msg, count: 42, first: minute, last: minute }] : []) });
    const recent = Math.floor((at - 60_000) / 60_000) * 60_000;
    const alone = only({ at, auditErrors: auditErrors(recent) }, 'etcd-nospace')!;
    expect(alone.severity).toBe('critical');
    expect(alone.summary).toBe('NOSPACE: writes fail with "database space exceeded" (audit log)');
    expect(alone.evidence.facts[0]).toMatch(/^audit log: 42 responses "etcdserver: mvcc: database space exceeded" between /);
    expect(alone.evidence.facts[1]).toContain('DB size and quota are unknown');
    // etcd's metrics: 40 % of a 128 MiB quota after a defrag, the alarm not yet disarmed.
    const gauge = (name: string, v: number) => ({ labels: {}, points: [0, 1, 2, 3].map((i) => ({ t: at - 45_000 + i * 15_000, v })), name });
    const load = (n: string) => [gauge('etcd_mvcc_db_total_size_in_bytes', 0.4 * 128 * 1024 ** 2), gauge('etcd_server_quota_backend_bytes', 128 * 1024 ** 2)].filter((x) => x.name === n);
    const defragged = only({ at, load, auditErrors: auditErrors(recent) }, 'etcd-nospace')!;
    expect(defragged.evidence.facts[1]).toMatch(/^DB 51\.2 MiB of 128\.0 MiB \(40\.0%\): below the quota, but the NOSPACE alarm stays raised until `etcdctl alarm disarm`$/);
    // Messages older than 5 minutes, or none: nothing (and the DB far from its quota says nothing either).
    expect(only({ at, load, auditErrors: auditErrors(recent - 10 * 60_000) }, 'etcd-nospace')).toBeUndefined();
    expect(only({ at, load }, 'etcd-nospace')).toBeUndefined();
  });
  it('readyz with [-]etcd failed: critical', () => {
    const f = only({ at, readyz: { t: at - 10_000, ok: false, checks: [{ name: 'ping', ok: true }, { name: 'etcd', ok: false, reason: 'reason withheld' }] } }, 'apiserver-readiness')!;
    expect(f.summary).toBe('apiserver not ready: etcd failing');
  });
});

const has = (n: string) => fs.existsSync(path.join(BUNDLES, `${n}.tar.gz`));
describe.runIf(has('apiserver-goroutine-leak'))('on the DeleteCollection leak recording (real)', () => {
  let b: RecordedBundle;
  beforeAll(async () => { b = await recordedBundle('apiserver-goroutine-leak'); }, 60_000);
  afterAll(() => b?.close());
  it('the goroutine-growth detector fires with the known-issue hint', () => {
    const f = detect({ load: b.load, at: b.to, from: b.from, ...detectionInputs(b.store, 'b', b.to) }).find((x) => x.detector === 'apiserver-goroutine-growth');
    expect(f?.evidence.facts.join('\n')).toContain('DeleteCollection');
  });
});

/**
 * The worst finding of each detector over a recording, evaluated every 30 s as the dashboard would
 * have while it was recorded (each detector on the real series it reads).
 */
function worstOver(b: RecordedBundle): Map<string, { severity: string; summary: string }> {
  const rank = { info: 0, warning: 1, critical: 2 } as const;
  const out = new Map<string, { severity: 'info' | 'warning' | 'critical'; summary: string }>();
  for (let at = b.from + 60_000; at <= b.to; at += 30_000) {
    for (const f of detect({ load: b.load, at, from: b.from, ...detectionInputs(b.store, 'b', at) })) {
      const seen = out.get(f.detector);
      if (!seen || rank[f.severity] > rank[seen.severity]) out.set(f.detector, { severity: f.severity, summary: f.summary });
    }
  }
  return out;
}

describe.runIf(has('etcd-slow-disk') && has('node-eviction') && has('etcd-nospace'))('on the other real recordings, replayed minute by minute', () => {
  const load = (n: string) => recordedBundle(n);
  it('slow disk: WAL fsync and backend commit critical, etcd latency seen by the apiserver', async () => {
    const b = await load('etcd-slow-disk');
    try {
      const w = worstOver(b);
      expect(w.get('etcd-fsync-slow')).toMatchObject({ severity: 'critical' });
      expect(w.get('etcd-fsync-slow')!.summary).toMatch(/^WAL fsync p99 \d+ ms/);
      expect(w.get('etcd-commit-slow')).toMatchObject({ severity: 'critical' });
      expect(['warning', 'critical']).toContain(w.get('apiserver-etcd-latency')?.severity);
      expect(w.get('etcd-nospace')).toBeUndefined();
    } finally { b.close(); }
  }, 60_000);
  it('heartbeats lost in one zone: the countdown is critical, and says evictions started by the end', async () => {
    const b = await load('node-eviction');
    try {
      const w = worstOver(b);
      expect(w.get('node-heartbeats')).toMatchObject({ severity: 'critical' });
      expect(w.get('node-heartbeats')!.summary).toMatch(/^2 of 4 nodes down: evictions will start at \d{2}:\d{2}:\d{2} UTC \(in \d+ min\)/);
      const end = detect({ load: b.load, at: b.to, from: b.from, ...detectionInputs(b.store, 'b', b.to) }).find((f) => f.detector === 'node-heartbeats');
      expect(end?.summary).toMatch(/^2 of 4 nodes down: evictions started at \d{2}:\d{2}:\d{2} UTC/);
    } finally { b.close(); }
  }, 60_000);
  it('out of space: the quota, NOSPACE, the grower and the 5xx ratio', async () => {
    const b = await load('etcd-nospace');
    try {
      const w = worstOver(b);
      expect(w.get('etcd-db-quota')).toMatchObject({ severity: 'critical' });
      expect(w.get('etcd-nospace')).toMatchObject({ severity: 'critical' });
      expect(w.get('resource-growth')!.summary).toMatch(/^ephemeralreports\.reports\.kyverno\.io is growing by/);
      expect(w.get('apiserver-5xx')).toMatchObject({ severity: 'critical' });
    } finally { b.close(); }
  }, 60_000);
});

describe.runIf(has('etcd-quorum'))('on the three-member etcd recording: stalls, then lost quorum (real)', () => {
  let b: RecordedBundle;
  beforeAll(async () => { b = await recordedBundle('etcd-quorum'); }, 60_000);
  afterAll(() => b?.close());
  const LEADER = ['etcd-no-leader', 'etcd-leader-changes', 'etcd-heartbeat-failures', 'apiserver-latency-slo', 'apiserver-list-latency-slo'];
  it('silent during the healthy first minute, and three members are not a single member', () => {
    const f = detect({ load: b.load, at: b.from + 55_000, from: b.from, ...detectionInputs(b.store, 'b', b.from + 55_000) });
    for (const id of [...LEADER, 'etcd-members']) expect(f.find((x) => x.detector === id), id).toBeUndefined();
  });
  it('late heartbeats, leader changes, no leader, and API calls past their SLOs', () => {
    const w = worstOver(b);
    // Frozen 0.7 s twice per stall: the leader's heartbeats leave late (etcd counts each).
    expect(w.get('etcd-heartbeat-failures')?.summary).toMatch(/^\d+ heartbeat send failures in 15 min$/);
    // Three stalls: move-leader back to kf0 and an election after each 3 s freeze.
    expect(w.get('etcd-leader-changes')).toMatchObject({ severity: 'warning' });
    expect(Number(w.get('etcd-leader-changes')!.summary.split(' ')[0])).toBeGreaterThanOrEqual(4);
    expect(w.get('etcd-no-leader')).toEqual({ severity: 'critical', summary: 'etcd_server_has_leader is 0: the member cannot commit writes' });
    // Writes and quorum reads hang while two of three members are gone.
    expect(w.get('apiserver-latency-slo')).toMatchObject({ severity: 'critical' });
    expect(w.get('apiserver-latency-slo')!.summary).toMatch(/^p99 \d+\.\d+ s for non-LIST calls \(SLO 1 s\)/);
    expect(['warning', 'critical']).toContain(w.get('apiserver-list-latency-slo')?.severity);
    expect(w.get('apiserver-list-latency-slo')!.summary).toMatch(/^LIST p99 \d+\.\d+ s \(LIST /);
    expect(w.get('apiserver-etcd-latency')).toMatchObject({ severity: 'critical' });
    expect(w.get('etcd-members')).toBeUndefined();
  }, 60_000);
  it('has_leader back to 1 once the members resume: no-leader silent at the end', () => {
    const f = detect({ load: b.load, at: b.to, from: b.from, ...detectionInputs(b.store, 'b', b.to) });
    expect(f.find((x) => x.detector === 'etcd-no-leader')).toBeUndefined();
  });
});

describe.runIf(has('event-storm'))('on the event-storm recording (real Events through the archive)', () => {
  let b: RecordedBundle;
  beforeAll(async () => { b = await recordedBundle('event-storm'); }, 60_000);
  afterAll(() => b?.close());
  it('fires once the operator floods, naming it; silent in the quiet first minute', () => {
    const quiet = detect({ load: b.load, at: b.from + 55_000, from: b.from, ...detectionInputs(b.store, 'b', b.from + 55_000) });
    expect(quiet.find((x) => x.detector === 'event-storm')).toBeUndefined();
    const f = detect({ load: b.load, at: b.to, from: b.from, ...detectionInputs(b.store, 'b', b.to) }).find((x) => x.detector === 'event-storm')!;
    expect(f.severity).toBe('warning');
    const rate = Number(/^Event storm: (\d+) events\/min, mostly ReconcileFailed on Deployment$/.exec(f.summary)?.[1]);
    expect(rate).toBeGreaterThan(1000);
    expect(f.evidence.facts.find((x) => x.startsWith('ReconcileFailed on Deployment in payments (Warning): '))).toBeDefined();
  });
  it('a burst of five minutes on a 2 GiB quota is not projected two days ahead (no db-quota finding)', () => {
    expect(worstOver(b).get('etcd-db-quota')).toBeUndefined();
  }, 60_000);
});

describe.runIf(has('apiserver-memory-growth'))('on the apiserver memory recording: unpruned Helm release Secrets (real)', () => {
  let b: RecordedBundle;
  beforeAll(async () => { b = await recordedBundle('apiserver-memory-growth'); }, 60_000);
  afterAll(() => b?.close());
  it('memory growth fires on the climb while goroutines stay flat; silent before it', () => {
    const quiet = detect({ load: b.load, at: b.from + 55_000, from: b.from, ...detectionInputs(b.store, 'b', b.from + 55_000) });
    expect(quiet.find((x) => x.detector === 'apiserver-memory-growth')).toBeUndefined();
    const all = detect({ load: b.load, at: b.to, from: b.from, ...detectionInputs(b.store, 'b', b.to) });
    const f = all.find((x) => x.detector === 'apiserver-memory-growth')!;
    expect(f.severity).toBe('warning');
    const [, lo, hi] = /^apiserver resident memory rose from ([\d,]+) MiB to ([\d,]+) MiB in \d+ min$/.exec(f.summary)!.map((x) => Number(String(x).replace(/,/g, '')));
    expect(hi! - lo!).toBeGreaterThan(1024);
    expect(f.evidence.facts[2]).toBe('goroutines flat over the same run (1,805 → 1,802): not a goroutine leak; the memory is held by data (the watch cache keeps every object): look for a resource growing in count or size');
    expect(f.evidence.facts.join('\n')).not.toContain('DeleteCollection');
    expect(all.find((x) => x.detector === 'apiserver-goroutine-growth')).toBeUndefined();
    // What grows is named: the Secrets, and etcd's DB behind them.
    expect(all.find((x) => x.detector === 'resource-growth')?.summary).toMatch(/^secrets is growing by \d+ objects\/min/);
  });
});
