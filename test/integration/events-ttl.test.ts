// Events outlive the apiserver's --event-ttl in the archive. A real control plane with
// --event-ttl=2m and a real kube-scheduler with no nodes: pods that cannot be scheduled get real
// FailedScheduling events (events.k8s.io/v1, kube-scheduler 1.20). The dashboard's runtime records
// them; once etcd's lease has expired them (control-plane-facts §4: TTL + up to 5% lease reuse),
// the apiserver lists none while the dashboard's events API still returns every one, newest first,
// with the counts the apiserver last reported.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { EventsResult } from '@/lib/events/types';
import { normalizeEvent, type NormalizedEvent } from '@/lib/parse/events';
import { startControlPlane, type ControlPlane } from '../../scripts/control-plane/cluster';
import { admin, createWhenAdmitted, waitFor } from './helpers';

let cp: ControlPlane;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kf-events-ttl-'));
const NS = 'ttl-test';
const PODS = 4;
const CLUSTER = 'ctx-kf-test';
type Route = typeof import('@/app/api/clusters/[cluster]/events/route');
let route: Route;
let stopRuntime: (() => Promise<void>) | undefined;

beforeAll(async () => {
  cp = await startControlPlane({ dir: path.join(dir, 'cp'), eventTtl: '2m', scheduler: true });
  // The dashboard's runtime, in this process, on the viewer (read-only) identity.
  Object.assign(process.env, {
    KUBECONFIG: cp.viewerKubeconfig, KF_DATA_DIR: path.join(dir, 'data'), KF_INTERVAL_SECONDS: '5', KF_CENSUS_SECONDS: '60', KF_QUIET: '1', KF_BUNDLES: '',
  });
  delete process.env.KF_CONFIG;
  delete process.env.KF_CONTEXTS;
  route = await import('@/app/api/clusters/[cluster]/events/route');
  const { getRuntime } = await import('@/server/runtime');
  const rt = await getRuntime();
  stopRuntime = () => rt.stop();
  expect(rt.clusters.get(CLUSTER)?.events).toBeDefined();
}, 240_000);

afterAll(async () => {
  await stopRuntime?.();
  await cp?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function dashboardEvents(query: string): Promise<EventsResult> {
  const res = await route.GET(new Request(`http://127.0.0.1/api/clusters/${CLUSTER}/events?${query}`), { params: Promise.resolve({ cluster: CLUSTER }) });
  expect(res.status).toBe(200);
  return (await res.json()) as EventsResult;
}

async function apiserverEvents(api: 'core/v1' | 'events.k8s.io/v1'): Promise<NormalizedEvent[]> {
  const base = api === 'core/v1' ? '/api/v1' : '/apis/events.k8s.io/v1';
  const r = await admin(cp, 'GET', `${base}/namespaces/${NS}/events?limit=500`);
  expect(r.status).toBe(200);
  return (r.json.items as unknown[]).map((e) => normalizeEvent(e)!);
}

it('keeps FailedScheduling events after the apiserver has expired them, in order and with their counts', async () => {
  expect((await admin(cp, 'POST', '/api/v1/namespaces', { metadata: { name: NS } })).status).toBe(201);
  await waitFor('the default ServiceAccount', async () => (await admin(cp, 'GET', `/api/v1/namespaces/${NS}/serviceaccounts/default`)).status === 200, 60_000);
  for (let i = 0; i < PODS; i++) {
    const pod = { metadata: { name: `stuck-${i}` }, spec: { containers: [{ name: 'c', image: 'example.invalid/none:1' }] } };
    await createWhenAdmitted(`pod ${pod.metadata.name}`, async () => { const r = await admin(cp, 'POST', `/api/v1/namespaces/${NS}/pods`, pod); return { status: r.status, text: JSON.stringify(r.json) }; });
  }

  // One FailedScheduling per pod from the real scheduler (no nodes); the recorder has them too.
  const listed = await waitFor('a FailedScheduling event per pod on the apiserver', async () => {
    const l = await apiserverEvents('core/v1');
    return l.filter((e) => e.reason === 'FailedScheduling').length >= PODS ? l : null;
  }, 90_000, 1000);
  // No more writers: deleting the pods stops the scheduler's retries, so the events' last write is now.
  for (let i = 0; i < PODS; i++) await admin(cp, 'DELETE', `/api/v1/namespaces/${NS}/pods/stuck-${i}?gracePeriodSeconds=0`);
  await new Promise((r) => setTimeout(r, 3000)); // a retry already in flight lands before the snapshot
  // Both APIs serve the same objects (same uids).
  const before = await apiserverEvents('core/v1');
  const lastWrite = Date.now();
  expect(new Set((await apiserverEvents('events.k8s.io/v1')).map((e) => e.uid))).toEqual(new Set(before.map((e) => e.uid)));
  expect(before.length).toBeGreaterThanOrEqual(listed.length);
  for (const e of before) expect(e).toMatchObject({ reason: 'FailedScheduling', type: 'Warning', component: 'default-scheduler', object: { kind: 'Pod', namespace: NS } });
  expect(before[0]!.message).toMatch(/no nodes available to schedule pods/);

  const recorded = await waitFor('the dashboard to archive every event', async () => {
    const d = await dashboardEvents(`from=now-30m&namespace=${NS}`);
    const sum = (xs: Array<{ count: number }>) => xs.reduce((n, x) => n + x.count, 0);
    return d.total === before.length && sum(d.rows) === sum(before) ? d : null;
  }, 30_000, 500);
  expect(recorded.rows.map((r) => r.uid).sort()).toEqual(before.map((e) => e.uid).sort());

  // Expiry is an etcd lease: TTL (120 s) plus up to 5% lease reuse, counted from the last write.
  const expired = await waitFor('the apiserver to expire the events', async () => ((await apiserverEvents('core/v1')).length === 0 ? Date.now() : null), 240_000, 2000);
  console.log(`events expired ${Math.round((expired - lastWrite) / 1000)} s after the last write (--event-ttl=2m)`);
  expect(expired - lastWrite).toBeGreaterThan(100_000);
  expect((await apiserverEvents('events.k8s.io/v1'))).toHaveLength(0);

  // The archive still has all of them, newest first, with the apiserver's last counts and times.
  const after = await dashboardEvents(`from=now-30m&namespace=${NS}&reason=FailedScheduling`);
  const expected = [...before].sort((a, b) => b.lastTimestamp - a.lastTimestamp || (a.uid < b.uid ? -1 : 1));
  expect(after.order).toBe('last-seen-desc');
  expect(after.total).toBe(before.length);
  expect(after.truncated).toBe(false);
  expect(after.rows.map((r) => ({ uid: r.uid, count: r.count, last: r.lastTimestamp, name: r.object.name, message: r.message })))
    .toEqual(expected.map((e) => ({ uid: e.uid, count: e.count, last: e.lastTimestamp, name: e.object.name, message: e.message })));
  // The strip and facets describe the same events.
  const inStrip = after.strip.buckets.reduce((n, b) => n + b.warning, 0);
  expect(inStrip).toBe(before.length);
  expect(after.facets.reason).toEqual([{ value: 'FailedScheduling', n: before.length }]);
  expect(after.facets.component.map((c) => c.value)).toEqual(['default-scheduler']);
  // Grouped by involved object: one group per pod.
  const grouped = await dashboardEvents(`from=now-30m&namespace=${NS}&group=object`);
  expect(grouped.groups!.map((g) => g.name).sort()).toEqual([...new Set(before.map((e) => e.object.name))].sort());
}, 420_000);
