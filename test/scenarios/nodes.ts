// Simulated nodes (incident 3): Node objects with a Ready condition and Leases in kube-node-lease
// that this process renews, as kubelets would; pods bound to them with short tolerationSeconds.
// Stopping a node's renewals is a kubelet losing the apiserver.
import { adminRequest, type ControlPlane } from '../../scripts/control-plane/cluster';

const micro = (t = Date.now()) => new Date(t).toISOString().replace('Z', '000Z');

async function ok(r: Promise<{ status: number; body: string }>, what: string): Promise<unknown> {
  const x = await r;
  if (x.status >= 300) throw new Error(`${what}: HTTP ${x.status} ${x.body.slice(0, 300)}`);
  return JSON.parse(x.body) as unknown;
}

export interface SimulatedNodes {
  /** Stop or resume one node's Lease renewals (and status heartbeats). */
  silence(node: string, silent: boolean): void;
  /** Reports Ready=True again (a kubelet that reconnects posts its status). */
  markReady(node: string): Promise<void>;
  stop(): void;
}

function readyCondition(t = Date.now()) {
  const now = new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return { type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'simulated kubelet is posting ready status', lastHeartbeatTime: now, lastTransitionTime: now };
}

export async function startNodes(cp: ControlPlane, nodes: Array<{ name: string; zone: string }>, renewEveryMs = 1000): Promise<SimulatedNodes> {
  for (const n of nodes) {
    await ok(adminRequest(cp, 'POST', '/api/v1/nodes', {
      metadata: { name: n.name, labels: { 'topology.kubernetes.io/zone': n.zone, 'kubernetes.io/hostname': n.name } },
      status: { conditions: [readyCondition()], capacity: { cpu: '4', memory: '8Gi', pods: '110' }, allocatable: { cpu: '4', memory: '8Gi', pods: '110' } },
    }), `node ${n.name}`);
    await markReady(cp, n.name);
    await ok(adminRequest(cp, 'POST', '/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases', {
      metadata: { name: n.name }, spec: { holderIdentity: n.name, leaseDurationSeconds: 40, renewTime: micro() },
    }), `lease ${n.name}`);
  }
  const silent = new Set<string>();
  let stopped = false;
  const renew = async () => {
    for (const n of nodes) {
      if (silent.has(n.name) || stopped) continue;
      const l = (await ok(adminRequest(cp, 'GET', `/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${n.name}`), 'lease')) as { spec: Record<string, unknown> };
      l.spec.renewTime = micro();
      await adminRequest(cp, 'PUT', `/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases/${n.name}`, l);
    }
  };
  const timer = setInterval(() => { void renew().catch(() => undefined); }, renewEveryMs);
  return {
    silence: (node, s) => { if (s) silent.add(node); else silent.delete(node); },
    markReady: (node) => markReady(cp, node),
    stop: () => { stopped = true; clearInterval(timer); },
  };
}

/** Posts Ready=True, retrying on conflicts (the node lifecycle controller writes the same object). */
async function markReady(cp: ControlPlane, name: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const node = (await ok(adminRequest(cp, 'GET', `/api/v1/nodes/${name}`), 'node')) as { status: { conditions?: Array<{ type: string }> } };
    node.status.conditions = [...(node.status.conditions ?? []).filter((c) => c.type !== 'Ready'), readyCondition()];
    const r = await adminRequest(cp, 'PUT', `/api/v1/nodes/${name}/status`, node);
    if (r.status < 300) return;
    if (r.status !== 409 || attempt >= 10) throw new Error(`status ${name}: HTTP ${r.status} ${r.body.slice(0, 300)}`);
  }
}

/** A pod bound to `node` (no scheduler, no kubelet) that tolerates the node being unreachable for `seconds`. */
export function boundPod(name: string, node: string, seconds: number) {
  return {
    metadata: { name, labels: { app: 'sim' } },
    spec: {
      nodeName: node, automountServiceAccountToken: false,
      containers: [{ name: 'app', image: 'registry.k8s.io/pause:3.2' }],
      tolerations: ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable'].map((key) => ({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: seconds })),
    },
  };
}

export async function podState(cp: ControlPlane, ns: string, name: string): Promise<{ exists: boolean; deleting: boolean }> {
  const r = await adminRequest(cp, 'GET', `/api/v1/namespaces/${ns}/pods/${name}`);
  if (r.status === 404) return { exists: false, deleting: true };
  const p = JSON.parse(r.body) as { metadata: { deletionTimestamp?: string } };
  return { exists: true, deleting: !!p.metadata.deletionTimestamp };
}

export async function eventsFor(cp: ControlPlane, reason: string): Promise<Array<{ involvedObject: { kind: string; name: string; namespace?: string }; message: string; source?: { component?: string } }>> {
  const r = await adminRequest(cp, 'GET', `/api/v1/events?fieldSelector=${encodeURIComponent(`reason=${reason}`)}&limit=500`);
  return (JSON.parse(r.body) as { items: Array<{ involvedObject: { kind: string; name: string; namespace?: string }; message: string; source?: { component?: string } }> }).items;
}
