// Incident 2 end to end, through the runbook wizard's API: etcd at its quota (NOSPACE), the run
// opened from the finding, and every command the wizard templated executed as an operator would
// (bash, kubectl with the admin kubeconfig, etcdctl): the server itself never runs them. Writes
// succeed again, the alarm is gone, every check turns green, and the DB size drops on the timeline.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { adminRequest, startControlPlane, type ControlPlane } from '../../scripts/control-plane/cluster';
import { floodUntilNoSpace, installReportsCrd, keepRetrying, NOSPACE_QUOTA_BYTES } from '../scenarios/nospace';
import { startDashboard, waitFor } from './helpers';

let cp: ControlPlane;
let dash: Awaited<ReturnType<typeof startDashboard>>;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kf-rb-nospace-'));
const NS = 'kyverno-reports';
const CLUSTER = 'ctx-kf-test';

beforeAll(async () => {
  cp = await startControlPlane({ dir: path.join(dir, 'cp'), quotaBackendBytes: NOSPACE_QUOTA_BYTES });
  const config = path.join(dir, 'kf.yaml');
  fs.writeFileSync(config, JSON.stringify({
    clusters: [{ context: 'kf-test', name: 'nospace', etcd: { url: cp.etcdUrl, metricsUrl: cp.etcdMetricsUrl, caFile: cp.certs.caCert, certFile: cp.certs.etcdClientCert, keyFile: cp.certs.etcdClientKey } }],
  }));
  dash = await startDashboard({ KUBECONFIG: cp.viewerKubeconfig, KF_CONFIG: config, KF_DATA_DIR: path.join(dir, 'data'), KF_INTERVAL_SECONDS: '3', KF_CENSUS_SECONDS: '10' });
}, 300_000);

