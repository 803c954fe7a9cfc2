// Records the "healthy baseline" demo bundle from the real control plane:
// testdata/bundles/healthy-baseline.tar.gz. A small, steady workload runs meanwhile (a Deployment whose
// pods stay Pending, with no nodes (FailedScheduling), a ConfigMap updated every few seconds, a handful of custom resources),
// so the timelines and the events archive have something real and ordinary to show.
//   node --import ./cli/register.mjs scripts/demo/record-baseline.ts [--minutes 6]
import { adminRequest } from '../control-plane/cluster';
import { EPHEMERAL_REPORTS_CRD, ephemeralReport } from '../../test/integration/fixtures/kyverno';
import { churn, ok, recordDemo } from './common';

await recordDemo({
  name: 'healthy-baseline', minutes: 6,
  title: 'Healthy baseline',
  story: 'An idle Kubernetes 1.20.2 control plane with a small steady workload: what normal looks like, to compare an incident against.',
  // The scheduler runs, with no nodes: the Deployment's pods stay Pending and FailedScheduling events are real.
  controlPlane: { scheduler: true },
  workload: async (cp) => {
    await ok(adminRequest(cp, 'POST', '/api/v1/namespaces', { metadata: { name: 'shop' } }));
    await ok(adminRequest(cp, 'POST', '/apis/apps/v1/namespaces/shop/deployments', {
      metadata: { name: 'storefront' },
      spec: { replicas: 3, selector: { matchLabels: { app: 'storefront' } }, template: { metadata: { labels: { app: 'storefront' } }, spec: { containers: [{ name: 'web', image: 'registry.invalid/storefront:1.4.2' }] } } },
    }));
    await ok(adminRequest(cp, 'POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', EPHEMERAL_REPORTS_CRD));
    await new Promise((r) => setTimeout(r, 3000));
    for (let i = 0; i < 12; i++) await ok(adminRequest(cp, 'POST', '/apis/reports.kyverno.io/v1/namespaces/shop/ephemeralreports', ephemeralReport(`scan-${i}`, 2000)));
    return churn(cp, 'shop');
  },
});
