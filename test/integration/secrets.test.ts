// Credentials stay on the server. The dashboard records the real control plane with a kubeconfig
// holding a client certificate and key and a recognisable bearer token (and a second context with
// a token only, which the apiserver refuses: error paths), plus etcd client certificates; then no
// API answer, page, bundle file (a capture from the same cluster) or line of the server's output
// may contain any of them.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { captureBundle } from '@/server/capture/capture';
import { LiveClusterSource } from '@/server/cluster/live';
import { controlPlane } from './env';
import { startDashboard, waitFor } from './helpers';
import { apiRoutes, fill, pageRoutes } from './routes';

const cp = controlPlane();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kf-secrets-'));
const TOKEN = `kf-canary-token-${crypto.randomBytes(16).toString('hex')}`;
const REFUSED_TOKEN = `kf-canary-refused-${crypto.randomBytes(16).toString('hex')}`;
const CLUSTERS = ['ctx-kf-test', 'ctx-kf-token'];
const kubeconfig = path.join(tmp, 'kubeconfig');
let dash: Awaited<ReturnType<typeof startDashboard>>;

const b64 = (f: string) => fs.readFileSync(f).toString('base64');
fs.writeFileSync(kubeconfig, `apiVersion: v1
kind: Config
clusters:
- name: kf
  cluster: { server: ${cp.apiserverUrl}, certificate-authority-data: ${b64(cp.certs.caCert)} }
users:
- name: cert-and-token
  user: { client-certificate-data: ${b64(cp.certs.viewerCert)}, client-key-data: ${b64(cp.certs.viewerKey)}, token: ${TOKEN} }
- name: token-only
  user: { token: ${REFUSED_TOKEN} }
contexts:
- name: kf-test
  context: { cluster: kf, user: cert-and-token }
- name: kf-token
  context: { cluster: kf, user: token-only }
current-context: kf-test
`, { mode: 0o600 });
const etcd = { url: cp.etcdUrl, metricsUrl: cp.etcdMetricsUrl, caFile: cp.certs.caCert, certFile: cp.certs.etcdClientCert, keyFile: cp.certs.etcdClientKey };

/**
 * What must never appear, in every form it could leak in: three whole lines of each PEM body (a
 * PEM quoted in JSON keeps its lines), slices of the base64 of each file (the kubeconfig's
 * `*-data` form), and the tokens.
 */
function needles(): Array<{ name: string; text: string }> {
  const out: Array<{ name: string; text: string }> = [{ name: 'bearer token', text: TOKEN }, { name: 'refused bearer token', text: REFUSED_TOKEN }];
  const files = { 'client key': cp.certs.viewerKey, 'client certificate': cp.certs.viewerCert, 'etcd client key': cp.certs.etcdClientKey, 'etcd client certificate': cp.certs.etcdClientCert };
  for (const [name, f] of Object.entries(files)) {
    const body = fs.readFileSync(f, 'utf8').split('\n').filter((l) => l && !l.startsWith('-----'));
    for (const i of [1, Math.floor(body.length / 2), body.length - 2]) out.push({ name: `${name} (PEM line ${i})`, text: body[i]! });
    if (!name.startsWith('etcd')) {
      // Embedded in the kubeconfig as base64 of the whole PEM file.
      const whole = b64(f);
      for (const at of [120, Math.floor(whole.length / 2), whole.length - 200]) out.push({ name: `${name} (kubeconfig data @${at})`, text: whole.slice(at, at + 48) });
    }
  }
  return out;
}

function scan(where: string, text: string): string[] {
  return needles().filter((n) => text.includes(n.text)).map((n) => `${n.name} in ${where}`);
}

beforeAll(async () => {
  const config = path.join(tmp, 'kf.yaml');
  fs.writeFileSync(config, `clusters:\n  - context: kf-test\n    etcd: ${JSON.stringify(etcd)}\n`);
  dash = await startDashboard({ KUBECONFIG: kubeconfig, KF_CONFIG: config, KF_DATA_DIR: path.join(tmp, 'data'), KF_INTERVAL_SECONDS: '2', KF_CENSUS_SECONDS: '5' });
  await waitFor('both clusters to have been tried, the first recorded', async () => {
    const l = (await (await fetch(`${dash.url}/api/clusters`)).json()) as Array<{ id: string; lastOk: number | null; lastAttempt?: number | null }>;
    return l.find((c) => c.id === 'ctx-kf-test')?.lastOk && l.some((c) => c.id === 'ctx-kf-token');
  }, 60_000, 500);
  // A census round and the refused context's errors, then a dump and a heap profile through the API.
  await new Promise((r) => setTimeout(r, 7000));
  for (const kind of ['goroutine', 'heap']) {
    const r = await fetch(`${dash.url}/api/clusters/ctx-kf-test/captures`, { method: 'POST', body: JSON.stringify({ kind }), headers: { 'content-type': 'application/json' } });
    expect(r.status).toBe(200);
  }
}, 180_000);

