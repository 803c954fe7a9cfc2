// Incident 1 end to end, on a real etcd 3.4 and kube-apiserver 1.20.2: etcd's data dir and the
// audit log share one small loop-mounted ext4; a RequestResponse catch-all policy and LIST traffic
// over large configmaps fill it until etcd exits with "no space left on device" (facts §9). The
// dashboard keeps serving what it recorded, shows the disk full with the audit log as its consumer,
// etcd gone (/readyz: [-]etcd failed) and the audit volume; the disk-full runbook's checks name the
// audit log. The operator then runs the runbook's commands as templated (keep a copy, truncate,
// switch the policy); the runbook's restart commands are systemd's, so the test restarts its own
// etcd and apiserver processes instead. Every check turns green.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { SUGGESTED_POLICY } from '../../lib/audit/suggested-policy';
import { adminRequest, startControlPlane, type ControlPlane } from '../../scripts/control-plane/cluster';
import { RunbookOperator } from '../scenarios/runbook-operator';
import { bulkConfigMaps, CATCH_ALL_REQUEST_RESPONSE, fillUntilEtcdExits, loopDisk, loopDiskUnavailable, type LoopDisk } from '../scenarios/disk-full';
import { startDashboard, waitFor } from './helpers';

const CLUSTER = 'ctx-kf-test';
/** 320 MiB: etcd's two preallocated 64 MB WAL files and the DB leave ~150 MiB for the audit log. */
const DISK_MIB = 320;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kf-disk-full-'));
const unavailable = loopDiskUnavailable();

let disk: LoopDisk | undefined;
let cp: ControlPlane;
let dash: Awaited<ReturnType<typeof startDashboard>>;
let etcdDataDir = '';

beforeAll(async () => {
  if (unavailable) return;
  disk = loopDisk(dir, DISK_MIB);
  etcdDataDir = path.join(disk.mountPoint, 'etcd');
  fs.mkdirSync(path.join(disk.mountPoint, 'audit'), { recursive: true, mode: 0o700 });
  cp = await startControlPlane({
    dir: path.join(dir, 'cp'), controllerManager: false, etcdDataDir,
    auditLogPath: path.join(disk.mountPoint, 'audit', 'audit.log'), auditPolicy: CATCH_ALL_REQUEST_RESPONSE,
  });
  const config = path.join(dir, 'kf.yaml');
  fs.writeFileSync(config, JSON.stringify({
    clusters: [{
      context: 'kf-test', name: 'disk-full',
      etcd: { url: cp.etcdUrl, metricsUrl: cp.etcdMetricsUrl, caFile: cp.certs.caCert, certFile: cp.certs.etcdClientCert, keyFile: cp.certs.etcdClientKey },
      audit: { path: cp.auditLogPath, etcdDataDir },
    }],
  }));
  dash = await startDashboard({
    KUBECONFIG: cp.viewerKubeconfig, KF_CONFIG: config, KF_DATA_DIR: path.join(dir, 'data'),
    KF_INTERVAL_SECONDS: '3', KF_CENSUS_SECONDS: '30', KF_AUDIT_DISK_MS: '2000',
  });
}, 300_000);

afterAll(async () => {
  await dash?.stop();
  await cp?.stop();
  disk?.remove();
  fs.rmSync(dir, { recursive: true, force: true });
});

interface Finding { detector: string; severity: string; summary: string; runbook?: string; evidence: { facts: string[] } }

const api = `/api/clusters/${CLUSTER}`;
const get = async <T,>(p: string): Promise<T> => (await (await fetch(`${dash.url}${p}`)).json()) as T;
const findings = async () => (await get<{ findings: Finding[] }>(`${api}/overview`)).findings;
const df = (p: string) => { const s = fs.statfsSync(p); return { sizeMiB: (s.blocks * s.bsize) / 1024 ** 2, freeMiB: (s.bfree * s.bsize) / 1024 ** 2 }; };

