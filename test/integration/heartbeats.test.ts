// Incident 3 on a real kube-controller-manager 1.20.2 with short node-lifecycle flags and
// simulated kubelets (Nodes and Leases this process renews). One node goes silent while the others
// stay Ready: NotReady, the unreachable taint, the countdown on the dashboard (from the pods' own
// tolerationSeconds, which the recorder reads while the node is down, and the grace period given
// in KF_CONFIG), real NodeNotReady and TaintManagerEviction events. Every node of the (only) zone silent: master disruption mode, no
// eviction. kube-controller-manager stopped first, as the runbook says: no eviction either.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { clockUtc } from '../../lib/detectors/finding';
import { adminRequest, startControlPlane, type ControlPlane } from '../../scripts/control-plane/cluster';
import { boundPod, eventsFor, podState, startNodes, type SimulatedNodes } from '../scenarios/nodes';
import { createWhenAdmitted, startDashboard, waitFor } from './helpers';

const GRACE_S = 6;
const TOLERATION_S = 8;
const NS = 'apps';
const CLUSTER = 'ctx-kf-test';
let cp: ControlPlane;
let dash: Awaited<ReturnType<typeof startDashboard>>;
let sim: SimulatedNodes | undefined;
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kf-heartbeats-'));

beforeAll(async () => {
  cp = await startControlPlane({
    dir: path.join(dir, 'cp'),
    controllerManagerFlags: [`--node-monitor-period=1s`, `--node-monitor-grace-period=${GRACE_S}s`, `--node-startup-grace-period=${GRACE_S}s`],
  });
  // The controller's flags cannot be read from the API: the operator states them in KF_CONFIG.
  const config = path.join(dir, 'kf.yaml');
  fs.writeFileSync(config, `clusters:\n  - context: kf-test\n    nodeLifecycle: { nodeMonitorGracePeriodSeconds: ${GRACE_S} }\n`);
  dash = await startDashboard({ KUBECONFIG: cp.viewerKubeconfig, KF_CONFIG: config, KF_DATA_DIR: path.join(dir, 'data'), KF_INTERVAL_SECONDS: '2', KF_CENSUS_SECONDS: '30' });
}, 300_000);

