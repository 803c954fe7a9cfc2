// History from Prometheus on the real control plane: Debian's prometheus (2.42) scrapes the real
// kube-apiserver (TLS client certificate) and etcd every 5 s; the dashboard's own recorder scrapes
// the same cluster every 5 s; under write load, the timeline's WAL fsync p99 and DB-size panels read
// through Prometheus (PromQL from lib/prometheus) agree with the recorder's own series.
//
// Tolerance ("within one scrape interval of skew"), precisely: the two scrapers read the same
// counters at different instants, each every I = 5 s. For every Prometheus panel point at t:
//  - DB size (a gauge that only grows without a defrag): Prometheus' value is its latest sample at
//    some p ≤ t; the recorder's scrapes a− ≤ p ≤ a+ (each within I of p) bracket it:
//    V(a−) ≤ v ≤ V(a+). Exactly, no slack. The quota is equal.
//  - fsync p99 = histogram_quantile(0.99, sum by (le) (rate(bucket[2I]))): Prometheus' two samples
//    p1 < p2 in the window are each bracketed by recorder scrapes within I, so each bucket's
//    increase H(le) lies in [C(b−) − C(a+), C(b+) − C(a−)] of the recorder's recorded counters. The
//    quantile then lies in the bucket range those bounds allow: from the lower edge of the first
//    bucket whose upper bound reaches 0.99 × the lower total, to the upper edge of the first bucket
//    whose lower bound reaches 0.99 × the upper total. A value outside means the PromQL or the
//    recorder's math differ, not the skew.
//
// The dashboard reaches Prometheus as it does in clusters where Prometheus is not open: through a
// TLS reverse proxy under a path prefix that wants a bearer token (kube-rbac-proxy's shape; 2.42's
// own web config has no bearer auth). The certificate is signed by the control plane's CA, given as
// `caFile`; the token is read from `bearerTokenFile` on every request, so a rotated token is used
// at once and a wrong one is named in the page's history line.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { issueServingCert, kubeconfigYaml } from '../../scripts/control-plane/certs';
import { RECORDING_RULES } from '../../lib/recording/rules';
import { Store } from '../../server/store/store';
import { storeLoader } from '../../server/views/timeline';
import { controlPlane } from './env';
import { startCountingProxy, type CountingProxy } from './counting-proxy';
import { admin, freePort, startDashboard, waitFor } from './helpers';

const I = 5; // seconds: both scrape intervals
const LOAD_MS = 150_000;
const cp = controlPlane();
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kf-prom-'));
let prom: ChildProcess;
let promUrl = '';
let proxy: https.Server | undefined;
let proxyUrl = '';
const TOKEN = 'kf-prom-token-3Hq8';
const tokenFile = path.join(dir, 'prom-token');
const fillTokenFile = path.join(dir, 'prom-token-fill');
/** What the proxy saw: the Authorization header of each request (undefined: none). */
const seen: Array<string | undefined> = [];
let promLog = '';
let dash: Awaited<ReturnType<typeof startDashboard>>;
/** The second dashboard, in `recorder: fill` mode, reaching the apiserver through a counting proxy. */
let fill: Awaited<ReturnType<typeof startDashboard>> | undefined;
let fillProxy: CountingProxy | undefined;
let fillStarted = 0;
/** The load's window, shared with the fill-mode test. */
let window: { from: number; to: number } | undefined;
const CLUSTER = 'ctx-kf-test';

function hasPrometheus(): boolean {
  try { execFileSync('prometheus', ['--version'], { stdio: 'ignore' }); return true; } catch { return false; }
}