it.skipIf(unavailable !== null)(`etcd exits on the full disk; the dashboard names the audit log; the runbook brings it back${unavailable ? ` (skipped: ${unavailable})` : ''}`, async () => {
  // Before: a healthy disk, sampled, and no finding about it.
  // The operator: runs the commands as the wizard templated them, on the control-plane host.
  const op = new RunbookOperator(dash.url, CLUSTER, cp, 'sre-on-call');
  const baseline = await op.start('control-plane-disk-full');
  const roomy = (await op.until(baseline, 'the first disk sample', (v) => v.steps.find((s) => s.id === 'room')!.check!.status === 'pass', 60_000))
    .steps.find((s) => s.id === 'room')!.check!;
  expect(roomy.evidence.join('\n')).toContain(`etcd's data dir ${etcdDataDir} is on the same filesystem`);
  expect((await findings()).find((f) => f.detector === 'audit-disk')).toBeUndefined();

  await bulkConfigMaps(cp, 'bulk', 50, 20);
  const fill = await fillUntilEtcdExits(cp, 'bulk', { timeoutMs: 300_000 });
  console.log('fill:', fill, 'disk:', df(disk!.mountPoint));
  expect(fill.etcdExitedAt, `etcd still running after ${fill.durationMs} ms (${fill.lists} lists, ${fill.writes} writes)`).not.toBeNull();
  const etcdLog = fs.readFileSync(path.join(cp.dir, 'logs', 'etcd.log'), 'utf8');
  expect(etcdLog).toMatch(/no space left on device/);
  const exitedAt = fill.etcdExitedAt!;

  // The dashboard: the disk full with the audit log as its consumer, etcd gone, the audit volume.
  const diskFinding = await waitFor('the audit-disk finding', async () => (await findings()).find((f) => f.detector === 'audit-disk' && f.severity === 'critical'), 60_000, 1000);
  console.log(diskFinding.summary, diskFinding.evidence.facts);
  // "is full" while nothing is left; once etcd has exited, what it held may come back, and the
  // detector says how full the filesystem is then (one run: 96%, 11.7 MiB available).
  expect(diskFinding.summary).toMatch(/^The audit log's filesystem \(.*\/audit\) is (full|9\d% used[^;]*); audit logs take \d+%/);
  expect(diskFinding.runbook).toBe('control-plane-disk-full');
  expect(diskFinding.evidence.facts.join('\n')).toContain(`etcd's data dir ${etcdDataDir} is on the same filesystem`);
  const notReady = await waitFor('the readiness finding', async () => (await findings()).find((f) => f.detector === 'apiserver-readiness'), 60_000, 1000);
  expect(notReady.evidence.facts.join('\n')).toMatch(/\[-\]etcd failed/);
  // The follower ingests the log while it grows (some 150 MiB of bodies here): the volume follows.
  const volume = await waitFor('the audit-volume finding', async () => (await findings()).find((f) => f.detector === 'audit-volume'), 60_000, 1000);
  expect(volume.summary).toMatch(/^Audit log writing [\d.]+ MiB\/min/);

  // It keeps serving what it recorded, quickly: the flood is on the timeline, up to etcd's exit.
  const t0 = Date.now();
  const tl = await get<{ panels: Array<{ id: string; result: { series: Array<{ name: string; points: Array<[number, number | null]> }> } }> }>(`${api}/timeline?from=now-15m&to=now&panels=apiserver-requests,etcd-db-size`);
  expect(Date.now() - t0).toBeLessThan(2000);
  const lists = tl.panels.find((p) => p.id === 'apiserver-requests')!.result.series.find((s) => s.name.includes('LIST'))!;
  expect(Math.max(...lists.points.map((p) => p[1] ?? 0))).toBeGreaterThan(1);
  const db = tl.panels.find((p) => p.id === 'etcd-db-size')!.result.series.find((s) => s.name === 'DB size')!;
  expect(db.points.filter((p) => p[1] !== null && p[0] <= exitedAt).length).toBeGreaterThanOrEqual(2);

  // The runbook, opened from the finding: its checks name the audit log as the space consumer.
  const run = await op.start(diskFinding.runbook!, 'audit-disk');
  let view = await op.view(run);
  const step = (id: string) => view.steps.find((s) => s.id === id)!;
  const value = (n: string) => view.values.find((v) => v.name === n);
  expect(step('room').check!.status).toBe('fail');
  expect(step('room').check!.evidence[0]).toMatch(new RegExp(`^${cp.auditLogPath.replace(/[.]/g, '\\.')}: audit logs [\\d.]+ MiB.* = \\d+% of the [\\d.]+ MiB used on this filesystem`));
  expect(step('etcd-ready').check!.status).toBe('fail');
  expect(step('etcd-ready').check!.evidence.join('\n')).toMatch(/\[-\]etcd failed/);
  expect(value('auditLogPath')).toMatchObject({ value: cp.auditLogPath, source: 'KF_CONFIG audit.path' });
  expect(value('etcdDataDir')).toMatchObject({ value: etcdDataDir, source: 'KF_CONFIG audit.etcdDataDir' });

  // Keep a copy elsewhere, free the log, switch the policy: as templated.
  const keep = path.join(dir, 'evidence');
  const policyFile = path.join(cp.dir, 'audit-policy.yaml');
  view = await op.act(run, { action: 'inputs', inputs: { keepDir: keep, auditPolicyPath: policyFile } });
  expect(step('free').command!.missing).toEqual([]);
  const onDisk = (f: string) => fs.statSync(f).blocks * 512;
  const before = onDisk(cp.auditLogPath);
  console.log(await op.run(step('free').command!.text));
  const kept = fs.readdirSync(keep);
  expect(kept.some((f) => /^audit\.log-\d{8}T\d{6}\.gz$/.test(f))).toBe(true);
  expect(onDisk(cp.auditLogPath)).toBeLessThan(before / 10);
  await op.run(step('policy').command!.text);
  expect(fs.readFileSync(policyFile, 'utf8')).toBe(`${SUGGESTED_POLICY.trim()}\n`);
  expect(fs.readFileSync(`${policyFile}.before-incident`, 'utf8')).toBe(CATCH_ALL_REQUEST_RESPONSE);
  for (const id of ['look', 'keep-first', 'free', 'policy', 'rotation']) await op.act(run, { action: 'step', step: id, status: 'done' });
  view = await op.until(run, 'the disk check to pass after the truncation', (v) => v.steps.find((s) => s.id === 'room-now')!.check!.status === 'pass', 30_000);

  // Start etcd, restart the apiserver with the new policy (the test's processes, not systemd's).
  await cp.startComponent('etcd');
  const stoppedAt = Date.now();
  await cp.stopComponent('kube-apiserver');
  await cp.startComponent('kube-apiserver');
  for (const id of ['start-etcd', 'restart-apiserver']) await op.act(run, { action: 'step', step: id, status: 'done' });
  const w = await adminRequest(cp, 'POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: 'after-recovery' }, data: { ok: 'yes' } });
  expect(w.status).toBe(201);

  // Every check turns green.
  view = await op.until(run, 'every check to pass', (v) => v.steps.filter((s) => s.kind === 'check').every((s) => s.check!.status === 'pass'), 180_000);
  console.log(view.steps.filter((s) => s.kind === 'check').map((s) => `${s.id}: ${s.check!.evidence.join(' | ')}`).join('\n'));

  // The timeline marks the apiserver's restart, once, at the new process's start time (its
  // process_start_time_seconds changed between two scrapes); nothing else counts as a restart.
  const restarts = await waitFor('the restart marker', async () => {
    const m = (await get<{ markers: Array<{ t: number; kind: string; label: string }> }>(`${api}/timeline?from=now-30m&to=now`)).markers.filter((x) => x.kind === 'restart');
    return m.length ? m : null;
  }, 60_000, 1000);
  expect(restarts).toEqual([expect.objectContaining({ kind: 'restart', label: 'kube-apiserver restarted' })]);
  expect(restarts[0]!.t).toBeGreaterThanOrEqual(stoppedAt - 1000);
  expect(restarts[0]!.t).toBeLessThanOrEqual(Date.now());

  // The new policy is in force: Metadata events carry no response bodies.
  const lastLines = fs.readFileSync(cp.auditLogPath, 'utf8').trim().split('\n').slice(-50).map((l) => JSON.parse(l) as { level: string; responseObject?: unknown });
  expect(lastLines.some((e) => e.level === 'Metadata')).toBe(true);
  expect(lastLines.every((e) => e.level !== 'RequestResponse')).toBe(true);
}, 900_000);
