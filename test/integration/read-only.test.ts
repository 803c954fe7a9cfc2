// Read-only toward clusters, checked where it counts: the real apiserver's audit log (policy at
// Metadata level: one entry per request with verb, URI, user and user agent). The production build
// records the control plane while every page and every API route (found on disk) is exercised,
// captures included; then the log must show zero mutating verbs from the dashboard's identity and
// no request outside the allow-list of server/cluster/paths.ts.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { readOnlyReport } from '../support/read-only-audit';
import { controlPlane } from './env';
import { auditRequests, startDashboard, waitFor } from './helpers';
import { apiRoutes, fill, pageRoutes } from './routes';

const cp = controlPlane();
const CLUSTER = 'ctx-kf-test';
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kf-readonly-'));
let dash: Awaited<ReturnType<typeof startDashboard>>;
let from = 0;

beforeAll(async () => {
  // The shared control plane's audit policy: Metadata for every request (scripts/control-plane/cluster.ts).
  expect(fs.readFileSync(path.join(cp.dir, 'audit-policy.yaml'), 'utf8')).toMatch(/rules:\s*\n- level: Metadata\s*$/);
  from = Date.now();
  dash = await startDashboard({ KUBECONFIG: cp.viewerKubeconfig, KF_DATA_DIR: dataDir, KF_INTERVAL_SECONDS: '2', KF_CENSUS_SECONDS: '5' });
  await waitFor('the cluster to be recorded', async () => {
    const l = (await (await fetch(`${dash.url}/api/clusters`)).json()) as Array<{ id: string; lastOk: number | null }>;
    return l.find((c) => c.id === CLUSTER)?.lastOk;
  }, 60_000, 500);
}, 180_000);

