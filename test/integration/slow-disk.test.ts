// Incident 1's first half on a real etcd: a cgroup-v1 blkio throttle on etcd's write IOPS (facts
// §9: `blkio.throttle.write_iops_device` raised the mean WAL fsync from 0.4 ms to ~150 ms), under a
// steady write load. The fsync detector fires within two scrape intervals of the throttle, and the
// slow-disk runbook's first check fails with the p99 as its evidence.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startControlPlane, type ControlPlane } from '../../scripts/control-plane/cluster';
import { slowDisk, slowDiskUnavailable, writeLoad } from '../scenarios/slow-disk';
import { startDashboard, waitFor } from './helpers';

const INTERVAL_S = 3;
const CLUSTER = 'ctx-kf-test';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kf-slow-disk-'));
const unavailable = slowDiskUnavailable();
const disk = slowDisk(dir);

let cp: ControlPlane;
let dash: Awaited<ReturnType<typeof startDashboard>>;

beforeAll(async () => {
  if (unavailable) return;
  cp = await startControlPlane({
    dir: path.join(dir, 'cp'), controllerManager: false,
    // Into the group as soon as etcd runs; the throttle itself comes later, after a baseline.
    onEtcdStarted: disk.join,
  });
  const config = path.join(dir, 'kf.yaml');
  fs.writeFileSync(config, JSON.stringify({
    clusters: [{ context: 'kf-test', name: 'slow-disk', etcd: { url: cp.etcdUrl, metricsUrl: cp.etcdMetricsUrl, caFile: cp.certs.caCert, certFile: cp.certs.etcdClientCert, keyFile: cp.certs.etcdClientKey } }],
  }));
  dash = await startDashboard({ KUBECONFIG: cp.viewerKubeconfig, KF_CONFIG: config, KF_DATA_DIR: path.join(dir, 'data'), KF_INTERVAL_SECONDS: String(INTERVAL_S), KF_CENSUS_SECONDS: '60' });
}, 300_000);

afterAll(async () => {
  await dash?.stop();
  await cp?.stop();
  if (!unavailable) disk.remove();
  fs.rmSync(dir, { recursive: true, force: true });
});

interface Finding { detector: string; severity: string; summary: string; runbook?: string }
interface Step { id: string; check?: { status: string; evidence: string[] } }

it.skipIf(unavailable !== null)(`fires the fsync detector and fails the runbook's first check under a blkio throttle${unavailable ? ` (skipped: ${unavailable})` : ''}`, async () => {
  const api = `${dash.url}/api/clusters/${CLUSTER}`;
  // A steady write load: one configmap update every 100 ms, as controllers renewing leases would.
  const stopLoad = writeLoad(cp);
  try {
    // Baseline: healthy fsync, so the first check passes and no fsync finding exists.
    const run = await (await fetch(`${api}/runbooks`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ runbook: 'etcd-slow-disk', by: 'test' }) })).json() as { id: number };
    const first = async () => ((await (await fetch(`${api}/runbooks/${run.id}`)).json()) as { steps: Step[] }).steps[0]!;
    await waitFor('a healthy fsync baseline', async () => (await first()).check?.status === 'pass', 60_000, 1000);
    const fsync = async () => ((await (await fetch(`${api}/overview`)).json()) as { findings: Finding[] }).findings.find((f) => f.detector === 'etcd-fsync-slow');
    expect(await fsync()).toBeUndefined();

    disk.throttle(20);
    const throttledAt = Date.now();
    const f = await waitFor('the fsync finding', fsync, 60_000, 500);
    const firedAfter = (Date.now() - throttledAt) / 1000;
    console.log(`fsync finding after ${firedAfter.toFixed(1)} s: ${f.summary}`);
    // Two points over the level need three scrapes after the throttle (rates need a previous
    // scrape): within two intervals of the first slow one, plus the dashboard's poll.
    expect(firedAfter).toBeLessThanOrEqual(3 * INTERVAL_S + 2);
    expect(f.runbook).toBe('etcd-slow-disk');
    const step = await first();
    expect(step.id).toBe('fsync');
    expect(step.check?.status).toBe('fail');
    expect(step.check?.evidence[0]).toMatch(/^WAL fsync p99: \d+(\.\d+)? (ms|s) at \d\d:\d\d:\d\d UTC \(want < 10 ms\)$/);
  } finally {
    disk.throttle(0);
    await stopLoad();
  }
}, 600_000);
