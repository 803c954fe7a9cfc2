// The "etcd out of space" incident on a real control plane, read through the dashboard's API:
// DB size at the quota, the NOSPACE finding, and the custom resource named as the fastest grower
// although kube-apiserver 1.20 does not report custom-resource counts (the census does).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startControlPlane, type ControlPlane } from '../../scripts/control-plane/cluster';
import { floodUntilNoSpace, installReportsCrd, keepRetrying, NOSPACE_MESSAGE, NOSPACE_QUOTA_BYTES } from '../scenarios/nospace';
import { startDashboard, waitFor } from './helpers';

let cp: ControlPlane;
let dash: Awaited<ReturnType<typeof startDashboard>>;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kf-nospace-'));

beforeAll(async () => {
  cp = await startControlPlane({ dir: path.join(dir, 'cp'), quotaBackendBytes: NOSPACE_QUOTA_BYTES });
  const config = path.join(dir, 'kf.yaml');
  fs.writeFileSync(config, JSON.stringify({
    clusters: [{ context: 'kf-test', name: 'nospace', etcd: { url: cp.etcdUrl, metricsUrl: cp.etcdMetricsUrl, caFile: cp.certs.caCert, certFile: cp.certs.etcdClientCert, keyFile: cp.certs.etcdClientKey } }],
  }));
  dash = await startDashboard({ KUBECONFIG: cp.viewerKubeconfig, KF_CONFIG: config, KF_DATA_DIR: path.join(dir, 'data'), KF_INTERVAL_SECONDS: '3', KF_CENSUS_SECONDS: '10' });
}, 240_000);

