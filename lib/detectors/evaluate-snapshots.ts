/** Detectors over topology snapshots and readiness: apiserver endpoints, etcd members, nodes. */
import { clockUtc, findingOf, isoSeconds } from './finding';
import { evictionPlan } from './nodes';
import type { ApiserverEndpointsDetector, DetectionContext, EtcdMembersDetector, Finding, NodeHeartbeatDetector, ReadinessDetector } from './types';

type SnapshotDetector = ApiserverEndpointsDetector | EtcdMembersDetector | NodeHeartbeatDetector | ReadinessDetector;

function endpoints(d: ApiserverEndpointsDetector, ctx: DetectionContext): Finding | null {
  const ep = ctx.endpoints;
  if (!ep || ep.t > ctx.at) return null;
  const n = ep.body.addresses.length;
  if (n > 1) return null;
  const facts = [`default/kubernetes Endpoints at ${isoSeconds(ep.t)}: ${n === 0 ? 'no address' : ep.body.addresses.join(', ')}${ep.body.ports.length ? ` (port ${ep.body.ports.join(', ')})` : ''}`];
  if (n === 0) {
    facts.push('no apiserver has registered itself: in-cluster clients (controllers, operators) cannot reach the API');
    return findingOf(d, 'critical', 'The kubernetes Endpoints lists no apiserver', { from: ep.t, to: ctx.at, facts });
  }
  facts.push('if this apiserver or its machine dies, nothing can change the cluster, and kubelets keep running pods with nobody to report to');
  // A standing risk, not an incident: info, so a healthy single-master cluster raises nothing louder.
  return findingOf(d, 'info', `One apiserver endpoint (${ep.body.addresses[0]}): a single point of failure`, { from: ep.t, to: ctx.at, facts });
}

function etcdMembers(d: EtcdMembersDetector, ctx: DetectionContext): Finding | null {
  // etcd reports round-trip times to each peer (`To` label); a lone member has none. Without etcd's
  // own metrics (managed clusters), the member count is unknown and this stays silent.
  const hasEtcd = ctx.load('etcd_server_has_leader').some((s) => s.points.some((p) => p.t >= ctx.from && p.t <= ctx.at));
  if (!hasEtcd) return null;
  const peers = new Set(ctx.load('etcd_network_peer_round_trip_time_seconds_bucket')
    .filter((s) => s.points.some((p) => p.t >= ctx.from && p.t <= ctx.at)).map((s) => s.labels.to ?? s.labels.To ?? '').filter(Boolean));
  if (peers.size > 0) return null;
  return findingOf(d, 'info', 'A single etcd member: no quorum to lose, and no replica to recover from', {
    panel: d.panel, from: ctx.from, to: ctx.at,
    facts: ['etcd reports no peer round trips (etcd_network_peer_round_trip_time_seconds): the member has no peers', 'a lost disk loses the cluster state; keep snapshots (`etcdctl snapshot save`) and consider three members'],
  });
}

const secs = (ms: number) => `${Math.round(ms / 1000)} s`;

