// Records the "event storm" demo bundle from the real control plane: testdata/bundles/event-storm.tar.gz.
// After a quiet first minute, a runaway operator (as kopf-style operators do, it posts a new Event
// per failed reconcile rather than going through client-go's aggregating recorder) reconciles 30
// Deployments in a tight loop and reports every failure: about 25 Events a second for four minutes,
// each one an etcd write with a one-hour lease, beside the controllers' own ordinary events.
//   node --import ./cli/register.mjs scripts/demo/record-event-storm.ts [--minutes 6]
import { adminRequest } from '../control-plane/cluster';
import { churn, ok, recordDemo } from './common';

const NS = 'payments';
const DEPLOYMENTS = 30;

await recordDemo({
  name: 'event-storm', minutes: 6,
  title: 'Event storm from a runaway operator',
  story: 'An operator that fails to reconcile 30 Deployments retries in a tight loop and posts a Warning Event for every failure: ~1,500 Events a minute for four minutes, each an etcd write kept for the event TTL.',
  workload: async (cp, elapsed) => {
    await ok(adminRequest(cp, 'POST', '/api/v1/namespaces', { metadata: { name: NS } }), 'namespace');
    const uids: string[] = [];
    for (let i = 0; i < DEPLOYMENTS; i++) {
      const r = await ok(adminRequest(cp, 'POST', `/apis/apps/v1/namespaces/${NS}/deployments`, {
        metadata: { name: `svc-${i}`, labels: { app: `svc-${i}` } },
        spec: { replicas: 1, selector: { matchLabels: { app: `svc-${i}` } }, template: { metadata: { labels: { app: `svc-${i}` } }, spec: { containers: [{ name: 'app', image: 'registry.example/svc:1.0' }] } } },
      }), 'deployment');
      uids.push((JSON.parse(r.body) as { metadata?: { uid?: string } }).metadata?.uid ?? '');
    }
    const stopChurn = churn(cp, NS);
    let stop = false;
    const operator = (async () => {
      while (!stop && elapsed() < 60_000) await new Promise((r) => setTimeout(r, 500));
      const end = elapsed() + 4 * 60_000;
      let attempt = 0;
      // Four reconcile workers, ~25 failures a second between them.
      await Promise.all([0, 1, 2, 3].map(async (w) => {
        while (!stop && elapsed() < end) {
          const i = (attempt++ * 7 + w) % DEPLOYMENTS;
          const now = new Date();
          await adminRequest(cp, 'POST', `/api/v1/namespaces/${NS}/events`, {
            metadata: { name: `svc-${i}.${(now.getTime() * 1e6 + attempt).toString(16)}`, namespace: NS },
            involvedObject: { apiVersion: 'apps/v1', kind: 'Deployment', namespace: NS, name: `svc-${i}`, uid: uids[i] },
            reason: 'ReconcileFailed', type: 'Warning',
            message: `failed to inject sidecar into Deployment ${NS}/svc-${i}: admission webhook "inject.mesh.example" denied the request (attempt ${attempt})`,
            source: { component: 'mesh-operator' }, reportingComponent: 'mesh-operator', reportingInstance: 'mesh-operator-7c9f',
            firstTimestamp: now.toISOString(), lastTimestamp: now.toISOString(), count: 1,
          }).catch(() => undefined);
          await new Promise((r) => setTimeout(r, 150));
        }
      }));
    })();
    return async () => { stop = true; await operator; await stopChurn(); };
  },
});
