// The live ClusterSource against a real kube-apiserver 1.20.2 and etcd 3.4 (started by global-setup).
import zlib from 'node:zlib';
import { KubeConfig } from '@kubernetes/client-node';
import { Profile } from 'pprof-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePrometheusText } from '@/lib/parse/prometheus-text';
import { LiveClusterSource } from '@/server/cluster/live';
import { isClusterError, type RawEvent, type WatchEventType } from '@/server/cluster/types';
import { controlPlane } from './env';
import { EPHEMERAL_REPORTS_CRD, ephemeralReport } from './fixtures/kyverno';
import { admin, freePort, waitFor } from './helpers';

const cp = controlPlane();
let source: LiveClusterSource;

beforeAll(() => {
  const kc = new KubeConfig();
  kc.loadFromFile(cp.viewerKubeconfig);
  source = new LiveClusterSource({
    id: 'it', kubeConfig: kc, context: kc.getCurrentContext(),
    etcd: { url: cp.etcdUrl, metricsUrl: cp.etcdMetricsUrl, caFile: cp.certs.caCert, certFile: cp.certs.etcdClientCert, keyFile: cp.certs.etcdClientKey },
  });
});
afterAll(async () => { await source.close(); });

describe('live source on kube-apiserver 1.20.2', () => {
  it('reads /version', async () => {
    const v = await source.version();
    expect(v.gitVersion).toBe('v1.20.2');
    expect(v.minor).toBe('20');
  });

  it('reads the apiserver /metrics, which parse cleanly and carry the 1.20 etcd metrics', async () => {
    const m = await source.metrics('kube-apiserver');
    expect(m.text.length).toBeGreaterThan(500_000);
    const r = parsePrometheusText(m.text);
    expect(r.warningCount).toBe(0);
    expect(r.families.has('etcd_db_total_size_in_bytes')).toBe(true);
    expect(r.families.has('etcd_object_counts')).toBe(true);
    expect(r.families.get('apiserver_request_duration_seconds')?.type).toBe('histogram');
  });

  it('reads etcd /metrics over the configured endpoint', async () => {
    const m = await source.metrics('etcd');
    const r = parsePrometheusText(m.text);
    expect(r.families.get('etcd_server_has_leader')?.samples[0]?.value).toBe(1);
    expect(r.families.has('etcd_disk_wal_fsync_duration_seconds')).toBe(true);
  });

  it('reads a real heap profile: gzip profile.proto with the four Go heap sample types', async () => {
    const bytes = await source.heapProfile('kube-apiserver');
    expect(bytes[0]).toBe(0x1f);
    expect(bytes[1]).toBe(0x8b);
    const p = Profile.decode(zlib.gunzipSync(bytes));
    const types = p.sampleType.map((t) => p.stringTable.strings[Number(t.type)]);
    expect(types).toEqual(['alloc_objects', 'alloc_space', 'inuse_objects', 'inuse_space']);
    expect(p.sample.length).toBeGreaterThan(10);
  });

  it('reads goroutine dumps in both formats, from the apiserver and from etcd', async () => {
    const d2 = await source.goroutines('kube-apiserver', 2);
    expect(d2.startsWith('goroutine ')).toBe(true);
    const d1 = await source.goroutines('kube-apiserver', 1);
    expect(d1).toMatch(/^goroutine profile: total \d+/);
    const e2 = await source.goroutines('etcd', 2);
    expect(e2).toContain('go.etcd.io/etcd');
  });

  it('reads readyz and livez verbosely', async () => {
    const r = await source.health('readyz');
    expect(r.ok).toBe(true);
    expect(r.checks.find((c) => c.name === 'etcd')?.ok).toBe(true);
    expect((await source.health('livez')).ok).toBe(true);
  });

  it('lists and watches real Events', async () => {
    const ns = `it-events-${Date.now()}`;
    expect((await admin(cp, 'POST', '/api/v1/namespaces', { metadata: { name: ns } })).status).toBe(201);
    const start = await source.listEvents('core/v1', { limit: 500 });
    const seen: Array<{ type: WatchEventType; obj: RawEvent }> = [];
    const w = await source.watchEvents('core/v1', start.resourceVersion, (type, obj) => seen.push({ type, obj }));
    try {
      // The controller-manager's deployment controller records ScalingReplicaSet on the Deployment.
      const dep = {
        apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: ns },
        spec: { replicas: 2, selector: { matchLabels: { app: 'web' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'example.invalid/none:1' }] } } },
      };
      expect((await admin(cp, 'POST', `/apis/apps/v1/namespaces/${ns}/deployments`, dep)).status).toBe(201);
      const watched = await waitFor('a ScalingReplicaSet event on the watch', () =>
        seen.find((s) => (s.obj.involvedObject as { namespace?: string } | undefined)?.namespace === ns && s.obj.reason === 'ScalingReplicaSet'), 60_000);
      expect(watched.type).toBe('ADDED');
      const listed = await waitFor('the event in a list', async () => {
        const l = await source.listEvents('core/v1', { limit: 500 });
        return l.items.find((e) => (e.metadata as { uid: string }).uid === (watched.obj.metadata as { uid: string }).uid);
      });
      expect(listed.reason).toBe('ScalingReplicaSet');
      // events.k8s.io/v1 serves the same objects (GA in 1.19).
      const v1 = await source.listEvents('events.k8s.io/v1', { limit: 500 });
      expect(v1.items.some((e) => (e.metadata as { uid: string }).uid === (watched.obj.metadata as { uid: string }).uid)).toBe(true);
    } finally {
      w.stop();
      await w.done;
    }
  });

  it('keeps a quiet watch open past the request timeout', async () => {
    const ns = `it-quiet-${Date.now()}`;
    const start = await source.listEvents('core/v1', { limit: 1 });
    const seen: RawEvent[] = [];
    const w = await source.watchEvents('core/v1', start.resourceVersion, (type, obj) => { if (type === 'ADDED') seen.push(obj); }, { timeoutMs: 2000 });
    let ended: string | undefined;
    void w.done.then((e) => { ended = e.reason; });
    await new Promise((r) => setTimeout(r, 5000)); // 2.5× the call timeout with no traffic at all
    expect(ended).toBeUndefined();
    await admin(cp, 'POST', '/api/v1/namespaces', { metadata: { name: ns } });
    await admin(cp, 'POST', `/api/v1/namespaces/${ns}/events`, {
      metadata: { name: 'probe' }, involvedObject: { kind: 'Namespace', name: ns, namespace: ns }, reason: 'Probe', message: 'quiet watch probe', type: 'Normal',
    });
    await waitFor('the probe event on the quiet watch', () => seen.some((e) => e.reason === 'Probe' && (e.metadata as { namespace?: string }).namespace === ns), 20_000);
    w.stop();
    expect((await w.done).reason).toBe('stopped');
  });

  it('counts objects with a cheap census (limit=1 + remainingItemCount), custom resources included', async () => {
    const ns = `it-census-${Date.now()}`;
    await admin(cp, 'POST', '/api/v1/namespaces', { metadata: { name: ns } });
    for (let i = 0; i < 7; i++) await admin(cp, 'POST', `/api/v1/namespaces/${ns}/configmaps`, { metadata: { name: `cm-${i}` }, data: { i: String(i) } });
    // A custom resource, which kube-apiserver 1.20's etcd_object_counts does not report (facts §9).
    expect([201, 409]).toContain((await admin(cp, 'POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', EPHEMERAL_REPORTS_CRD)).status);
    await waitFor('the CRD to be served', async () => (await admin(cp, 'GET', `/apis/reports.kyverno.io/v1/namespaces/${ns}/ephemeralreports`)).status === 200);
    for (let i = 0; i < 5; i++) {
      expect((await admin(cp, 'POST', `/apis/reports.kyverno.io/v1/namespaces/${ns}/ephemeralreports`, ephemeralReport(`r-${i}`, 100))).status).toBe(201);
    }
    const all = await admin(cp, 'GET', '/api/v1/configmaps');
    const allReports = await admin(cp, 'GET', '/apis/reports.kyverno.io/v1/ephemeralreports');
    const c = await source.census();
    const cms = c.entries.find((e) => e.group === '' && e.resource === 'configmaps');
    expect(cms?.count).toBe((all.json as { items: unknown[] }).items.length);
    const reports = c.entries.find((e) => e.group === 'reports.kyverno.io' && e.resource === 'ephemeralreports');
    expect(reports?.count).toBe((allReports.json as { items: unknown[] }).items.length);
    expect(reports?.count).toBeGreaterThanOrEqual(5);
    expect(c.entries.some((e) => e.group === 'rbac.authorization.k8s.io' && e.resource === 'clusterroles' && (e.count ?? 0) > 40)).toBe(true);
  });

  it('reads the kubernetes Endpoints, Nodes and node Leases', async () => {
    const ep = await source.kubernetesEndpoints();
    expect(ep.addresses).toHaveLength(1);
    expect(Array.isArray(await source.nodes())).toBe(true);
    expect(Array.isArray(await source.nodeLeases())).toBe(true);
  });

  it('is read-only at the apiserver too: the dashboard identity cannot write', async () => {
    // The transport has no write method at all; this checks the RBAC the test identity is bound to.
    const kc = new KubeConfig();
    kc.loadFromFile(cp.viewerKubeconfig);
    const { CoreV1Api } = await import('@kubernetes/client-node');
    const api = kc.makeApiClient(CoreV1Api);
    await expect(api.createNamespace({ body: { metadata: { name: 'nope' } } })).rejects.toThrow(/403|forbidden/i);
  });

  it('fails with typed errors: an unreachable apiserver, within the timeout', async () => {
    const port = await freePort();
    const kc = new KubeConfig();
    kc.loadFromFile(cp.viewerKubeconfig);
    const dead = new KubeConfig();
    dead.loadFromString(kc.exportConfig().replace(/https:\/\/127\.0\.0\.1:\d+/, `https://127.0.0.1:${port}`));
    const s = new LiveClusterSource({ id: 'dead', kubeConfig: dead, context: dead.getCurrentContext() });
    const t0 = Date.now();
    const err = await s.version({ timeoutMs: 2000 }).catch((e: unknown) => e);
    expect(isClusterError(err)).toBe(true);
    expect((err as { kind: string }).kind).toBe('unreachable');
    expect((err as { cluster: string }).cluster).toBe('dead');
    expect(Date.now() - t0).toBeLessThan(3000);
    await s.close();
  });
});
