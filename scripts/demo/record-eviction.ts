// Records the "heartbeats lost, pods evicted" demo bundle (incident 3) from the real control plane:
// testdata/bundles/node-eviction.tar.gz. Four simulated kubelets (Nodes and Leases this process
// renews) run pods that tolerate an unreachable node for 60 s, plus a proxy pod that tolerates it
// forever (as DaemonSet pods do). After a quiet minute every kubelet loses the apiserver: all
// nodes go Unknown and kube-controller-manager (1.20.2, default flags: 40 s grace) enters master
// disruption mode and evicts nothing. Then one kubelet reconnects: the mode ends, the three still
// silent are tainted one per 10 s and their pods deleted 60 s later: the trap of the postmortem.
//   node --import ./cli/register.mjs scripts/demo/record-eviction.ts [--minutes 6]
import { adminRequest } from '../control-plane/cluster';
import { boundPod, startNodes, type SimulatedNodes } from '../../test/scenarios/nodes';
import { ok, recordDemo } from './common';

const NODES = ['node-a', 'node-b', 'node-c', 'node-d'];
const NS = 'shop';
let sim: SimulatedNodes | undefined;

await recordDemo({
  name: 'node-eviction', minutes: 6,
  title: 'Heartbeats lost, then mass eviction',
  story: 'Every kubelet loses the apiserver: all nodes go NotReady and the node controller holds back (master disruption mode). One kubelet reconnects, the mode ends, and the other nodes are tainted and their pods evicted.',
  workload: async (cp, elapsed) => {
    await ok(adminRequest(cp, 'POST', '/api/v1/namespaces', { metadata: { name: NS } }), 'namespace');
    sim = await startNodes(cp, NODES.map((name) => ({ name, zone: 'eu-west-1a' })));
    for (let i = 0; i < 120 && (await adminRequest(cp, 'GET', `/api/v1/namespaces/${NS}/serviceaccounts/default`)).status !== 200; i++) await new Promise((r) => setTimeout(r, 500));
    for (const n of NODES) {
      for (const app of ['web', 'cart']) await ok(adminRequest(cp, 'POST', `/api/v1/namespaces/${NS}/pods`, boundPod(`${app}-${n}`, n, 60)), `pod ${app}-${n}`);
      const proxy = boundPod(`proxy-${n}`, n, 0);
      proxy.spec.tolerations = [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' }, { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' }] as typeof proxy.spec.tolerations;
      await ok(adminRequest(cp, 'POST', `/api/v1/namespaces/${NS}/pods`, proxy), `pod proxy-${n}`);
    }
    let stop = false;
    const phases = (async () => {
      const until = async (ms: number) => { while (!stop && elapsed() < ms) await new Promise((r) => setTimeout(r, 500)); };
      await until(60_000);
      for (const n of NODES) sim!.silence(n, true);
      process.stderr.write('\nevery kubelet silent\n');
      await until(150_000);
      sim!.silence('node-a', false);
      await sim!.markReady('node-a');
      process.stderr.write('\nnode-a reconnected\n');
      await until(300_000);
      for (const n of NODES.slice(1)) { sim!.silence(n, false); await sim!.markReady(n).catch(() => undefined); }
      process.stderr.write('\nevery kubelet back\n');
    })();
    return async () => { stop = true; await phases; sim?.stop(); };
  },
});