afterAll(async () => {
  sim?.stop();
  await dash?.stop();
  await cp?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

interface Finding { detector: string; severity: string; summary: string; evidence: { facts: string[] }; runbook?: string }
const findings = async () => (await (await fetch(`${dash.url}/api/clusters/${CLUSTER}/overview`)).json() as { findings: Finding[] }).findings;
const nodeFinding = async () => (await findings()).find((f) => f.detector === 'node-heartbeats');
const node = async (name: string) => JSON.parse((await adminRequest(cp, 'GET', `/api/v1/nodes/${name}`)).body) as {
  spec: { taints?: Array<{ key: string; effect: string; timeAdded?: string }> }; status: { conditions: Array<{ type: string; status: string }> };
};
const ready = async (name: string) => (await node(name)).status.conditions.find((c) => c.type === 'Ready')?.status;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

it('counts down to evictions, stops evicting in full disruption, and evicts nothing with the controller manager stopped first', async () => {
  await adminRequest(cp, 'POST', '/api/v1/namespaces', { metadata: { name: NS } });
  sim = await startNodes(cp, [{ name: 'n1', zone: 'z1' }, { name: 'n2', zone: 'z1' }, { name: 'n3', zone: 'z1' }]);
  await waitFor('the default service account', async () => (await adminRequest(cp, 'GET', `/api/v1/namespaces/${NS}/serviceaccounts/default`)).status === 200, 60_000, 500);
  for (const n of ['n1', 'n2', 'n3']) {
    await createWhenAdmitted(`pod web-${n}`, async () => { const r = await adminRequest(cp, 'POST', `/api/v1/namespaces/${NS}/pods`, boundPod(`web-${n}`, n, TOLERATION_S)); return { status: r.status, text: r.body }; });
  }
  await waitFor('nodes Ready and recorded', async () => (await Promise.all(['n1', 'n2', 'n3'].map(ready))).every((s) => s === 'True') && (await findings()) && !(await nodeFinding()), 60_000, 1000);

  // 1. n3 goes silent; n1 and n2 stay Ready.
  sim.silence('n3', true);
  await waitFor('n3 Unknown and tainted', async () => (await ready('n3')) === 'Unknown' && (await node('n3')).spec.taints?.some((t) => t.key === 'node.kubernetes.io/unreachable' && t.effect === 'NoExecute'), 60_000, 500);
  // Once the recorded node snapshot holds the taint (before it, the countdown is estimated from the
  // controller's next pass, and says so).
  const f = await waitFor('the countdown on the dashboard', async () => {
    const x = await nodeFinding();
    const facts = x?.evidence.facts.join('\n') ?? '';
    return x?.severity === 'critical' && x.summary.includes('1 of 3 nodes down') && facts.includes('tainted unreachable:NoExecute since') && facts.includes('tolerationSeconds 8') ? x : null;
  }, 30_000, 1000);
  console.log('countdown:', f.summary, f.evidence.facts);
  // Counted from the real taint time and the pod's own 8 s (read from the cluster: no assumed
  // default). The controller may re-stamp the taint within a second of adding it; the snapshot
  // holds one of the two stamps. By now the 8 s may be over: "will start" or "started".
  const taint = (await node('n3')).spec.taints!.find((t) => t.key === 'node.kubernetes.io/unreachable')!;
  const at = Date.parse(taint.timeAdded!) + TOLERATION_S * 1000;
  expect([at - 1000, at, at + 1000].some((t) => new RegExp(`evictions (will start|started) at ${clockUtc(t)}`).test(f.summary)), f.summary).toBe(true);
  expect(f.evidence.facts.join('\n')).not.toContain('assuming the DefaultTolerationSeconds');
  expect(f.evidence.facts.join('\n')).toContain('1 pod will be deleted');
  expect(f.evidence.facts.join('\n')).toMatch(/n3 \(z1\): Ready=Unknown, last heartbeat .*tainted unreachable:NoExecute since/);
  expect(f.runbook).toBe('apiserver-down');
  // The real events, and the real eviction of the pod that tolerates only 8 s.
  await waitFor('the pod on n3 evicted', async () => (await podState(cp, NS, 'web-n3')).deleting, 60_000, 500);
  const notReady = await eventsFor(cp, 'NodeNotReady');
  expect(notReady.some((e) => e.involvedObject.kind === 'Node' && e.involvedObject.name === 'n3' && e.message === 'Node n3 status is now: NodeNotReady')).toBe(true);
  const evictions = await waitFor('TaintManagerEviction', async () => { const e = await eventsFor(cp, 'TaintManagerEviction'); return e.length ? e : null; }, 30_000, 500);
  expect(evictions.some((e) => e.involvedObject.name === 'web-n3' && e.message === `Marking for deletion Pod ${NS}/web-n3`)).toBe(true);
  // The same events on the dashboard's events timeline (recorded by its event watch), where a spike
  // on a chart leads.
  const archived = async (reason: string) => JSON.stringify(await (await fetch(`${dash.url}/api/clusters/${CLUSTER}/events?from=now-15m&to=now&reason=${reason}`)).json());
  await waitFor('NodeNotReady and TaintManagerEviction in the dashboard\'s archive', async () => {
    const [nn, tm] = await Promise.all([archived('NodeNotReady'), archived('TaintManagerEviction')]);
    return nn.includes('Node n3 status is now: NodeNotReady') && tm.includes(`Marking for deletion Pod ${NS}/web-n3`);
  }, 30_000, 1000);

  // 2. Every node of the zone silent: master disruption mode, and no eviction past the tolerations.
  sim.silence('n1', true);
  sim.silence('n2', true);
  await waitFor('all nodes Unknown', async () => (await Promise.all(['n1', 'n2'].map(ready))).every((s) => s === 'Unknown'), 60_000, 500);
  const full = await waitFor('the dashboard to say evictions are suspended', async () => { const x = await nodeFinding(); return x?.summary.includes('master disruption mode') ? x : null; }, 30_000, 1000);
  expect(full.summary).toBe('3 of 3 nodes down: every node is NotReady, evictions suspended (master disruption mode)');
  await sleep((TOLERATION_S + 2 * GRACE_S) * 1000);
  expect(await podState(cp, NS, 'web-n1')).toEqual({ exists: true, deleting: false });
  expect(await podState(cp, NS, 'web-n2')).toEqual({ exists: true, deleting: false });
  expect(fs.readFileSync(path.join(cp.dir, 'logs', 'kube-controller-manager.log'), 'utf8')).toMatch(/Entering master disruption mode/);

  // 3. Back to Ready, then the runbook's order: stop kube-controller-manager first, and n1's silence evicts nothing.
  for (const n of ['n1', 'n2', 'n3']) { sim.silence(n, false); await sim.markReady(n); }
  await waitFor('nodes Ready again', async () => (await Promise.all(['n1', 'n2'].map(ready))).every((s) => s === 'True'), 60_000, 500);
  await cp.stopComponent('kube-controller-manager');
  sim.silence('n1', true);
  // Past the controller's grace (KF_CONFIG tells the dashboard) and the pods' toleration: the
  // dashboard predicts the eviction that the stopped controller will not carry out.
  await sleep((GRACE_S + TOLERATION_S + 10) * 1000);
  expect(await ready('n1')).toBe('True'); // nobody marks it: the controller is stopped
  expect(await podState(cp, NS, 'web-n1')).toEqual({ exists: true, deleting: false });
  const silentNode = await nodeFinding();
  expect(silentNode?.summary).toMatch(/^1 of 3 nodes down: evictions will start at/);
  expect(silentNode?.evidence.facts.join('\n')).toContain('n1: pods deleted from');
  expect(silentNode?.evidence.facts.join('\n')).toContain('tolerationSeconds 8');
  // The kubelet reconnects before the controller manager comes back: still no eviction.
  sim.silence('n1', false);
  await waitFor('n1 renewing again on the dashboard', async () => !(await nodeFinding()), 30_000, 1000);
  await cp.startComponent('kube-controller-manager');
  await sleep((GRACE_S + TOLERATION_S + 4) * 1000);
  expect(await podState(cp, NS, 'web-n1')).toEqual({ exists: true, deleting: false });
}, 900_000);