beforeAll(async () => {
  // The k8s build installs the `cluster` group once; a machine that had the binaries cached before
  // prometheus joined that group gets it here (idempotent, and quick when nothing is missing).
  if (!hasPrometheus()) execFileSync('bash', ['scripts/control-plane/ensure-deps.sh', 'cluster'], { stdio: 'inherit' });
  const port = await freePort();
  promUrl = `http://127.0.0.1:${port}`;
  const apiHost = new URL(cp.apiserverUrl).host;
  const etcdHost = new URL(cp.etcdMetricsUrl).host;
  // JSON is YAML: the scrape config, with the viewer's client certificate for the apiserver.
  fs.writeFileSync(path.join(dir, 'prometheus.yml'), JSON.stringify({
    global: { scrape_interval: `${I}s`, scrape_timeout: '4s' },
    scrape_configs: [
      { job_name: 'apiserver', scheme: 'https', tls_config: { ca_file: cp.certs.caCert, cert_file: cp.certs.viewerCert, key_file: cp.certs.viewerKey }, static_configs: [{ targets: [apiHost] }] },
      { job_name: 'etcd', static_configs: [{ targets: [etcdHost] }] },
    ],
  }));
  prom = spawn('prometheus', [
    `--config.file=${path.join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${path.join(dir, 'tsdb')}`,
    `--web.listen-address=127.0.0.1:${port}`, '--storage.tsdb.retention.time=1h',
  ], { stdio: ['ignore', 'pipe', 'pipe'] });
  prom.stdout!.on('data', (c: Buffer) => { promLog += c.toString(); });
  prom.stderr!.on('data', (c: Buffer) => { promLog = (promLog + c.toString()).slice(-20_000); });
  await waitFor('prometheus to be ready', async () => (await fetch(`${promUrl}/-/ready`)).ok, 60_000, 500);

  // The proxy: TLS with a certificate from the control plane's CA, `/prometheus/…` → Prometheus,
  // 401 without the bearer token.
  const tls = issueServingCert(cp.certs, path.join(dir, 'proxy-tls'), 'prom-proxy');
  proxy = https.createServer({ cert: fs.readFileSync(tls.cert), key: fs.readFileSync(tls.key) }, (req, res) => {
    seen.push(req.headers.authorization);
    if (req.headers.authorization !== `Bearer ${TOKEN}`) { res.writeHead(401, { 'content-type': 'text/plain' }); res.end('Unauthorized'); return; }
    if (!req.url?.startsWith('/prometheus/')) { res.writeHead(404); res.end(); return; }
    const fwd: http.OutgoingHttpHeaders = { accept: req.headers.accept ?? '*/*' };
    if (req.headers['content-type']) fwd['content-type'] = req.headers['content-type']; // a long query comes by POST, form-encoded
    if (req.headers['content-length']) fwd['content-length'] = req.headers['content-length'];
    const up = http.request(`${promUrl}${req.url.slice('/prometheus'.length)}`, { method: req.method, headers: fwd }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    up.on('error', () => { res.writeHead(502); res.end(); });
    req.pipe(up);
  });
  const proxyPort = await freePort();
  await new Promise<void>((r) => proxy!.listen(proxyPort, '127.0.0.1', r));
  proxyUrl = `https://127.0.0.1:${proxyPort}/prometheus`;
  fs.writeFileSync(tokenFile, `${TOKEN}\n`, { mode: 0o600 });

  const config = path.join(dir, 'kf.yaml');
  fs.writeFileSync(config, JSON.stringify({
    clusters: [{
      context: 'kf-test',
      etcd: { url: cp.etcdUrl, metricsUrl: cp.etcdMetricsUrl, caFile: cp.certs.caCert, certFile: cp.certs.etcdClientCert, keyFile: cp.certs.etcdClientKey },
      // `all`: this recorder scrapes /metrics itself too, so its own series can be compared.
      prometheus: { url: proxyUrl, caFile: cp.certs.caCert, bearerTokenFile: tokenFile, scrapeIntervalSeconds: I, recorder: 'all' },
    }],
  }));
  dash = await startDashboard({ KUBECONFIG: cp.viewerKubeconfig, KF_CONFIG: config, KF_DATA_DIR: path.join(dir, 'data'), KF_INTERVAL_SECONDS: String(I), KF_CENSUS_SECONDS: '600' });

  // The default mode, `fill`: the apiserver's and etcd's series from Prometheus, the cluster asked
  // only for the rest. Its apiserver requests go through a proxy that lists them.
  fillProxy = await startCountingProxy(cp);
  const fillKubeconfig = path.join(dir, 'fill.kubeconfig');
  fs.writeFileSync(fillKubeconfig, kubeconfigYaml({
    server: fillProxy.url, caCert: cp.certs.caCert, cert: cp.certs.viewerCert, key: cp.certs.viewerKey, user: 'kube-forensics', context: 'kf-test',
  }));
  const fillConfig = path.join(dir, 'kf-fill.yaml');
  fs.writeFileSync(fillConfig, JSON.stringify({
    clusters: [{
      context: 'kf-test',
      etcd: { url: cp.etcdUrl, metricsUrl: cp.etcdMetricsUrl, caFile: cp.certs.caCert, certFile: cp.certs.etcdClientCert, keyFile: cp.certs.etcdClientKey },
      // Its own copy of the token: the rotation test below must not make this one fall back.
      prometheus: { url: proxyUrl, caFile: cp.certs.caCert, bearerTokenFile: fillTokenFile, scrapeIntervalSeconds: I },
    }],
  }));
  fs.writeFileSync(fillTokenFile, `${TOKEN}\n`, { mode: 0o600 });
  // Prometheus holds some history before this dashboard starts, so its backfill has something to bring.
  await waitFor('Prometheus to hold three etcd scrapes', async () => {
    const r = await promRaw('count_over_time(up{job="etcd"}[5m])', Date.now());
    return Number(r[0]?.value?.[1] ?? 0) >= 3;
  }, 60_000, 1000);
  fillStarted = Date.now();
  fill = await startDashboard({ KUBECONFIG: fillKubeconfig, KF_CONFIG: fillConfig, KF_DATA_DIR: path.join(dir, 'data-fill'), KF_INTERVAL_SECONDS: String(I), KF_CENSUS_SECONDS: '10' });
}, 300_000);

afterAll(async () => {
  await dash?.stop();
  await fill?.stop();
  await fillProxy?.close();
  proxy?.close();
  if (prom?.pid) { prom.kill('SIGTERM'); await new Promise((r) => setTimeout(r, 500)); }
  fs.rmSync(dir, { recursive: true, force: true });
});

interface Panel { id: string; result: { series: Array<{ name: string; points: Array<[number, number | null]> }>; stats: Array<{ label: string; value: string }>; empty?: string } }
interface TimelineAnswer { panels: Panel[]; history?: { kind: string; url?: string; stepSeconds?: number; error?: string } }
type Sample = { t: number; v: number };

/** An instant query: `values` for a range vector, `value` for an instant one. */
async function promRaw(expr: string, at: number): Promise<Array<{ metric: Record<string, string>; values: Array<[number, string]>; value?: [number, string] }>> {
  const r = await fetch(`${promUrl}/api/v1/query?${new URLSearchParams({ query: expr, time: String(at / 1000) })}`);
  const j = (await r.json()) as { data: { result: Array<{ metric: Record<string, string>; values: Array<[number, string]>; value?: [number, string] }> } };
  return j.data.result;
}

/** Recorder scrapes bracketing `t`: the last at or before it and the first at or after it. */
function bracket(times: number[], t: number): [number, number] | null {
  let lo: number | undefined;
  let hi: number | undefined;
  for (const x of times) { if (x <= t) lo = x; if (x >= t && hi === undefined) hi = x; }
  return lo === undefined || hi === undefined ? null : [lo, hi];
}

/** Write load: ConfigMaps of 4 KiB, about 20 a second, so etcd fsyncs and its DB grows. */
async function writeLoad(ms: number): Promise<number> {
  await admin(cp, 'POST', '/api/v1/namespaces', { metadata: { name: 'kf-prom-load' } });
  const end = Date.now() + ms;
  let n = 0;
  while (Date.now() < end) {
    await Promise.all(Array.from({ length: 4 }, async () => {
      const r = await admin(cp, 'POST', '/api/v1/namespaces/kf-prom-load/configmaps', { metadata: { generateName: 'load-' }, data: { payload: 'x'.repeat(4096) } });
      if (r.status === 201) n++;
    }));
    await new Promise((r) => setTimeout(r, 150));
  }
  return n;
}

it('fsync p99 and DB size from Prometheus agree with the recorder\'s own series within one scrape interval of skew', async () => {
  await new Promise((r) => setTimeout(r, 3 * I * 1000)); // both have a few scrapes before the window
  const from = Date.now();
  const written = await writeLoad(LOAD_MS);
  expect(written).toBeGreaterThan(500);
  await new Promise((r) => setTimeout(r, 2 * I * 1000)); // both have scraped past `to`
  const to = from + LOAD_MS;
  window = { from, to };
  const q = (source: string) => `${dash.url}/api/clusters/${CLUSTER}/timeline?${new URLSearchParams({ from: String(from), to: String(to), width: '100', panels: 'etcd-wal-fsync,etcd-db-size', source })}`;
  const viaProm = (await (await fetch(q('prometheus'))).json()) as TimelineAnswer;
  const viaRec = (await (await fetch(q('recorder'))).json()) as TimelineAnswer;
  expect(viaProm.history, promLog.slice(-2000)).toMatchObject({ kind: 'prometheus', url: proxyUrl, stepSeconds: I });
  expect(viaProm.history?.error).toBeUndefined();
  expect(viaRec.history).toEqual({ kind: 'recorder' });
  // Every request the dashboard sent carried the token (over TLS verified against the CA).
  expect(seen.length).toBeGreaterThan(0);
  expect(new Set(seen)).toEqual(new Set([`Bearer ${TOKEN}`]));
  // A rotated file is read at the next request: a wrong token is refused, and the page says so
  // (the panels fall back to the recorder's series); the right one works again at once.
  fs.writeFileSync(tokenFile, 'expired-token\n');
  const before = seen.length;
  const refused = (await (await fetch(q('prometheus'))).json()) as TimelineAnswer;
  expect(refused.history).toMatchObject({ kind: 'prometheus', url: proxyUrl, error: 'HTTP 401: Unauthorized' });
  expect(seen.slice(before)).toContain('Bearer expired-token'); // (the fill-mode dashboard's own reads, with its own file, may interleave)
  fs.writeFileSync(tokenFile, `${TOKEN}\n`);
  const again = (await (await fetch(q('prometheus'))).json()) as TimelineAnswer;
  expect(again.history?.error).toBeUndefined();
  expect(again.panels.find((p) => p.id === 'etcd-db-size')!.result.series.find((x) => x.name === 'DB size')!.points.length).toBeGreaterThan(0);
  const panel = (t: TimelineAnswer, id: string) => t.panels.find((p) => p.id === id)!;
  const line = (t: TimelineAnswer, id: string, name: string) => (panel(t, id).result.series.find((s) => s.name === name)?.points ?? [])
    .filter((p): p is [number, number] => p[1] !== null);

  // Prometheus' own samples in the window (their exact times), and the recorder's, from its store.
  const rawSize = await promRaw(`etcd_mvcc_db_total_size_in_bytes{job="etcd"}[${Math.ceil((to - from) / 1000) + 60}s]`, to);
  const rawBuckets = await promRaw(`etcd_disk_wal_fsync_duration_seconds_bucket{job="etcd"}[${Math.ceil((to - from) / 1000) + 60}s]`, to);
  await dash.stop(); // the store, read from here, is the recorder's
  const store = Store.open(path.join(dir, 'data'));
  try {
    const load = storeLoader(store, CLUSTER, from - 60_000, to + 60_000, 0);
    const recSize = load('etcd_mvcc_db_total_size_in_bytes')[0]!.points;
    const recTimes = recSize.map((p) => p.t);
    const promSizeSamples: Sample[] = rawSize[0]!.values.map(([t, v]) => ({ t: Math.round(t * 1000), v: Number(v) }));

    // ---- DB size
    const size = line(viaProm, 'etcd-db-size', 'DB size');
    expect(size.length).toBeGreaterThanOrEqual(Math.floor(LOAD_MS / 1000 / I) - 1);
    expect(size[size.length - 1]![1]).toBeGreaterThan(size[0]![1]); // it grew: the bracket is not trivial
    let checked = 0;
    for (const [t, v] of size) {
      const p = [...promSizeSamples].reverse().find((s) => s.t <= t)!;
      expect(p.v).toBe(v); // the panel shows Prometheus' latest sample
      const b = bracket(recTimes, p.t)!;
      expect(b[1] - b[0]).toBeLessThanOrEqual(2 * I * 1000); // each within one interval of p
      const lo = recSize.find((x) => x.t === b[0])!.v;
      const hi = recSize.find((x) => x.t === b[1])!.v;
      expect(v, `DB size at ${new Date(t).toISOString()}`).toBeGreaterThanOrEqual(lo);
      expect(v, `DB size at ${new Date(t).toISOString()}`).toBeLessThanOrEqual(hi);
      checked++;
    }
    const quota = line(viaProm, 'etcd-db-size', 'quota');
    const recQuota = line(viaRec, 'etcd-db-size', 'quota');
    expect(new Set(quota.map((p) => p[1]))).toEqual(new Set(recQuota.map((p) => p[1])));
    // "of quota" is each panel's latest value: the two latest samples are taken at different
    // instants, so the percentages differ by at most the growth between them (plus the display's
    // rounding to 0.1 %). Under load the recorder's last scrape can be the later one by an interval.
    const pct = (v?: string) => Number(/^([\d.]+)%/.exec(v ?? '')?.[1]);
    const promPct = pct(panel(viaProm, 'etcd-db-size').result.stats.find((x) => x.label === 'of quota')?.value);
    const recPct = pct(panel(viaRec, 'etcd-db-size').result.stats.find((x) => x.label === 'of quota')?.value);
    const q = quota[0]![1];
    const lastProm = [...promSizeSamples].reverse().find((x) => x.t <= size[size.length - 1]![0])!;
    const lb = bracket(recTimes, lastProm.t)!;
    // From the recorder's scrape before Prometheus' last sample to the recorder's own last one.
    const growth = recSize[recSize.length - 1]!.v - recSize.find((x) => x.t === lb[0])!.v;
    expect(promPct).toBeCloseTo((100 * lastProm.v) / q, 1);
    expect(Math.abs(promPct - recPct), `of quota: Prometheus ${promPct}%, recorder ${recPct}%`).toBeLessThanOrEqual((100 * growth) / q + 0.1 + 1e-9);

    // ---- WAL fsync p99
    const recBuckets = load('etcd_disk_wal_fsync_duration_seconds_bucket');
    const les = recBuckets.map((s) => ({ le: s.labels.le === '+Inf' ? Infinity : Number(s.labels.le), at: new Map(s.points.map((p) => [p.t, p.v])) })).sort((a, b) => a.le - b.le);
    const promTimes = [...new Set(rawBuckets.flatMap((s) => s.values.map(([t]) => Math.round(t * 1000))))].sort((a, b) => a - b);
    const p99 = line(viaProm, 'etcd-wal-fsync', 'p99');
    const recP99 = line(viaRec, 'etcd-wal-fsync', 'p99');
    expect(p99.length).toBeGreaterThanOrEqual(Math.floor(LOAD_MS / 1000 / I) - 3);
    expect(recP99.length).toBeGreaterThanOrEqual(Math.floor(LOAD_MS / 1000 / I) - 3);
    const W = 2 * I * 1000;
    let fsyncChecked = 0;
    for (const [t, v] of p99) {
      const inWindow = promTimes.filter((x) => x >= t - W && x <= t);
      const p1 = inWindow[0]!;
      const p2 = inWindow[inWindow.length - 1]!;
      const [a0, a1] = bracket(recTimes, p1)!;
      const [b0, b1] = bracket(recTimes, p2)!;
      const lo = les.map((b) => b.at.get(b0)! - b.at.get(a1)!);
      const hi = les.map((b) => b.at.get(b1)! - b.at.get(a0)!);
      const loTotal = lo[lo.length - 1]!;
      const hiTotal = hi[hi.length - 1]!;
      const finite = les.filter((b) => Number.isFinite(b.le));
      const first = (cum: number[], rank: number) => { const i = cum.findIndex((c) => c >= rank); return i < 0 ? les.length - 1 : i; };
      const iLow = first(hi, 0.99 * Math.max(0, loTotal));
      const iHigh = first(lo, 0.99 * hiTotal);
      const lowEdge = iLow === 0 ? 0 : finite[Math.min(iLow, finite.length) - 1]!.le;
      const highEdge = finite[Math.min(iHigh, finite.length - 1)]!.le;
      const at = `fsync p99 at ${new Date(t).toISOString()} (Prometheus samples ${new Date(p1).toISOString()}…${new Date(p2).toISOString()})`;
      expect(v, at).toBeGreaterThanOrEqual(lowEdge);
      expect(v, at).toBeLessThanOrEqual(highEdge);
      fsyncChecked++;
    }
    const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]!; };
    console.log(`prometheus vs recorder: ${checked} DB-size points and ${fsyncChecked} fsync p99 points within the skew bounds; `
      + `DB ${size[0]![1]} → ${size[size.length - 1]![1]} B; fsync p99 median ${(median(p99.map((p) => p[1])) * 1000).toFixed(2)} ms (Prometheus) vs ${(median(recP99.map((p) => p[1])) * 1000).toFixed(2)} ms (recorder); ${written} writes`);
    expect(fsyncChecked).toBe(p99.length);
  } finally { store.close(); }
}, 420_000);