afterAll(async () => {
  await dash?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function call(method: string, url: string, body?: BodyInit, headers: Record<string, string> = {}): Promise<{ status: number; text: string }> {
  const r = await fetch(`${dash.url}${url}`, { method, body, headers, signal: AbortSignal.timeout(90_000), redirect: 'manual' });
  return { status: r.status, text: await r.text() };
}

it('every page and API route, captures included, sends only allow-listed GETs to the apiserver', async () => {
  // Captures first (a responder's action; the server is in open loopback mode): they reach the cluster.
  const post = async (kind: string) => {
    const r = await call('POST', `/api/clusters/${CLUSTER}/captures`, JSON.stringify({ kind }), { 'content-type': 'application/json' });
    expect(r.status, r.text).toBe(200);
    return (JSON.parse(r.text) as { id: number }).id;
  };
  const goroutine = await post('goroutine');
  const heap = await post('heap');
  const dump = await call('GET', `/api/clusters/${CLUSTER}/captures/${goroutine}/raw`);
  expect(dump.status).toBe(200);
  // A runbook run, so the run routes have a real id (the wizard's progress is the dashboard's own state).
  const started = await call('POST', `/api/clusters/${CLUSTER}/runbooks`, JSON.stringify({ runbook: 'etcd-out-of-space', by: 'read-only test' }), { 'content-type': 'application/json' });
  expect(started.status, started.text).toBe(200);
  const runId = (JSON.parse(started.text) as { id: number }).id;
  // An incident with an annotation, so the incident pages and routes have real ids (the war room is the dashboard's own state).
  const json = { 'content-type': 'application/json' };
  const declared = await call('POST', '/api/incidents', JSON.stringify({ title: 'read-only test', severity: 'sev3', clusters: [CLUSTER], by: 'read-only test' }), json);
  expect(declared.status, declared.text).toBe(200);
  const incident = (JSON.parse(declared.text) as { id: string }).id;
  const noted = await call('POST', `/api/incidents/${incident}/annotations`, JSON.stringify({ from: Date.now(), kind: 'observation', text: 'setup', by: 'read-only test' }), json);
  expect(noted.status, noted.text).toBe(200);
  const params = { cluster: CLUSTER, id: String(goroutine), run: String(runId), incident, annotation: String((JSON.parse(noted.text) as { id: number }).id), bundle: 'bundle-no-such-bundle' };
  const seen: string[] = [];

  for (const p of pageRoutes()) {
    const url = fill(p, params);
    const r = await call('GET', url);
    seen.push(`page ${url} ${r.status}`);
    expect(r.status, url).toBeLessThan(400);
  }
  const bodies: Record<string, () => { query?: string; body?: BodyInit; headers?: Record<string, string> }> = {
    'POST /api/clusters/[cluster]/captures': () => ({ body: JSON.stringify({ kind: 'goroutine' }), headers: { 'content-type': 'application/json' } }),
    'POST /api/clusters/[cluster]/captures/upload': () => ({ query: '?kind=goroutine&name=dump.txt', body: dump.text, headers: { 'content-type': 'text/plain' } }),
    'GET /api/clusters/[cluster]/captures/diff': () => ({ query: `?base=${goroutine}&new=${goroutine}` }),
    'POST /api/session': () => ({ body: JSON.stringify({ token: 'x' }), headers: { 'content-type': 'application/json' } }),
    'POST /api/clusters/[cluster]/runbooks': () => ({ body: JSON.stringify({ runbook: 'etcd-slow-disk', by: 'read-only test' }), headers: { 'content-type': 'application/json' } }),
    'POST /api/clusters/[cluster]/runbooks/[run]': () => ({ body: JSON.stringify({ action: 'step', step: 'at-quota', status: 'done', by: 'read-only test' }), headers: { 'content-type': 'application/json' } }),
    'GET /api/clusters/[cluster]/audit/touches': () => ({ query: '?resource=configmaps&name=kube-root-ca.crt&namespace=default' }),
    'POST /api/clusters/[cluster]/audit/upload': () => ({ query: '?name=empty.log', body: '', headers: { 'content-type': 'text/plain' } }),
    'POST /api/clusters/[cluster]/audit/policy': () => ({ body: 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: Metadata\n', headers: { 'content-type': 'text/yaml' } }),
    'POST /api/bundles/upload': () => ({ query: '?name=not-a-bundle.tar.gz', body: 'not a bundle', headers: { 'content-type': 'application/gzip' } }),
    'POST /api/incidents': () => ({ body: JSON.stringify({ title: 'read-only test 2', clusters: [CLUSTER], by: 'read-only test' }), headers: json }),
    'PATCH /api/incidents/[incident]': () => ({ body: JSON.stringify({ summary: 'from the read-only test', status: 'identified' }), headers: json }),
    'POST /api/incidents/[incident]/annotations': () => ({ body: JSON.stringify({ from: Date.now() - 60_000, to: Date.now(), kind: 'action', text: 'a range', by: 'read-only test' }), headers: json }),
    'POST /api/incidents/[incident]/findings': () => ({ body: JSON.stringify({ cluster: CLUSTER, findingId: 'etcd-db-near-quota', by: 'read-only test' }), headers: json }),
    'POST /api/incidents/[incident]/links': () => ({ body: JSON.stringify({ link: 'run', cluster: CLUSTER, run: runId, by: 'read-only test' }), headers: json }),
    // The live feed, once: what is stored, then the end of the stream (a live tail would never end).
    'GET /api/incidents/[incident]/stream': () => ({ query: '?once=1' }),
    // The postmortem: edits are the dashboard's own state; the PDF and Markdown read the store only.
    'PUT /api/incidents/[incident]/postmortem': () => ({ body: JSON.stringify({ summary: 'read-only test' }), headers: json }),
    'GET /api/incidents/[incident]/postmortem/markdown': () => ({ query: '?format=md' }),
  };
  // Answers that are the route's documented refusal in open mode, not a failure to serve.
  const refusals: Record<string, number[]> = {
    'POST /api/clusters/[cluster]/captures': [429], // a second dump within 10 s is rate-limited
    'POST /api/session': [400, 404, 409], 'DELETE /api/session': [400],
    // OIDC sign-in is not used in open mode.
    'GET /api/session/oidc': [400],
    // No bundle of that name: nothing to remove.
    'DELETE /api/bundles/[bundle]': [404],
    // Uploads of nothing or of garbage are refused by the dashboard itself (nothing reaches the cluster).
    'POST /api/clusters/[cluster]/audit/upload': [400, 413],
    'POST /api/bundles/upload': [400, 413, 415],
    // No audit log ingested for this cluster in this test: the replay has nothing to run on.
    'POST /api/clusters/[cluster]/audit/policy': [409],
    // A healthy test cluster has no current finding to link.
    'POST /api/incidents/[incident]/findings': [404],
  };
  for (const { pattern, methods } of apiRoutes()) {
    for (const m of methods) {
      const key = `${m} ${pattern}`;
      const extra = bodies[key]?.() ?? {};
      const url = `${fill(pattern, params)}${extra.query ?? ''}`;
      const r = await call(m, url, extra.body, extra.headers);
      seen.push(`${key} ${r.status}`);
      const failed = !(r.status < 300 || (refusals[key] ?? []).includes(r.status));
      expect(failed, `${key}: ${r.status} ${r.text.slice(0, 200)}${failed ? `\nserver output:\n${dash.output().slice(-3000)}` : ''}`).toBe(false);
    }
  }
  // The heap capture too (its analysis is what the runtime page shows).
  expect((await call('GET', `/api/clusters/${CLUSTER}/captures/${heap}`)).status).toBe(200);
  console.log(seen.join('\n'));
  // Keep recording a little longer: a census round (5 s) and the watches run meanwhile.
  await new Promise((r) => setTimeout(r, 6000));
  const to = Date.now();
  // The audit backend writes in batches: wait until it has caught up with `to`.
  await waitFor('the audit log to catch up', () => auditRequests(cp.auditLogPath, to, Number.MAX_SAFE_INTEGER).length > 0, 30_000, 500);

  const report = readOnlyReport(cp.auditLogPath, from, to);
  const { requests } = report;
  console.log('dashboard requests by verb:', report.byVerb, 'total', requests.length);
  // It did talk to the cluster: metrics, readiness, the census, the Events lists, and the captures' pprof reads.
  expect(requests.length).toBeGreaterThan(50);
  expect(report.byVerb.list ?? 0).toBeGreaterThan(10);
  expect(requests.some((e) => e.requestURI === '/metrics')).toBe(true);
  expect(requests.some((e) => /^\/api\/v1\/events\?limit=500/.test(e.requestURI))).toBe(true);
  expect(requests.some((e) => e.requestURI.startsWith('/debug/pprof/goroutine?debug=2'))).toBe(true);
  expect(requests.some((e) => e.requestURI === '/debug/pprof/heap')).toBe(true);
  // Zero mutating requests, and nothing off the allow-list.
  expect(report.mutating).toEqual([]);
  expect(report.notRead).toEqual([]);
  expect(report.offAllowList).toEqual([]);
  // And every one of them came as the read-only identity with the dashboard's user agent.
  expect(report.foreign).toEqual([]);
}, 300_000);