function nodeHeartbeats(d: NodeHeartbeatDetector, ctx: DetectionContext): Finding | null {
  const nodes = ctx.nodes;
  if (!nodes || nodes.t > ctx.at || nodes.body.length === 0) return null;
  const ref = nodes.t;
  const plan = evictionPlan(nodes.body, ctx.leases?.body ?? [], ctx.pods, ref, ctx.nodeLifecycle, ctx.podNodes);
  const s = plan.settings;
  // Lease renewals late by more than one renew interval (a quarter of the 40 s lease), but not yet past the grace period.
  const late = plan.views.filter((v) => !v.down && v.silentMs !== null && v.silentMs > Math.max(20_000, s.gracePeriodMs / 2));
  const down = plan.views.filter((v) => v.down);
  if (!down.length && !late.length) return null;
  const facts: string[] = [];
  for (const v of [...down, ...late].slice(0, 8)) {
    const hb = v.heartbeatAt === null ? 'no heartbeat recorded' : `last heartbeat ${clockUtc(v.heartbeatAt)} (${secs(v.silentMs ?? 0)} before the snapshot)`;
    const taint = v.taint ? `, tainted ${v.taint.key.replace('node.kubernetes.io/', '')}:NoExecute${v.taint.since !== null ? ` since ${clockUtc(v.taint.since)}` : ''}` : '';
    facts.push(`${v.name}${v.zone ? ` (${v.zone})` : ''}: Ready=${v.ready}, ${hb}${taint}`);
  }
  for (const z of plan.zones) {
    if (z.down) facts.push(`zone ${z.zone || '(no zone label)'}: ${z.down} of ${z.down + z.ready} nodes down: ${z.state}${z.state === 'partial-disruption' ? `, taint rate ${z.taintRate}/s` : ''}`);
  }
  const from = Math.min(...[...down, ...late].map((v) => v.heartbeatAt ?? ref));
  const evidence = (extra: string[]) => ({ from: Math.min(from, ref), to: ctx.at, facts: [...extra, ...facts] });
  if (!down.length) {
    return findingOf(d, 'warning', `Lease renewals stopped on ${late.map((v) => v.name).slice(0, 3).join(', ')}${late.length > 3 ? ` and ${late.length - 3} more` : ''}`,
      evidence([`NotReady after ${secs(s.gracePeriodMs)} without a heartbeat (--node-monitor-grace-period)`]));
  }
  const who = `${down.length} of ${plan.views.length} node${plan.views.length === 1 ? '' : 's'} down`;
  if (plan.masterDisruption) {
    return findingOf(d, 'critical', `${who}: every node is NotReady, evictions suspended (master disruption mode)`, evidence([
      'the node controller assumes it is the one cut off and evicts nothing while no node is Ready',
      'as soon as one node is Ready again it resumes, and every node still silent is tainted and its pods evicted: stop kube-controller-manager before kubelets reconnect',
    ]));
  }
  const first = plan.firstEvictionAt;
  const podCount = plan.evictions.reduce((a, e) => a + e.pods.filter((p) => p.at !== null && p.name !== '*').length, 0);
  const assumed = plan.evictions.some((e) => e.pods.some((p) => p.assumed));
  const schedule = plan.evictions.filter((e) => e.at !== null).slice(0, 5).map((e) => `${e.node}: pods deleted from ${clockUtc(e.at!)} (${e.why}; tolerationSeconds ${[...new Set(e.pods.map((p) => p.tolerationSeconds ?? '∞'))].join('/')}${e.pods.some((p) => p.assumed) ? ', the default' : ''})`);
  const held = plan.evictions.filter((e) => e.at === null).slice(0, 3).map((e) => `${e.node}: no eviction scheduled (${e.why})`);
  if (first === null) {
    return findingOf(d, 'warning', `${who}; no eviction is scheduled`, evidence([...held]));
  }
  const inMin = Math.max(0, Math.round((first - ctx.at) / 60_000));
  const summary = first <= ctx.at
    ? `${who}: evictions started at ${clockUtc(first)}`
    : `${who}: evictions will start at ${clockUtc(first)} (in ${inMin < 1 ? '< 1' : inMin} min) unless the nodes come back or kube-controller-manager is stopped`;
  return findingOf(d, 'critical', summary, evidence([
    ...schedule, ...held,
    ...(assumed ? [`pods not listed: assuming the DefaultTolerationSeconds ${s.defaultTolerationSeconds} s`] : [`${podCount} pod${podCount === 1 ? '' : 's'} will be deleted`]),
  ]));
}

function readiness(d: ReadinessDetector, ctx: DetectionContext): Finding | null {
  const r = ctx.readyz;
  if (!r || r.ok || r.t > ctx.at || ctx.at - r.t > 5 * 60_000) return null;
  const failing = r.checks.filter((c) => !c.ok);
  const etcd = failing.some((c) => c.name === 'etcd');
  return findingOf(d, 'critical', failing.length ? `apiserver not ready: ${failing.map((c) => c.name).join(', ')} failing` : 'apiserver not ready', {
    from: r.t, to: ctx.at,
    facts: [
      `/readyz?verbose at ${isoSeconds(r.t)}: ${failing.map((c) => `[-]${c.name} failed${c.reason ? `: ${c.reason}` : ''}`).join('; ') || 'not ok'}`,
      ...(etcd ? ['the apiserver cannot reach etcd: requests time out; check etcd (process, disk space, fsync latency)'] : []),
    ],
  });
}

export function evaluateSnapshot(d: SnapshotDetector, ctx: DetectionContext): Finding | null {
  switch (d.kind) {
    case 'apiserver-endpoints': return endpoints(d, ctx);
    case 'etcd-members': return etcdMembers(d, ctx);
    case 'node-heartbeats': return nodeHeartbeats(d, ctx);
    case 'readiness': return readiness(d, ctx);
  }
}
