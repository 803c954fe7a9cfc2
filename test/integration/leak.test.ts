// The DeleteCollection goroutine leak (incident 5) on a real kube-apiserver 1.20.2, seen through the
// dashboard: it captures a dump on demand, finds a suspect group of exactly N goroutines in
// DeleteCollection.func1 in `chan send`, links kubernetes#105606, and the goroutine timeline rises.
// Then the leak goes on until the growth detector fires, and the leak runbook's capture step stores a
// dump that shows the whole group (issue 6's leak scenario).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startControlPlane, type ControlPlane } from '../../scripts/control-plane/cluster';
import { LEAK_FUNCTION, leakGoroutines, setUpLeak } from '../scenarios/leak';
import { startDashboard, waitFor } from './helpers';

const N = 25;
let cp: ControlPlane;
let dash: Awaited<ReturnType<typeof startDashboard>>;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kf-leak-'));
const api = (p: string) => `${dash.url}/api/clusters/ctx-kf-test${p}`;

beforeAll(async () => {
  cp = await startControlPlane({ dir: path.join(dir, 'cp'), controllerManager: false });
  dash = await startDashboard({ KUBECONFIG: cp.viewerKubeconfig, KF_DATA_DIR: path.join(dir, 'data'), KF_INTERVAL_SECONDS: '3', KF_CENSUS_SECONDS: '600' });
}, 300_000);

afterAll(async () => {
  await dash?.stop();
  await cp?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

interface Timeline { panels: Array<{ id: string; result: { series: Array<{ name: string; points: Array<[number, number | null]> }> } }> }
const goroutineSeries = async (from: string) => {
  const t = (await (await fetch(api(`/timeline?from=${from}&panels=apiserver-goroutines`))).json()) as Timeline;
  return (t.panels[0]?.result.series[0]?.points ?? []).filter((p): p is [number, number] => p[1] !== null);
};

it('captures a dump showing exactly N leaked goroutines in DeleteCollection.func1, linked to kubernetes#105606', async () => {
  const { namespace } = await setUpLeak(cp);
  // A baseline after the set-up settled: the last recorded goroutine count before the leak.
  await new Promise((r) => setTimeout(r, 8000));
  const before = await goroutineSeries('now-1m');
  expect(before.length).toBeGreaterThan(0);
  const baseline = before[before.length - 1]![1];
  const leakStart = Date.now();

  const statuses = await leakGoroutines(cp, namespace, N);
  expect(new Set(statuses)).toEqual(new Set([500])); // every delete refused by the fail-closed webhook

  const res = await fetch(api('/captures'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ kind: 'goroutine', component: 'kube-apiserver' }) });
  expect(res.status).toBe(200);
  const capture = (await res.json()) as { id: number };
  const a = (await (await fetch(api(`/captures/${capture.id}`))).json()) as {
    total: number;
    suspects: Array<{ count: number; state: string; function: string; knownIssues: string[] }>;
    knownIssues: Array<{ id: string; count: number; links: string[]; version: string }>;
  };
  const suspect = a.suspects.find((s) => s.function.includes(LEAK_FUNCTION));
  expect(suspect, JSON.stringify(a.suspects.slice(0, 3))).toBeDefined();
  expect(suspect!.count).toBe(N);
  expect(suspect!.state).toBe('chan send');
  const known = a.knownIssues.find((k) => k.links.some((l) => l.includes('kubernetes/kubernetes/pull/105606')));
  expect(known?.count).toBe(N);
  expect(known?.version).toBe('affected');
  // No other suspect on an otherwise idle apiserver.
  expect(a.suspects.filter((s) => !s.function.includes(LEAK_FUNCTION))).toEqual([]);

  // The go_goroutines timeline shows the rise (each leaked goroutine stays; others come and go).
  await waitFor('the rise on the goroutine timeline', async () => {
    const after = (await goroutineSeries('now-5m')).filter(([t]) => t > leakStart);
    return after.length && Math.max(...after.map(([, v]) => v)) - baseline >= N - 3;
  }, 30_000, 1000);

  // Keep leaking, from a namespace of 10 small configmaps (each leaked goroutine pins its list), until
  // the growth detector fires: +1,000 goroutines and +50 % in its 30-minute window, rising steadily.
  const bulk = await setUpLeak(cp, { namespace: 'leaky-bulk', configmaps: 10 });
  const BULK = 1100;
  expect(new Set(await leakGoroutines(cp, bulk.namespace, BULK))).toEqual(new Set([500]));
  interface Finding { detector: string; severity: string; summary: string; runbook?: string; evidence: { facts: string[] } }
  const growth = await waitFor('the goroutine-growth finding', async () => {
    const o = (await (await fetch(api('/overview'))).json()) as { findings: Finding[] };
    return o.findings.find((f) => f.detector === 'apiserver-goroutine-growth');
  }, 120_000, 2000);
  expect(growth.summary).toMatch(/^apiserver goroutines rose from [\d,]+ to [\d,]+ in \d+ min$/);
  expect(growth.evidence.facts.join('\n')).toContain('kube-apiserver v1.20.2 is affected by');
  expect(growth.runbook).toBe('apiserver-leak');

  // The leak runbook, opened from the finding: its first check fails on the growth, its capture step
  // stores a dump, and that dump shows the whole group, linked to the known issue.
  interface Step { id: string; status: string; check?: { status: string; evidence: string[] }; capture?: { captureId?: number } }
  const post = async (p: string, body: unknown) => {
    for (;;) {
      const r = await fetch(api(p), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      // An automatic capture on growth (KF_CAPTURE_ON_GROWTH) may have just taken one: wait as told.
      if (r.status === 429) { await new Promise((res) => setTimeout(res, 1000 * Number(r.headers.get('retry-after') ?? 5))); continue; }
      expect(r.status, await r.clone().text()).toBeLessThan(300);
      return (await r.json()) as { id: number; steps: Step[] };
    }
  };
  const run = await post('/runbooks', { runbook: growth.runbook, finding: growth.detector, by: 'sre-on-call' });
  const view = async () => (await (await fetch(api(`/runbooks/${run.id}`))).json()) as { steps: Step[] };
  const first = (await view()).steps.find((s) => s.id === 'growing')!;
  expect(first.check!.status).toBe('fail');
  expect(first.check!.evidence.join('\n')).toMatch(/goroutines rose from/);
  const after = await post(`/runbooks/${run.id}`, { action: 'capture', step: 'dump', by: 'sre-on-call' });
  const dumpStep = after.steps.find((s) => s.id === 'dump')!;
  expect(dumpStep.status).toBe('done');
  const dump = (await (await fetch(api(`/captures/${dumpStep.capture!.captureId}`))).json()) as typeof a;
  const group = dump.suspects.find((s) => s.function.includes(LEAK_FUNCTION));
  expect(group?.count).toBe(N + BULK);
  expect(group?.state).toBe('chan send');
  expect(dump.knownIssues.find((k) => k.links.some((l) => l.includes('105606')))?.count).toBe(N + BULK);
  expect((await view()).steps.find((s) => s.id === 'dump-taken')!.check!.status).toBe('pass');
}, 600_000);
