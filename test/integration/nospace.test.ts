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
