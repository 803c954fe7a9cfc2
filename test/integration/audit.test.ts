// Audit-log forensics on a real control plane: kube-apiserver 1.20.2 writes its audit log with a
// catch-all RequestResponse policy while a workload runs with distinct user agents (one dominant).
// The dashboard follows that log through the per-cluster `audit.path` config; its API must name
// the same top user agent as an independent count of the real file, flag the catch-all policy,
// and estimate a saving with the suggested policy.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startControlPlane, type ControlPlane } from '../../scripts/control-plane/cluster';
import { CATCH_ALL_POLICY } from '../../scripts/fixtures/capture-audit';
import { LOADGEN_UA, runAuditWorkload } from '../../scripts/fixtures/audit-workload';
import { startDashboard, waitFor } from './helpers';

let cp: ControlPlane;
let dash: Awaited<ReturnType<typeof startDashboard>>;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kf-audit-'));

beforeAll(async () => {
  cp = await startControlPlane({ dir: path.join(dir, 'cp'), auditPolicy: CATCH_ALL_POLICY, controllerManager: false });
  const config = path.join(dir, 'kf.yaml');
  fs.writeFileSync(config, JSON.stringify({ clusters: [{ context: 'kf-test', name: 'audit', audit: { path: cp.auditLogPath } }] }));
  dash = await startDashboard({ KUBECONFIG: cp.viewerKubeconfig, KF_CONFIG: config, KF_DATA_DIR: path.join(dir, 'data'), KF_INTERVAL_SECONDS: '5', KF_AUDIT_FOLLOW_MS: '500' });
}, 240_000);

afterAll(async () => {
  await dash?.stop();
  await cp?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Counts user agents in the real audit log file, independently of kube-forensics' parser. */
function countUserAgents(file: string): Map<string, number> {
  const m = new Map<string, number>();
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!line) continue;
    const e = JSON.parse(line) as { userAgent?: string };
    const ua = e.userAgent || '(none)';
    m.set(ua, (m.get(ua) ?? 0) + 1);
  }
  return m;
}

const base = () => `${dash.url}/api/clusters/ctx-kf-test/audit`;

it('names the dominant user agent, flags the catch-all policy and estimates a saving', async () => {
  // The dominant client: 800 LISTs (1,600 events; the apiserver's own start-up traffic is several hundred) by the "inventory controller", plus the kubectl-like workload.
  await runAuditWorkload(cp, { namespace: 'audit-it', configmaps: 8, loadgenLists: 800, payloadBytes: 512 });
  // The log backend is blocking, but let the last writes land and stop the dashboard's own polls
  // from moving the count while we compare: take the file's count, then wait for the API to reach it.
  await new Promise((r) => setTimeout(r, 1500));
  const counted = countUserAgents(cp.auditLogPath);
  const [topUa, topCount] = [...counted].sort((a, b) => b[1] - a[1])[0]!;
  expect(topUa).toBe(LOADGEN_UA);
  const total = [...counted.values()].reduce((a, b) => a + b, 0);

  type Summary = { total: { events: number }; top: { userAgent: Array<{ key: string; events: number }> }; sources: Array<{ kind: string; status: string }>; errors: Array<{ code: number }> };
  const s = await waitFor('the dashboard to catch up with the audit log', async () => {
    const r = (await (await fetch(base())).json()) as Summary;
    return r.total.events >= total ? r : null;
  }, 60_000, 500);
  expect(s.sources[0]).toMatchObject({ kind: 'path', status: 'following' });
  const ua = s.top.userAgent[0]!;
  expect(ua.key).toBe(topUa);
  // The dashboard keeps reading (its own viewer requests are audited too), so it may be ahead.
  expect(ua.events).toBeGreaterThanOrEqual(topCount);
  expect(s.errors.map((e) => e.code)).toEqual(expect.arrayContaining([403, 404, 409]));

  const touches = (await (await fetch(`${base()}/touches?resource=secrets&name=db-credentials&namespace=audit-it`)).json()) as { rows: Array<{ verb: string; request: string | null }> };
  expect(touches.rows.map((r) => r.verb)).toEqual(expect.arrayContaining(['create', 'patch', 'delete']));
  expect(JSON.stringify(touches)).not.toContain(Buffer.from('hunter2-do-not-print').toString('base64'));

  const res = await fetch(`${base()}/policy`, { method: 'POST', body: CATCH_ALL_POLICY, headers: { 'content-type': 'text/yaml' } });
  expect(res.status).toBe(200);
  const p = (await res.json()) as { risks: Array<{ id: string; severity: string }>; suggested: { savingBytes: number; savingRatio: number; yaml: string }; sampleSource: { kind: string } };
  expect(p.sampleSource.kind).toBe('path');
  expect(p.risks[0]).toMatchObject({ id: 'catch-all-request-response', severity: 'critical' });
  expect(p.suggested.savingBytes).toBeGreaterThan(0);
  expect(p.suggested.yaml).toContain('omitStages');

  const bad = await fetch(`${base()}/policy`, { method: 'POST', body: 'kind: Policy\nrules: []\n' });
  expect(bad.status).toBe(400);
  const badQuery = await fetch(`${base()}/touches?resource=Secrets!&name=x`);
  expect(badQuery.status).toBe(400);
});

it('takes uploads (gzip too) and refuses what is over the cap', async () => {
  const gz = fs.readFileSync(path.resolve(__dirname, '../../testdata/audit/v1.20.2/catchall-requestresponse.jsonl.gz'));
  const up = await fetch(`${base()}/upload?name=fixture.jsonl.gz`, { method: 'POST', body: gz });
  expect(up.status).toBe(200);
  const src = (await up.json()) as { id: number };
  const done = await waitFor('the upload to be ingested', async () => {
    const r = (await (await fetch(base())).json()) as { sources: Array<{ id: number; status: string; events: number }> };
    const me = r.sources.find((x) => x.id === src.id);
    return me && me.status === 'done' ? me : null;
  }, 60_000, 500);
  expect(done.events).toBe(2167);
  // A declared size over the cap is refused before any byte is stored.
  const status = await new Promise<number>((resolve, reject) => {
    const req = http.request(`${base()}/upload?name=big.log`, { method: 'POST', headers: { 'content-length': String(64 * 1024 ** 3) } }, (res) => { res.resume(); resolve(res.statusCode ?? 0); });
    req.on('error', reject);
    req.write('x');
  });
  expect(status).toBe(413);
});