afterAll(async () => {
  await dash?.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('secrets never leave the server', () => {
  it('the needles are real: the kubeconfig and key files contain every one of them', () => {
    const all = [kubeconfig, cp.certs.viewerKey, cp.certs.viewerCert, cp.certs.etcdClientKey, cp.certs.etcdClientCert].map((f) => fs.readFileSync(f, 'utf8')).join('\n');
    expect(needles().filter((n) => !all.includes(n.text))).toEqual([]);
  });

  it('in no API answer or page, for either cluster', async () => {
    const found: string[] = [];
    let bytes = 0;
    const { captures } = (await (await fetch(`${dash.url}/api/clusters/ctx-kf-test/captures`)).json()) as { captures: Array<{ id: number }> };
    expect(captures.length).toBeGreaterThanOrEqual(2);
    const urls = ['/api/clusters'];
    for (const cluster of CLUSTERS) {
      // A runbook run, so the run routes answer with a real run (its templated commands included).
      const started = await fetch(`${dash.url}/api/clusters/${cluster}/runbooks`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ runbook: 'etcd-out-of-space', by: 'secrets test' }),
      });
      const run = started.ok ? String(((await started.json()) as { id: number }).id) : '1';
      for (const { pattern, methods } of apiRoutes()) {
        if (!methods.includes('GET') || !pattern.includes('[cluster]')) continue;
        for (const c of pattern.includes('[id]') ? captures : [{ id: captures[0]!.id }]) {
          urls.push(`${fill(pattern, { cluster, id: String(c.id), run })}${pattern.endsWith('/diff') ? `?base=${captures[0]!.id}&new=${c.id}` : ''}`);
        }
      }
      for (const p of pageRoutes()) if (p.includes('[cluster]')) urls.push(fill(p, { cluster }));
    }
    // An incident over both clusters, so the war room, its live feed and the postmortem exports are
    // scanned too (the PDF's text is compressed: its Markdown twin carries the same words).
    const json = { 'content-type': 'application/json' };
    const declared = await fetch(`${dash.url}/api/incidents`, { method: 'POST', headers: json, body: JSON.stringify({ title: 'secrets test', clusters: CLUSTERS, by: 'secrets test' }) });
    expect(declared.status).toBe(200);
    const incident = ((await declared.json()) as { id: string }).id;
    const noted = await fetch(`${dash.url}/api/incidents/${incident}/annotations`, { method: 'POST', headers: json, body: JSON.stringify({ from: Date.now(), kind: 'observation', text: 'scan me', by: 'secrets test' }) });
    const annotation = String(((await noted.json()) as { id: number }).id);
    for (const { pattern, methods } of apiRoutes()) {
      if (!methods.includes('GET') || !pattern.includes('[incident]') || pattern.endsWith('/pdf')) continue;
      const query = pattern.endsWith('/stream') ? '?once=1' : pattern.endsWith('/markdown') ? '?format=md' : '';
      urls.push(`${fill(pattern, { incident, annotation })}${query}`);
    }
    for (const p of pageRoutes()) if (p.includes('[incident]')) urls.push(fill(p, { incident }));
    urls.push('/api/incidents', '/incidents');
    for (const u of urls) {
      const r = await fetch(`${dash.url}${u}`, { signal: AbortSignal.timeout(60_000) });
      const text = await r.text();
      bytes += text.length;
      found.push(...scan(`GET ${u} (${r.status})`, text));
    }
    console.log(`scanned ${urls.length} answers, ${(bytes / 1e6).toFixed(1)} MB`);
    expect(bytes).toBeGreaterThan(200_000);
    expect(found).toEqual([]);
  });

  it('in no file of a bundle captured from the cluster', async () => {
    const kc = new KubeConfig();
    kc.loadFromFile(kubeconfig);
    const source = new LiveClusterSource({ id: 'secrets', kubeConfig: kc, context: 'kf-test', etcd });
    const out = path.join(tmp, 'bundle');
    try {
      const r = await captureBundle(source, { out, durationMs: 8_000, intervalMs: 2_000, censusEveryMs: 4_000 });
      expect(r.manifest.captured.metrics).toEqual(['kube-apiserver', 'etcd']);
    } finally { await source.close(); }
    const found: string[] = [];
    const files = (fs.readdirSync(out, { recursive: true }) as string[]).filter((f) => fs.statSync(path.join(out, f)).isFile());
    for (const f of files) {
      let data = fs.readFileSync(path.join(out, f));
      if (f.endsWith('.gz')) data = zlib.gunzipSync(data);
      found.push(...scan(f, data.toString('latin1')));
    }
    expect(files.some((f) => f.startsWith('pprof/kube-apiserver/') && f.endsWith('-heap.pb.gz'))).toBe(true);
    expect(files.some((f) => f.startsWith('census/'))).toBe(true);
    expect(found).toEqual([]);
  }, 120_000);

  it('in no line of the server\'s output, errors from the refused token included', () => {
    const out = dash.output();
    // The refused context was tried and its failures logged.
    expect(out).toMatch(/ctx-kf-token|kf-token/);
    expect(scan('server output', out)).toEqual([]);
  });
});
