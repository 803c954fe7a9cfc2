// The DeleteCollection goroutine leak (incident 5) on a real kube-apiserver 1.20.2, seen through the
// dashboard: it captures a dump on demand, finds a suspect group of exactly N goroutines in
// DeleteCollection.func1 in `chan send`, links kubernetes#105606, and the goroutine timeline rises.
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
}, 600_000);