// `recorder: fill` (the default with a `prometheus:` setting): the second dashboard's recorder reads
// the apiserver's and etcd's series from Prometheus in one query a round, and asks the cluster only
// for what Prometheus lacks. Over the same load: no /metrics request reached the apiserver and none
// went to etcd, readiness, census and Events still came from the cluster, the stored series are
// Prometheus' samples themselves, with the label sets the recorder's own scrapes give, and the
// detectors, overview and recorder timeline read them like the recorder's own.
it('fill mode: the recorder takes the apiserver\'s and etcd\'s series from Prometheus, and scrapes no /metrics', async () => {
  expect(window, 'runs after the agreement test (its load and window)').toBeDefined();
  const { from, to } = window!;
  const base = `${fill!.url}/api/clusters/${CLUSTER}`;
  const overview = (await (await fetch(`${base}/overview`)).json()) as {
    freshness: Array<{ component: string; ok: boolean; stale: boolean; lastError: string | null }>;
    figures: { goroutines: number | null; etcdDbBytes: number | null; etcdQuotaBytes: number | null };
    readyz: { ok: boolean } | null;
  };
  // On a failure: what the page said, and what the recorder logged about Prometheus.
  const diag = `${JSON.stringify({ freshness: overview.freshness, readyz: overview.readyz, figures: { ...overview.figures, objects: undefined } })}\n`
    + fill!.output().split('\n').filter((l) => /recorder|Prometheus|prometheus/.test(l)).slice(-30).join('\n');
  const fresh = new Map(overview.freshness.map((f) => [f.component, f]));
  expect(fresh.get('kube-apiserver'), diag).toMatchObject({ ok: true, stale: false });
  expect(fresh.get('prometheus'), diag).toMatchObject({ ok: true });
  expect(fresh.has('etcd'), diag).toBe(false); // etcd was never scraped
  expect(overview.readyz?.ok, diag).toBe(true);
  expect(overview.figures.goroutines, diag).toBeGreaterThan(100);
  expect(overview.figures.etcdQuotaBytes, diag).toBeGreaterThan(0);
  // The recorder's timeline (its store) draws the mirrored series.
  const rec = (await (await fetch(`${base}/timeline?${new URLSearchParams({ from: String(from), to: String(to), width: '100', panels: 'etcd-wal-fsync,etcd-db-size,apiserver-requests', source: 'recorder' })}`)).json()) as TimelineAnswer;
  for (const id of ['etcd-wal-fsync', 'etcd-db-size', 'apiserver-requests']) {
    expect(rec.panels.find((p) => p.id === id)!.result.series.length, `${id}: ${JSON.stringify(rec.panels.find((p) => p.id === id)?.result.empty)}\n${diag}`).toBeGreaterThan(0);
  }
  const rawSize = await promRaw(`etcd_mvcc_db_total_size_in_bytes{job="etcd"}[${Math.ceil((Date.now() - fillStarted) / 1000) + 120}s]`, Date.now());

  await fill!.stop();
  fill = undefined;
  const seenByApiserver = fillProxy!.requests;
  const paths = seenByApiserver.map((r) => r.url.split('?')[0]!);
  expect(paths.filter((p) => p === '/metrics' || p.endsWith('/metrics')), diag).toEqual([]);
  expect(paths.filter((p) => p === '/readyz').length).toBeGreaterThanOrEqual(Math.floor(LOAD_MS / 1000 / I) - 2);
  expect(seenByApiserver.some((r) => r.url.includes('limit=1'))).toBe(true); // the census
  expect(paths.some((p) => p.endsWith('/events'))).toBe(true);

  const store = Store.open(path.join(dir, 'data-fill'));
  const own = Store.open(path.join(dir, 'data')); // the `all` dashboard's: its recorder's own scrapes
  try {
    expect(store.scrapes(CLUSTER, 'etcd', 0, Date.now())).toEqual([]);
    const mirrorRounds = store.scrapes(CLUSTER, 'prometheus', from, to);
    expect(mirrorRounds.length).toBeGreaterThanOrEqual(Math.floor(LOAD_MS / 1000 / I) - 2);
    expect(mirrorRounds.every((r) => r.ok)).toBe(true);

    // DB size: at each step, exactly Prometheus' latest sample at or before it.
    const size = store.series.query(CLUSTER, 'etcd_mvcc_db_total_size_in_bytes', from, to)[0]!.points;
    expect(size.length).toBeGreaterThanOrEqual(Math.floor(LOAD_MS / 1000 / I) - 1);
    const samples = rawSize[0]!.values.map(([t, v]) => ({ t: Math.round(t * 1000), v: Number(v) }));
    for (const p of size) {
      expect(p.t % (I * 1000)).toBe(0);
      const latest = [...samples].reverse().find((x) => x.t <= p.t)!;
      expect(p.v, new Date(p.t).toISOString()).toBe(latest.v);
    }
    // History from before the dashboard started (the backfill), from the first read.
    const first = store.series.query(CLUSTER, 'etcd_mvcc_db_total_size_in_bytes', 0, Date.now())[0]!.points[0]!;
    expect(first.t).toBeLessThan(fillStarted);

    // Each rule's label sets over the window: those of the recorder's own scrapes of the same cluster.
    const labelSets = (s: Store, name: string) => new Set(s.series.query(CLUSTER, name, from, to).filter((x) => x.points.length)
      .map((x) => JSON.stringify(Object.entries(x.labels).sort())));
    let compared = 0;
    for (const r of RECORDING_RULES) {
      const mine = labelSets(own, r.record);
      if (!mine.size) continue; // a metric 1.20 does not have (e.g. peer RTT of a one-member etcd)
      expect(labelSets(store, r.record), r.record).toEqual(mine);
      compared++;
    }
    expect(compared).toBeGreaterThanOrEqual(20);
    expect(store.series.query(CLUSTER, 'kf_request_p99_seconds', from, to).length).toBeGreaterThan(0);
    console.log(`fill mode: ${paths.length} apiserver requests (${paths.filter((p) => p === '/readyz').length} /readyz, no /metrics), ${mirrorRounds.length} Prometheus reads in the window, `
      + `${size.length} DB-size steps equal to Prometheus' samples, ${compared} rules with the recorder's label sets`);
  } finally { store.close(); own.close(); }
}, 120_000);
