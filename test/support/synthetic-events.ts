/**
 * Deterministic synthetic core/v1 Events shaped like the real ones in testdata/events/v1.20.2
 * (field for field, as `kubectl get events -o json` prints them): the events bench's ingest and
 * query load, and the 100k-row browser test's bundle. Real captures hold a few hundred events; these
 * stand in where the point is volume, not content.
 *
 * The i-th of `n` events over [t0, t0 + span): a steady mix of Normal pod lifecycle events and
 * Warnings (BackOff with repeat counts, Unhealthy, FailedScheduling, FailedMount), with a node-loss
 * storm in the middle (300 NodeNotReady then 300 TaintManagerEviction, 300 ms apart).
 */
import type { RawEvent } from '../../server/cluster/types';

const NORMAL = [
  ['Scheduled', 'default-scheduler', 'Successfully assigned {ns}/{pod} to node-{node}'],
  ['Pulling', 'kubelet', 'Pulling image "registry.example/{ns}/app:1.4.2"'],
  ['Pulled', 'kubelet', 'Successfully pulled image "registry.example/{ns}/app:1.4.2" in 1.2s'],
  ['Created', 'kubelet', 'Created container app'],
  ['Started', 'kubelet', 'Started container app'],
  ['Killing', 'kubelet', 'Stopping container app'],
] as const;
const WARNING = [
  ['BackOff', 'kubelet', 'Back-off restarting failed container'],
  ['Unhealthy', 'kubelet', 'Readiness probe failed: HTTP probe failed with statuscode: 503'],
  ['FailedScheduling', 'default-scheduler', '0/50 nodes are available: 12 Insufficient cpu, 38 node(s) had taint {node.kubernetes.io/unreachable: }, that the pod didn\'t tolerate.'],
  ['FailedMount', 'kubelet', 'MountVolume.SetUp failed for volume "config" : configmap "app-config" not found'],
] as const;

export interface SyntheticRange { n: number; t0: number; span: number }

/** The i-th event of `r`; `rand` from `lcg` (the same seed gives the same events). */
export function eventAt(i: number, rand: () => number, r: SyntheticRange): RawEvent {
  const { n, t0, span } = r;
  const storm = i >= n / 2 && i < n / 2 + 600; // a node-loss storm: NodeNotReady then evictions, within 3 minutes
  const t = storm ? t0 + span / 2 + (i - n / 2) * 300 : t0 + Math.floor((i / n) * span);
  const ns = `team-${Math.floor(rand() * 40)}`;
  const pod = `app-${Math.floor(rand() * 500)}-${(i * 7919 % 100000).toString(36)}`;
  const node = Math.floor(rand() * 50);
  let reason: string; let component: string; let message: string; let type: string;
  if (storm) {
    const evict = i - n / 2 >= 300;
    reason = evict ? 'TaintManagerEviction' : 'NodeNotReady';
    component = evict ? 'taint-controller' : 'node-controller';
    message = evict ? `Marking for deletion Pod ${ns}/${pod}` : 'Node is not ready';
    type = evict ? 'Normal' : 'Warning';
  } else {
    const w = rand() < 0.3;
    const pick = w ? WARNING[Math.floor(rand() * WARNING.length)]! : NORMAL[Math.floor(rand() * NORMAL.length)]!;
    [reason, component, message] = [pick[0], pick[1], pick[2].replace('{ns}', ns).replace('{pod}', pod).replace('{node}', String(node))];
    type = w ? 'Warning' : 'Normal';
  }
  const ts = new Date(t).toISOString().replace(/\.\d+Z$/, 'Z');
  const count = reason === 'BackOff' ? 1 + Math.floor(rand() * 40) : 1;
  return {
    kind: 'Event', apiVersion: 'v1',
    metadata: { name: `${pod}.${i.toString(16)}`, namespace: ns, uid: `00000000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`, resourceVersion: String(1000 + i), creationTimestamp: ts },
    involvedObject: { kind: 'Pod', namespace: ns, name: pod, apiVersion: 'v1', fieldPath: 'spec.containers{app}' },
    reason, message, source: { component, host: `node-${node}` }, firstTimestamp: ts, lastTimestamp: ts, count, type, eventTime: null, reportingComponent: '', reportingInstance: '',
  };
}

/** A small seeded linear congruential generator (glibc's constants). */
export function lcg(seed: number): () => number {
  let s = seed;
  return () => { s = (s * 1103515245 + 12345) % 2147483648; return s / 2147483648; };
}