afterAll(async () => {
  await dash?.stop();
  await cp?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

interface Step { id: string; kind: string; status: string; by?: string; check?: { status: string; evidence: string[] }; command?: { text: string; missing: string[] } }
interface View { run: { id: number; finding: string | null }; steps: Step[]; values: Array<{ name: string; value: string }> }

const api = `/api/clusters/${CLUSTER}`;
const get = async <T,>(p: string): Promise<T> => (await (await fetch(`${dash.url}${p}`)).json()) as T;
async function post<T>(p: string, body: unknown): Promise<T> {
  const r = await fetch(`${dash.url}${p}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const json = (await r.json()) as T;
  if (!r.ok) throw new Error(`POST ${p}: ${r.status} ${JSON.stringify(json)}`);
  return json;
}

/**
 * Runs a command exactly as the wizard shows it, as an operator with the admin kubeconfig would.
 * Asynchronously: a blocked event loop keeps fetch from seeing the dashboard close idle sockets.
 */
async function operatorRuns(text: string): Promise<string> {
  const { stdout } = await promisify(execFile)('bash', ['-euo', 'pipefail', '-c', text], { env: { ...process.env, KUBECONFIG: cp.adminKubeconfig }, encoding: 'utf8', timeout: 240_000 });
  return stdout;
}

it('follows the out-of-space runbook from the finding to green checks', async () => {
  await installReportsCrd(cp, NS);
  await new Promise((r) => setTimeout(r, 10_000));
  const flood = await floodUntilNoSpace(cp, NS, { concurrency: 6 });
  expect(flood.firstNoSpaceAt).not.toBeNull();
  const stopProducer = keepRetrying(cp, NS);
  let producerStopped = false;
  try {
    // The finding carries its runbook.
    const finding = await waitFor('the NOSPACE finding', async () => {
      const o = await get<{ findings: Array<{ detector: string; runbook?: string; summary: string }> }>(`${api}/overview`);
      return o.findings.find((f) => f.detector === 'etcd-nospace' && f.summary.includes('writes fail'));
    }, 90_000, 1000);
    expect(finding.runbook).toBe('etcd-out-of-space');

    const run = await post<{ id: number }>(`${api}/runbooks`, { runbook: finding.runbook, finding: finding.detector, by: 'sre-on-call' });
    let view = await get<View>(`${api}/runbooks/${run.id}`);
    const step = (id: string) => view.steps.find((s) => s.id === id)!;
    const value = (n: string) => view.values.find((v) => v.name === n)?.value;
    expect(view.run.finding).toBe('etcd-nospace');
    expect(step('at-quota').check!.status).toBe('fail');
    expect(step('at-quota').check!.evidence.join('\n')).toContain('NOSPACE');
    expect(step('writes-ok').check!.status).toBe('fail');
    // The wizard's values come from the recording: the top consumer from the census, the revision from etcd.
    expect(value('resourceName')).toBe('ephemeralreports.reports.kyverno.io');
    expect(value('version')).toBe('v1');
    expect(Number(value('revision'))).toBeGreaterThan(2000);
    expect(step('delete').command!.missing).toContain('resourcePath');

    // 1. Confirm the alarm, with the command as templated.
    expect(await operatorRuns(step('alarm').command!.text)).toMatch(/alarm:NOSPACE/);
    await post(`${api}/runbooks/${run.id}`, { action: 'step', step: 'alarm', status: 'done', by: 'sre-on-call' });
    // 2. Census now, through the capture step.
    view = await post<View>(`${api}/runbooks/${run.id}`, { action: 'capture', step: 'census', by: 'sre-on-call' });
    expect(step('census').status).toBe('done');
    // 3. Where they live: the namespace goes into the run's inputs.
    expect(await operatorRuns(step('top-consumer').command!.text)).toMatch(new RegExp(`\\d+ ${NS}`));
    view = await post<View>(`${api}/runbooks/${run.id}`, { action: 'inputs', inputs: { namespace: NS }, by: 'sre-on-call' });
    expect(step('delete').command!.missing).toEqual([]);
    expect(step('delete').command!.text).toContain(`'/apis/reports.kyverno.io/v1/namespaces/${NS}/ephemeralreports?limit=500'`);
    // 4. Stop the producer, then delete in batches.
    stopProducer(); producerStopped = true;
    await post(`${api}/runbooks/${run.id}`, { action: 'step', step: 'stop-producer', status: 'done', by: 'sre-on-call' });
    await operatorRuns(step('delete').command!.text);
    const left = await adminRequest(cp, 'GET', `/apis/reports.kyverno.io/v1/namespaces/${NS}/ephemeralreports?limit=1`);
    expect(JSON.parse(left.body).items).toEqual([]);
    // 5. Compact at the revision the wizard shows (refreshed after the deletes), then defragment.
    view = await waitFor('a revision recorded after the deletes', async () => {
      const v = await get<View>(`${api}/runbooks/${run.id}`);
      return Number(v.values.find((x) => x.name === 'revision')?.value) > Number(value('revision')) ? v : null;
    }, 30_000, 1000);
    expect(step('compact').command!.text).toMatch(/compact \d+$/);
    await operatorRuns(step('compact').command!.text);
    await operatorRuns(step('defrag').command!.text);
    view = await waitFor('the DB-size check to pass after defrag', async () => {
      const v = await get<View>(`${api}/runbooks/${run.id}`);
      return v.steps.find((s) => s.id === 'db-down')!.check!.status === 'pass' ? v : null;
    }, 60_000, 1000);
    // 6. Disarm: etcdctl prints the alarm it disarmed, and the list that follows is empty.
    expect((await operatorRuns(step('disarm').command!.text)).trim()).toMatch(/^memberID:\w+ alarm:NOSPACE$/);
    for (const id of ['top-consumer', 'delete', 'compact', 'defrag', 'disarm']) await post(`${api}/runbooks/${run.id}`, { action: 'step', step: id, status: 'done', by: 'sre-on-call' });

    // Writes succeed again.
    const w = await adminRequest(cp, 'POST', '/api/v1/namespaces/default/configmaps', { metadata: { name: 'after-recovery' }, data: { ok: 'yes' } });
    expect(w.status).toBe(201);
    expect(cp.etcdctl(['alarm', 'list']).trim()).toBe('');

    // Every check turns green.
    view = await waitFor('every check to pass', async () => {
      const v = await get<View>(`${api}/runbooks/${run.id}`);
      const checks = v.steps.filter((s) => s.kind === 'check');
      return checks.every((s) => s.check!.status === 'pass') ? v : null;
    }, 90_000, 2000);
    console.log(view.steps.filter((s) => s.kind === 'check').map((s) => `${s.id}: ${s.check!.evidence.join(' | ')}`).join('\n'));
    expect(step('alarm').by).toBe('sre-on-call');

    // The timeline shows the DB size dropping after defrag.
    const tl = await get<{ panels: Array<{ id: string; result: { series: Array<{ name: string; points: Array<[number, number | null]> }> } }> }>(`${api}/timeline?from=now-15m&panels=etcd-db-size`);
    const size = tl.panels[0]!.result.series.find((s) => s.name === 'DB size')!.points.filter((p): p is [number, number] => p[1] !== null);
    const peak = Math.max(...size.map((p) => p[1]));
    const last = size[size.length - 1]![1];
    expect(peak).toBeGreaterThanOrEqual(0.99 * NOSPACE_QUOTA_BYTES);
    expect(last).toBeLessThan(0.5 * NOSPACE_QUOTA_BYTES);
  } finally {
    if (!producerStopped) stopProducer();
  }
}, 900_000);
