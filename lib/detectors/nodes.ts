/**
 * The node lifecycle controller, predicted from Node and Lease snapshots: which nodes stopped
 * heartbeating, what the controller will do about it, and when pods will be evicted.
 *
 * Rules (control-plane-facts §3.1, kube-controller-manager 1.20, taint-based eviction):
 * - A node's heartbeat is the newer of its Lease renewTime and its Ready condition's
 *   lastHeartbeatTime. After --node-monitor-grace-period (40 s) without one, the controller sets
 *   Ready=Unknown and queues the `node.kubernetes.io/unreachable:NoExecute` taint
 *   (`not-ready` for Ready=False).
 * - Taints go out through a per-zone rate limiter: --node-eviction-rate (0.1 nodes/s) when the zone
 *   is healthy; in partial disruption (≥ 3 not-ready nodes and ≥ 55 % of the zone) the secondary
 *   rate (0.01), which is 0 for zones of ≤ 50 nodes (the zone's size is what ReducedQPSFunc
 *   compares with --large-cluster-size-threshold); in full disruption (no Ready node in the
 *   zone) the healthy rate again.
 * - When every zone is fully disrupted the controller assumes it, not the nodes, is cut off
 *   ("master disruption mode"): no evictions, and the NoExecute taints are removed. It leaves the
 *   mode as soon as one node is Ready again, which is the trap of the single-apiserver postmortem:
 *   kubelets reconnecting one by one end the mode, and every node still silent gets tainted.
 * - A pod is deleted when the taint is older than its tolerationSeconds (the DefaultTolerationSeconds
 *   admission gives 300 s to pods without their own toleration).
 */
import type { LeaseInput, NodeInput, NodeLifecycleSettings, PodTolerationInput } from './types';

export const NODE_LIFECYCLE_DEFAULTS: NodeLifecycleSettings = {
  gracePeriodMs: 40_000,
  monitorPeriodMs: 5_000,
  evictionRate: 0.1,
  secondaryEvictionRate: 0.01,
  largeClusterThreshold: 50,
  unhealthyZoneThreshold: 0.55,
  defaultTolerationSeconds: 300,
};

export type ZoneState = 'normal' | 'partial-disruption' | 'full-disruption';

/** `ComputeZoneState` of pkg/controller/nodelifecycle. */
export function zoneState(ready: number, notReady: number, threshold: number): ZoneState {
  if (ready === 0 && notReady > 0) return 'full-disruption';
  if (notReady > 2 && notReady / (notReady + ready) >= threshold) return 'partial-disruption';
  return 'normal';
}

const NOEXECUTE_KEYS = ['node.kubernetes.io/unreachable', 'node.kubernetes.io/not-ready'];

export interface NodeView {
  name: string;
  zone: string;
  ready: NodeInput['ready'];
  /** Newest heartbeat (Lease renewal or status), ms. */
  heartbeatAt: number | null;
  silentMs: number | null;
  /** Not Ready now, or silent past the grace period (the controller will mark it at its next pass). */
  down: boolean;
  /** When the node went (or will go) NotReady in the controller's view. */
  notReadyAt: number | null;
  taint: { key: string; since: number | null } | null;
}

export interface PodEviction { namespace: string; name: string; at: number | null; tolerationSeconds: number | null; assumed: boolean }
export interface NodeEviction { node: string; at: number | null; why: string; pods: PodEviction[] }

export interface EvictionPlan {
  settings: NodeLifecycleSettings;
  views: NodeView[];
  zones: Array<{ zone: string; ready: number; down: number; state: ZoneState; taintRate: number }>;
  masterDisruption: boolean;
  evictions: NodeEviction[];
  /** The earliest pod deletion, if any is coming. */
  firstEvictionAt: number | null;
}

const ms = (iso?: string) => { if (!iso) return null; const t = Date.parse(iso); return Number.isFinite(t) ? t : null; };

export function nodeViews(nodes: NodeInput[], leases: LeaseInput[], ref: number, s: NodeLifecycleSettings): NodeView[] {
  const leaseOf = new Map(leases.map((l) => [l.name, l]));
  return nodes.map((n) => {
    const beats = [ms(leaseOf.get(n.name)?.renewTime), ms(n.lastHeartbeat)].filter((x): x is number => x !== null);
    const heartbeatAt = beats.length ? Math.max(...beats) : null;
    const silentMs = heartbeatAt === null ? null : Math.max(0, ref - heartbeatAt);
    const stale = silentMs !== null && silentMs > s.gracePeriodMs;
    const down = n.ready !== 'True' || stale;
    const t = n.taints.find((x) => x.effect === 'NoExecute' && NOEXECUTE_KEYS.includes(x.key));
    const notReadyAt = n.ready !== 'True' ? (ms(n.readySince) ?? (heartbeatAt !== null ? heartbeatAt + s.gracePeriodMs : null))
      : stale && heartbeatAt !== null ? heartbeatAt + s.gracePeriodMs : null;
    return { name: n.name, zone: n.zone ?? '', ready: n.ready, heartbeatAt, silentMs, down, notReadyAt, taint: t ? { key: t.key, since: ms(t.timeAdded) } : null };
  });
}

