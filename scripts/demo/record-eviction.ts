// Records the "heartbeats lost, pods evicted" demo bundle (incident 3) from the real control plane:
// testdata/bundles/node-eviction.tar.gz. Four simulated kubelets in two zones (Nodes and Leases this
// process renews) run pods that tolerate an unreachable node for 60 s, plus a proxy pod per node
// that tolerates it forever (as DaemonSet pods do). After a quiet minute the kubelets of one zone
// lose the apiserver: kube-controller-manager (1.20.2, default flags: 40 s grace) marks both nodes
// NotReady, taints them one per 10 s (a fully disrupted zone is tainted at the normal rate while
// another zone is healthy) and the taint manager deletes their pods 60 s later; the proxies stay.
// The capture ends with the zone still silent, as the dashboard shows it at the end of the story.
// (With every node down instead, the controller enters master disruption mode and evicts nothing;
// the heartbeats integration test covers that.)
//   node --import ./cli/register.mjs scripts/demo/record-eviction.ts [--minutes 4]
import { adminRequest } from '../control-plane/cluster';
import { boundPod, startNodes, type SimulatedNodes } from '../../test/scenarios/nodes';
import { ok, recordDemo } from './common';

const NODES = [{ name: 'node-a1', zone: 'eu-west-1a' }, { name: 'node-a2', zone: 'eu-west-1a' }, { name: 'node-b1', zone: 'eu-west-1b' }, { name: 'node-b2', zone: 'eu-west-1b' }];
const LOST = NODES.filter((n) => n.zone === 'eu-west-1a').map((n) => n.name);
const NS = 'shop';
let sim: SimulatedNodes | undefined;

await recordDemo({
  name: 'node-eviction', minutes: 4,
  title: 'Heartbeats lost: a zone\'s pods evicted',
  story: 'The kubelets of one zone lose the apiserver: 40 s later their nodes are NotReady, tainted unreachable one per 10 s, and every pod without a forever-toleration is deleted 60 s after the taint.',
  workload: async (cp, elapsed) => {
    await ok(adminRequest(cp, 'POST', '/api/v1/namespaces', { metadata: { name: NS } }), 'namespace');
    sim = await startNodes(cp, NODES);
    for (let i = 0; i < 120 && (await adminRequest(cp, 'GET', `/api/v1/namespaces/${NS}/serviceaccounts/default`)).status !== 200; i++) await new Promise((r) => setTimeout(r, 500));
    for (const { name: n } of NODES) {
      for (const app of ['web', 'cart']) await ok(adminRequest(cp, 'POST', `/api/v1/namespaces/${NS}/pods`, boundPod(`${app}-${n}`, n, 60)), `pod ${app}-${n}`);
      const proxy = boundPod(`proxy-${n}`, n, 0);
      proxy.spec.tolerations = [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute' }, { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute' }] as typeof proxy.spec.tolerations;
      await ok(adminRequest(cp, 'POST', `/api/v1/namespaces/${NS}/pods`, proxy), `pod proxy-${n}`);
    }
    let stop = false;
    const phases = (async () => {
      const until = async (ms: number) => { while (!stop && elapsed() < ms) await new Promise((r) => setTimeout(r, 500)); };
      await until(60_000);
      for (const n of LOST) sim!.silence(n, true);
      process.stderr.write(`\nkubelets of ${LOST.join(', ')} silent\n`);
    })();
    return async () => { stop = true; await phases; sim?.stop(); };
  },
});
