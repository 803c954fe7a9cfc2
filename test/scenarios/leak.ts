// Scenario: the kube-apiserver DeleteCollection goroutine leak (incident 5; kubernetes PR 105606,
// fixed in 1.23). A validating webhook that fails closed on DELETE of configmaps, pointing at a
// closed loopback port, makes every delete in DeleteCollection fail; the workers exit and the
// distributor goroutine blocks forever on `toProcess <- i` (`[chan send]`), pinning the listed items.
// Each DeleteCollection call leaks exactly one goroutine (facts §9).
import { adminRequest, freePort, type ControlPlane } from '../../scripts/control-plane/cluster';

export const LEAK_FUNCTION = 'registry.(*Store).DeleteCollection.func1';

export async function setUpLeak(cp: ControlPlane, o: { namespace?: string; configmaps?: number } = {}): Promise<{ namespace: string }> {
  const namespace = o.namespace ?? 'leaky';
  const ok = async (p: Promise<{ status: number; body: string }>, what: string) => {
    const r = await p;
    if (r.status >= 300 && r.status !== 409) throw new Error(`${what}: HTTP ${r.status} ${r.body.slice(0, 200)}`);
  };
  await ok(adminRequest(cp, 'POST', '/api/v1/namespaces', { metadata: { name: namespace, labels: { 'kube-forensics/leak': 'true' } } }), 'namespace');
  const closedPort = await freePort(); // nothing listens there: the webhook call fails at once
  await ok(adminRequest(cp, 'POST', '/apis/admissionregistration.k8s.io/v1/validatingwebhookconfigurations', {
    metadata: { name: 'kf-fail-closed-deletes' },
    webhooks: [{
      name: 'deny-deletes.kube-forensics.test',
      clientConfig: { url: `https://127.0.0.1:${closedPort}/validate` },
      rules: [{ operations: ['DELETE'], apiGroups: [''], apiVersions: ['v1'], resources: ['configmaps'] }],
      namespaceSelector: { matchLabels: { 'kube-forensics/leak': 'true' } },
      failurePolicy: 'Fail', sideEffects: 'None', admissionReviewVersions: ['v1'], timeoutSeconds: 2,
    }],
  }), 'webhook');
  const n = o.configmaps ?? 300;
  for (let i = 0; i < n; i += 10) {
    await Promise.all(Array.from({ length: Math.min(10, n - i) }, (_, k) =>
      ok(adminRequest(cp, 'POST', `/api/v1/namespaces/${namespace}/configmaps`, { metadata: { name: `cm-${i + k}` }, data: { payload: 'x'.repeat(2048) } }), 'configmap')));
  }
  return { namespace };
}

/** Calls DeleteCollection `times` times; each fails (500 from the webhook) and leaks one goroutine. */
export async function leakGoroutines(cp: ControlPlane, namespace: string, times: number): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < times; i++) {
    const r = await adminRequest(cp, 'DELETE', `/api/v1/namespaces/${namespace}/configmaps`, undefined, 60_000);
    statuses.push(r.status);
  }
  return statuses;
}
