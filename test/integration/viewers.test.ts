// "Exactly one upstream request per interval per endpoint, whatever the number of browsers watching":
// counted from the real apiserver's audit log, for 1 viewer and then 20 concurrent viewers, a minute each.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { controlPlane } from './env';
import { auditRequests, startDashboard, waitFor } from './helpers';

const cp = controlPlane();
const UA = 'kube-forensics/';
let dash: Awaited<ReturnType<typeof startDashboard>>;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kf-viewers-'));

beforeAll(async () => {
  dash = await startDashboard({ KUBECONFIG: cp.viewerKubeconfig, KF_DATA_DIR: dataDir, KF_INTERVAL_SECONDS: '5', KF_CENSUS_SECONDS: '30' });
  const clusters = await waitFor('the cluster to be recorded', async () => {
    const l = (await (await fetch(`${dash.url}/api/clusters`)).json()) as Array<{ id: string; lastOk: number | null }>;
    return l.length && l[0]!.lastOk ? l : null;
  }, 60_000, 500);
  expect(clusters[0]!.id).toBe('ctx-kf-test');
});

afterAll(async () => {
  await dash?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function watch(viewers: number, ms: number): Promise<{ from: number; to: number; pageLoads: number; fewest: number }> {
  const from = Date.now();
  const until = from + ms;
  let pageLoads = 0;
  const per = new Array<number>(viewers).fill(0);
  await Promise.all(Array.from({ length: viewers }, async (_, i) => {
    // Each viewer behaves like an open overview tab: the page once, then its 5 s refresh, plus a reload now and then.
    while (Date.now() < until) {
      const r = await fetch(`${dash.url}/api/clusters/ctx-kf-test/overview`);
      expect(r.status).toBe(200);
      await r.arrayBuffer();
      if (i % 4 === 0) { const p = await fetch(`${dash.url}/clusters/ctx-kf-test/overview`); await p.arrayBuffer(); }
      pageLoads++;
      per[i]!++;
      await new Promise((res) => setTimeout(res, 1000));
    }
  }));
  return { from, to: Date.now(), pageLoads, fewest: Math.min(...per) };
}

/** Requests by endpoint class: the path without its query, census LISTs folded into one class. */
function byClass(from: number, to: number): Map<string, number> {
  const m = new Map<string, number>();
  for (const e of auditRequests(cp.auditLogPath, from, to, (x) => (x.userAgent ?? '').startsWith(UA))) {
    const p = e.requestURI.split('?')[0]!;
    const cls = e.requestURI.includes('limit=1') && !e.requestURI.includes('limit=1&') ? 'census' : p.startsWith('/api/v1/') || p.startsWith('/apis/') ? p : p;
    m.set(cls, (m.get(cls) ?? 0) + 1);
  }
  return m;
}

it('20 concurrent viewers for a minute make the same apiserver requests as 1 viewer', async () => {
  const one = await watch(1, 60_000);
  const twenty = await watch(20, 60_000);
  // The audit backend writes asynchronously in batches: give it a moment to flush.
  await new Promise((r) => setTimeout(r, 3000));
  const a = byClass(one.from, one.to);
  const b = byClass(twenty.from, twenty.to);
  const total = (m: Map<string, number>) => [...m.values()].reduce((x, y) => x + y, 0);
  console.log('1 viewer:', Object.fromEntries(a), 'total', total(a), 'page loads', one.pageLoads);
  console.log('20 viewers:', Object.fromEntries(b), 'total', total(b), 'page loads', twenty.pageLoads);
  // The load was real: every one of the 20 loaded its overview at least as often as an open tab
  // refreshing every 5 s would (12 a minute); they poll every second, as fast as the server answers.
  expect(twenty.fewest).toBeGreaterThanOrEqual(12);
  // One /metrics per 5 s interval in both windows (±1 for where the window edge falls).
  const metrics = (m: Map<string, number>) => m.get('/metrics') ?? 0;
  expect(metrics(a)).toBeGreaterThanOrEqual(11);
  expect(metrics(a)).toBeLessThanOrEqual(13);
  expect(Math.abs(metrics(b) - metrics(a))).toBeLessThanOrEqual(1);
  // Every endpoint class: the same count, up to one interval's worth at the window edges.
  for (const cls of new Set([...a.keys(), ...b.keys()])) {
    if (cls === 'census') continue;
    expect(Math.abs((b.get(cls) ?? 0) - (a.get(cls) ?? 0)), cls).toBeLessThanOrEqual(1);
  }
  // Census: one round every 30 s, so two in each minute (±1 round at the edges).
  const censusRound = Math.max(1, Math.round((a.get('census') ?? 0) / 2));
  expect(Math.abs((b.get('census') ?? 0) - (a.get('census') ?? 0))).toBeLessThanOrEqual(censusRound + 1);
  // No request the recorder does not make: nothing but GET-class verbs, on the allow-listed paths.
  const all = auditRequests(cp.auditLogPath, one.from, twenty.to, (x) => (x.userAgent ?? '').startsWith(UA));
  expect(all.filter((e) => !['get', 'list', 'watch'].includes(e.verb))).toEqual([]);
}, 200_000);