afterAll(async () => {
  await dash?.stop();
  await cp?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

interface Finding { detector: string; severity: string; summary: string; evidence: { facts: string[] } }

it('shows NOSPACE, the DB at its quota, and ephemeralreports as the fastest grower', async () => {
  await installReportsCrd(cp, 'kyverno-reports');
  // Let the recorder see a quiet baseline first.
  await new Promise((r) => setTimeout(r, 12_000));
  const flood = await floodUntilNoSpace(cp, 'kyverno-reports', { concurrency: 6 });
  console.log('flood:', flood);
  expect(flood.firstNoSpaceAt).not.toBeNull();
  expect(flood.lastError).toContain(NOSPACE_MESSAGE);
  expect(cp.etcdctl(['alarm', 'list'])).toMatch(/alarm:NOSPACE/);
  const stopRetrying = keepRetrying(cp, 'kyverno-reports');
  try {

  // First "likely" (the DB at its quota), then active once the recorder has seen writes fail with 500.
  const overview = await waitFor('the active NOSPACE finding', async () => {
    const o = (await (await fetch(`${dash.url}/api/clusters/ctx-kf-test/overview`)).json()) as { findings: Finding[] };
    return o.findings.some((f) => f.detector === 'etcd-nospace' && f.summary.includes('database space exceeded')) ? o : null;
  }, 60_000, 1000);
  const nospace = overview.findings.find((f) => f.detector === 'etcd-nospace')!;
  expect(nospace.severity).toBe('critical');
  expect(nospace.evidence.facts.join(' ')).toMatch(/writes failing with HTTP 500: POST/);

  const tl = (await (await fetch(`${dash.url}/api/clusters/ctx-kf-test/timeline?from=now-15m&width=1200`)).json()) as {
    panels: Array<{ id: string; result: { series: Array<{ name: string; points: Array<[number, number | null]> }>; stats: Array<{ label: string; value: string }> } }>;
    findings: Finding[];
  };
  const db = tl.panels.find((p) => p.id === 'etcd-db-size')!.result;
  const last = (name: string) => { const s = db.series.find((x) => x.name === name)!; return s.points[s.points.length - 1]![1]!; };
  expect(last('quota')).toBe(NOSPACE_QUOTA_BYTES);
  expect(last('DB size')).toBeGreaterThanOrEqual(0.99 * NOSPACE_QUOTA_BYTES);
  // etcd checks the quota before a batch commits, so the DB can end a little over it (a CI run
  // saw 101.2%): at the quota means from 99% up, not exactly 100%.
  const pct = /^(\d+\.\d)% of 128 MiB$/.exec(db.stats.find((s) => s.label === 'of quota')!.value);
  expect(Number(pct?.[1])).toBeGreaterThanOrEqual(99);
  expect(Number(pct?.[1])).toBeLessThan(110);
  const objects = tl.panels.find((p) => p.id === 'objects')!.result;
  expect(objects.stats.find((s) => s.label === 'fastest growing')!.value).toMatch(/^ephemeralreports\.reports\.kyverno\.io \+/);
  // The census (every 10 s here) catches up with everything the flood created.
  await waitFor('the census to count every report', async () => {
    const t = (await (await fetch(`${dash.url}/api/clusters/ctx-kf-test/timeline?from=now-5m&panels=objects`)).json()) as typeof tl;
    const reports = t.panels[0]!.result.series.find((s) => s.name === 'ephemeralreports.reports.kyverno.io');
    return (reports?.points[reports.points.length - 1]?.[1] ?? 0) >= flood.created;
  }, 30_000, 1000);
  expect(tl.findings.some((f) => f.detector === 'resource-growth' && f.summary.startsWith('ephemeralreports.reports.kyverno.io'))).toBe(true);
  } finally {
    stopRetrying();
  }
}, 600_000);

// etcd's own runtime, captured through the dashboard from etcd's endpoint (--enable-pprof) while it
// sits at its quota: a goroutine dump and a heap profile, analysed like the apiserver's.
it('captures etcd\'s goroutines and heap through the dashboard, from etcd\'s own endpoint', async () => {
  const api = (p: string) => `${dash.url}/api/clusters/ctx-kf-test${p}`;
  const list = (await (await fetch(api('/captures'))).json()) as { components: string[] };
  expect(list.components).toEqual(expect.arrayContaining(['kube-apiserver', 'etcd']));
  const capture = async (kind: 'goroutine' | 'heap') => {
    const res = await fetch(api('/captures'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ kind, component: 'etcd' }) });
    expect(res.status, await res.clone().text()).toBe(200);
    return (await res.json()) as { id: number; component: string; kind: string };
  };

  const dump = await capture('goroutine');
  expect(dump.component).toBe('etcd');
  const g = (await (await fetch(api(`/captures/${dump.id}`))).json()) as {
    kind: string; component: string; total: number;
    groups: Array<{ count: number; frames: Array<{ function: string }> }>;
  };
  expect(g.kind).toBe('goroutine');
  expect(g.component).toBe('etcd');
  expect(g.total).toBeGreaterThan(10);
  // etcd's own server loop, not the apiserver's stacks.
  const fns = g.groups.flatMap((x) => x.frames.map((f) => f.function));
  expect(fns.some((f) => /etcdserver\.\(\*EtcdServer\)\.run/.test(f)), fns.slice(0, 20).join('\n')).toBe(true);
  expect(fns.some((f) => f.startsWith('k8s.io/apiserver/'))).toBe(false);
  expect(g.groups.reduce((a, x) => a + x.count, 0)).toBe(g.total);

  const heap = await capture('heap');
  expect(heap.component).toBe('etcd');
  const h = (await (await fetch(api(`/captures/${heap.id}?sort=cum`))).json()) as {
    kind: string; sampleTypes: Array<{ type: string }>; sampleIndex: string; sort: string; total: number; top: Array<{ function: string; cum: number }>;
  };
  expect(h.kind).toBe('heap');
  expect(h.sampleTypes.map((t) => t.type)).toEqual(['alloc_objects', 'alloc_space', 'inuse_objects', 'inuse_space']);
  expect(h.sampleIndex).toBe('inuse_space');
  expect(h.sort).toBe('cum');
  expect(h.total).toBeGreaterThan(0);
  const cums = h.top.map((r) => r.cum);
  expect(cums).toEqual([...cums].sort((a, b) => b - a));
  expect(h.top.some((r) => /go\.etcd\.io\//.test(r.function)), h.top.slice(0, 10).map((r) => r.function).join('\n')).toBe(true);
  // The original file, as etcd served it (gzip profile.proto).
  const raw = new Uint8Array(await (await fetch(api(`/captures/${heap.id}/raw`))).arrayBuffer());
  expect([raw[0], raw[1]]).toEqual([0x1f, 0x8b]);

  // Both listed as etcd's, beside nothing of the apiserver's (none was taken here).
  const after = (await (await fetch(api('/captures'))).json()) as { captures: Array<{ id: number; component: string }> };
  expect(after.captures.filter((c) => c.id === dump.id || c.id === heap.id).map((c) => c.component)).toEqual(['etcd', 'etcd']);
}, 180_000);