/** What the node lifecycle controller will do, as of `ref` (the snapshot's time). */
export function evictionPlan(nodes: NodeInput[], leases: LeaseInput[], pods: PodTolerationInput[] | undefined, ref: number, settings: Partial<NodeLifecycleSettings> = {}, podNodes?: readonly string[]): EvictionPlan {
  const listed = pods && podNodes ? new Set(podNodes) : null;
  const s: NodeLifecycleSettings = { ...NODE_LIFECYCLE_DEFAULTS, ...settings };
  const views = nodeViews(nodes, leases, ref, s);
  const byZone = new Map<string, NodeView[]>();
  for (const v of views) byZone.set(v.zone, [...(byZone.get(v.zone) ?? []), v]);
  const zones = [...byZone.entries()].map(([zone, vs]) => {
    const down = vs.filter((v) => v.down).length;
    const state = zoneState(vs.length - down, down, s.unhealthyZoneThreshold);
    // ReducedQPSFunc(zoneSize): the zone's node count, not the cluster's, is what is compared
    // (handleDisruption: setLimiterInZone(k, len(zoneToNodeConditions[k]), state)).
    const large = vs.length > s.largeClusterThreshold;
    const taintRate = state === 'partial-disruption' ? (large ? s.secondaryEvictionRate : 0) : s.evictionRate;
    return { zone, ready: vs.length - down, down, state, taintRate };
  }).sort((a, b) => a.zone.localeCompare(b.zone));
  const masterDisruption = zones.length > 0 && zones.every((z) => z.state === 'full-disruption');
  const evictions: NodeEviction[] = [];
  for (const z of zones) {
    const down = views.filter((v) => v.zone === z.zone && v.down).sort((a, b) => (a.notReadyAt ?? 0) - (b.notReadyAt ?? 0));
    let queued = 0;
    for (const v of down) {
      let taintAt: number | null;
      let why: string;
      if (masterDisruption) {
        taintAt = null;
        why = 'every node is NotReady: the controller is in master disruption mode and evicts nothing until a node is Ready again';
      } else if (v.taint) {
        taintAt = v.taint.since ?? v.notReadyAt;
        why = `tainted ${v.taint.key}:NoExecute`;
      } else if (z.taintRate === 0) {
        taintAt = null;
        why = `zone ${z.zone || '(no zone label)'} is partially disrupted (${z.down} of ${z.down + z.ready} nodes down) and has ≤ ${s.largeClusterThreshold} nodes: taints are paused`;
      } else {
        // The controller taints queued nodes one per 1/rate seconds, from its next pass after the grace period.
        const start = Math.max(ref, v.notReadyAt ?? ref) + s.monitorPeriodMs;
        taintAt = start + Math.round((queued++ / z.taintRate) * 1000);
        why = v.ready === 'True'
          ? `silent for ${Math.round((v.silentMs ?? 0) / 1000)} s: the controller will mark it Unknown and taint it`
          : `not Ready (${v.ready}); taint expected at the controller's next pass`;
      }
      // A node whose pods were not listed (down since the list, or over the cap) gets the default.
      const mine = pods && (!listed || listed.has(v.name)) ? pods.filter((p) => p.node === v.name) : undefined;
      const podRows: PodEviction[] = mine
        ? mine.map((p) => ({ namespace: p.namespace, name: p.name, tolerationSeconds: p.tolerationSeconds, assumed: false, at: taintAt === null || p.tolerationSeconds === null ? null : taintAt + p.tolerationSeconds * 1000 }))
        : [{ namespace: '', name: '*', tolerationSeconds: s.defaultTolerationSeconds, assumed: true, at: taintAt === null ? null : taintAt + s.defaultTolerationSeconds * 1000 }];
      const times = podRows.map((p) => p.at).filter((x): x is number => x !== null);
      evictions.push({ node: v.name, at: times.length ? Math.min(...times) : null, why, pods: podRows });
    }
  }
  const all = evictions.map((e) => e.at).filter((x): x is number => x !== null);
  return { settings: s, views, zones, masterDisruption, evictions, firstEvictionAt: all.length ? Math.min(...all) : null };
}
