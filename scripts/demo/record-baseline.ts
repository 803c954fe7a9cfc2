// Records the "healthy baseline" demo bundle from the real control plane:
// testdata/bundles/healthy-baseline.tar.gz. A small, steady workload runs meanwhile (a Deployment whose
// pods stay Pending, with no nodes (FailedScheduling), a ConfigMap updated every few seconds, a handful of custom resources),
// so the timelines and the events archive have something real and ordinary to show.
//   npx tsx scripts/demo/record-baseline.ts [--minutes 6]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { KubeConfig } from '@kubernetes/client-node';
import { adminRequest, startControlPlane } from '../control-plane/cluster';
import { LiveClusterSource } from '../../server/cluster/live';
import { captureBundle } from '../../server/capture/capture';
import { EPHEMERAL_REPORTS_CRD, ephemeralReport } from '../../test/integration/fixtures/kyverno';

const { values } = parseArgs({ options: { minutes: { type: 'string', default: '6' }, out: { type: 'string' } } });
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const out = values.out ?? path.join(root, 'testdata/bundles/healthy-baseline.tar.gz');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kf-demo-'));
// The scheduler runs, with no nodes: the Deployment's pods stay Pending and FailedScheduling events are real.
const cp = await startControlPlane({ dir, scheduler: true });
const ok = async (p: Promise<{ status: number; body: string }>) => { const r = await p; if (r.status >= 300 && r.status !== 409) throw new Error(`${r.status} ${r.body.slice(0, 200)}`); return r; };
try {
  await ok(adminRequest(cp, 'POST', '/api/v1/namespaces', { metadata: { name: 'shop' } }));
  await ok(adminRequest(cp, 'POST', '/apis/apps/v1/namespaces/shop/deployments', {
    metadata: { name: 'storefront' },
    spec: { replicas: 3, selector: { matchLabels: { app: 'storefront' } }, template: { metadata: { labels: { app: 'storefront' } }, spec: { containers: [{ name: 'web', image: 'registry.invalid/storefront:1.4.2' }] } } },
  }));
  await ok(adminRequest(cp, 'POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', EPHEMERAL_REPORTS_CRD));
  await new Promise((r) => setTimeout(r, 3000));
  for (let i = 0; i < 12; i++) await ok(adminRequest(cp, 'POST', '/apis/reports.kyverno.io/v1/namespaces/shop/ephemeralreports', ephemeralReport(`scan-${i}`, 2000)));
  let stop = false;
  const churn = (async () => {
    for (let i = 0; !stop; i++) {
      await adminRequest(cp, i === 0 ? 'POST' : 'PUT', i === 0 ? '/api/v1/namespaces/shop/configmaps' : '/api/v1/namespaces/shop/configmaps/feature-flags',
        { metadata: { name: 'feature-flags', namespace: 'shop' }, data: { generation: String(i) } }).catch(() => undefined);
      await adminRequest(cp, 'GET', '/api/v1/namespaces/shop/pods?limit=100').catch(() => undefined);
      await new Promise((r) => setTimeout(r, 3000));
    }
  })();
  const kc = new KubeConfig();
  kc.loadFromFile(cp.viewerKubeconfig);
  const source = new LiveClusterSource({
    id: 'demo', name: 'demo-baseline', kubeConfig: kc, context: kc.getCurrentContext(),
    etcd: { url: cp.etcdUrl, metricsUrl: cp.etcdMetricsUrl, caFile: cp.certs.caCert, certFile: cp.certs.etcdClientCert, keyFile: cp.certs.etcdClientKey },
  });
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const r = await captureBundle(source, {
    out, durationMs: Number(values.minutes) * 60_000, intervalMs: 15_000, censusEveryMs: 60_000,
    title: 'Healthy baseline',
    story: 'An idle Kubernetes 1.20.2 control plane with a small steady workload: what normal looks like, to compare an incident against.',
    sources: ['demo:healthy-baseline', 'kube-apiserver v1.20.2 + etcd 3.4 (Debian), scripts/demo/record-baseline.ts'],
    progress: (p) => process.stderr.write(`\r${Math.round(p.elapsedMs / 1000)} s, ${p.scrapes} scrapes, ${p.events} events, ${p.errors} errors `),
  });
  stop = true;
  await churn;
  await source.close();
  console.log(`\nwrote ${r.out} (${(r.bytes / 1e6).toFixed(2)} MB, ${r.files} files, ${r.errors.length} errors)`);
} finally {
  await cp.stop();
  fs.rmSync(dir, { recursive: true, force: true });
}
