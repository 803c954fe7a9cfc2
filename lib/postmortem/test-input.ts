// A small hand-made PostmortemInput for the pure tests (the server tests use a recorded bundle).
import type { PostmortemInput } from './types';

export const T0 = Date.UTC(2026, 10, 23, 4, 48, 0);
const m = (min: number) => T0 + min * 60_000;

export function testInput(over: Partial<PostmortemInput> = {}): PostmortemInput {
  const id = 'inc-1';
  return {
    dossier: {
      incident: { id, title: 'etcd out of space', severity: 'sev1', status: 'resolved', clusters: ['c1'], from: m(0), to: m(10), createdAt: m(4), createdBy: 'ana', updatedAt: m(11), summary: 'Writes failed.' },
      annotations: [
        { id: 1, incidentId: id, cluster: 'c1', from: m(3), to: null, kind: 'observation', text: 'kubectl apply fails with 500', author: 'ana', createdAt: m(3) },
        { id: 2, incidentId: id, cluster: 'c1', from: m(5), to: null, kind: 'hypothesis', text: 'a controller loops on ConfigMaps', author: 'bo', createdAt: m(5) },
        { id: 3, incidentId: id, cluster: 'c1', from: m(6), to: null, kind: 'action', text: 'scaled it to 0, follow-up: fix retries', author: 'bo', createdAt: m(6) },
      ],
      findings: [
        { incidentId: id, cluster: 'c1', findingId: 'f1', detector: 'etcd-nospace', title: 'etcd is out of space (NOSPACE): writes fail', severity: 'critical', summary: 'NOSPACE', from: m(1), to: m(9), facts: ['DB 128 MiB at its 128 MiB quota'], linkedAt: m(4), linkedBy: 'ana' },
        { incidentId: id, cluster: 'c1', findingId: 'f2', detector: 'etcd-db-quota', title: 'etcd database is filling its quota', severity: 'warning', summary: '98% of quota', from: m(-5), to: m(9), facts: [], linkedAt: m(4), linkedBy: 'ana' },
      ],
      steps: [
        { runId: 1, runbook: 'etcd-out-of-space', cluster: 'c1', step: 'compact', status: 'done', by: 'bo', t: m(7), note: '' },
        { runId: 1, runbook: 'etcd-out-of-space', cluster: 'c1', step: 'disarm', status: 'failed', by: 'bo', t: m(8), note: 'wrong endpoint' },
      ],
      captures: [{ cluster: 'c1', artifactId: 9, kind: 'goroutine', component: 'kube-apiserver', t: m(7) }],
      seq: 9,
    },
    clusterNames: { c1: 'prod-eu' },
    now: m(30),
    charts: [{
      panelId: 'etcd-db-size', cluster: 'c1', title: 'etcd database size vs quota', unit: 'bytes', explanation: 'DB vs quota.',
      series: [
        { name: 'DB size', labels: {}, style: 'line', points: [[m(-2), 100 * 2 ** 20], [m(0), 128 * 2 ** 20], [m(5), null], [m(9), 20 * 2 ** 20]] },
        { name: 'quota', labels: {}, style: 'reference', points: [[m(-2), 128 * 2 ** 20], [m(12), 128 * 2 ** 20]] },
      ],
      thresholds: [],
    }],
    events: [{ cluster: 'c1', t: m(2), type: 'Warning', reason: 'FailedCreate', object: 'ReplicaSet/shop/web-1', message: 'database space exceeded', count: 4 }],
    audit: [{ cluster: 'c1', total: 1000, errors: [{ code: 500, message: 'etcdserver: mvcc: database space exceeded', count: 321, first: m(0), last: m(9) }], users: [{ key: 'system:admin', events: 600 }], verbs: [{ key: 'create', events: 400 }] }],
    goroutines: [{ cluster: 'c1', component: 'kube-apiserver', t: m(7), total: 1800, groups: [{ count: 94, state: 'select', function: 'k8s.io/client-go/tools/cache.(*Reflector).ListAndWatch.func2', createdBy: null, maxMinutes: 7 }], knownIssues: [{ id: 'k8s-12345', title: 'a leak', count: 50, fixedIn: 'v1.21.0' }] }],
    heap: [{ cluster: 'c1', component: 'kube-apiserver', t: m(7), sampleType: 'inuse_space', unit: 'bytes', total: 2 ** 28, top: [{ function: 'encoding/json.unquote', flat: 2 ** 27, flatPct: 50, cum: 2 ** 27, cumPct: 50 }] }],
    ...over,
  };
}
