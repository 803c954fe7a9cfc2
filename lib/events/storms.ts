/**
 * Known event storms, as data (the detectors' lesson: one evaluator, specs as values). Each names
 * the reason, what it means, and a burst threshold: at least `count` events within `minutes`.
 *
 * A burst counts distinct involved objects (pods, nodes) with such an event last seen within the
 * window, not events: a legacy recorder folds repeats into `count`, but kube-scheduler 1.20 writes a
 * new Event for each retry of a stuck pod (testdata/events/v1.20.2: 5 pods, 15 FailedScheduling
 * events in 2 minutes). Five stuck pods are not a storm; fifty pods failing at once are.
 */
export type StormSeverity = 'info' | 'warning' | 'critical';

export interface StormSpec {
  id: string;
  reason: string;
  /** Involved-object kinds counted (all when unset). */
  kinds?: readonly string[];
  title: string;
  severity: StormSeverity;
  /** At least `count` distinct objects within `minutes`. */
  burst: { count: number; minutes: number };
  explanation: string;
  /** Where to look next. */
  next: string;
}

export const STORM_SPECS: readonly StormSpec[] = [
  {
    id: 'node-not-ready',
    reason: 'NodeNotReady',
    title: 'Nodes going NotReady',
    severity: 'critical',
    burst: { count: 5, minutes: 5 },
    explanation:
      'The node lifecycle controller (source node-controller) marks a Node NotReady when its kubelet has not reported for ' +
      '--node-monitor-grace-period (40 s through 1.31, 50 s from 1.32). It writes one Normal event on the Node and a Warning ' +
      '"Node is not ready" on every pod of that Node, so one lost node can already make a burst. Many nodes at once usually ' +
      'means the path between kubelets and the apiserver failed (network, load balancer, a replaced control plane), not the nodes.',
    next: 'Check the apiserver\'s readiness and the node Leases\' renew times over the same minutes; if every node in a zone is NotReady the controller stops evicting (disruption mode).',
  },
  {
    id: 'taint-manager-eviction',
    reason: 'TaintManagerEviction',
    kinds: ['Pod'],
    title: 'Pods evicted by the taint manager',
    severity: 'critical',
    burst: { count: 5, minutes: 5 },
    explanation:
      '"Marking for deletion Pod ns/name": the taint manager deletes pods that do not tolerate the not-ready/unreachable ' +
      'NoExecute taints once their tolerationSeconds run out (300 s, added to every pod by the DefaultTolerationSeconds ' +
      'admission plugin). A burst is a mass eviction: the pods die when their nodes reconnect. "Cancelling deletion" ' +
      'events mean a node came back in time.',
    next: 'Look for the NodeNotReady burst about 5 minutes earlier and for FailedScheduling right after: evicted pods need room elsewhere.',
  },
  {
    id: 'failed-scheduling',
    reason: 'FailedScheduling',
    kinds: ['Pod'],
    title: 'Pods that cannot be scheduled',
    severity: 'warning',
    burst: { count: 10, minutes: 10 },
    explanation:
      'kube-scheduler found no node for the pod: not enough CPU or memory, taints without tolerations, affinity, or no ' +
      'nodes at all. The message lists why each node was rejected. The scheduler retries a stuck pod and records each ' +
      'attempt, so this counts pods, not events: a burst is many pods at once, after a mass eviction, a rollout, or lost nodes.',
    next: 'Read the message: "Insufficient cpu" means capacity, "had taint … that the pod didn\'t tolerate" means NotReady or cordoned nodes.',
  },
  {
    id: 'back-off',
    reason: 'BackOff',
    title: 'Containers in back-off',
    severity: 'warning',
    burst: { count: 10, minutes: 10 },
    explanation:
      'The kubelet waits longer and longer before restarting a failed container ("Back-off restarting failed container", ' +
      'CrashLoopBackOff) or pulling an image again. Many containers at once point to something they share: the apiserver ' +
      'or etcd they talk to, a configuration or Secret rollout, a registry outage.',
    next: 'Group by object to see which workloads, and compare with the apiserver\'s error rate on the timeline.',
  },
];

export interface MinuteCount {
  /** Start of the minute, ms since the epoch. */
  minute: number;
  reason: string;
  kind: string;
  /** The involved object ("namespace/name"): bursts count distinct objects. */
  object: string;
  /** Its events last seen in that minute. */
  n: number;
}

export interface Storm {
  id: string;
  title: string;
  reason: string;
  severity: StormSeverity;
  explanation: string;
  next: string;
  threshold: string;
  /** Start of the first minute and end of the last minute of the burst. */
  from: number;
  to: number;
  /** Events in [from, to). */
  events: number;
  /** Distinct objects with such an event in [from, to). */
  objects: number;
  /** Most distinct objects in any `burst.minutes` window of the burst. */
  peak: number;
}

const MINUTE = 60_000;
const MAX_STORMS_PER_SPEC = 20;

export function minuteOf(t: number): number {
  return Math.floor(t / MINUTE) * MINUTE;
}

/**
 * Bursts of one spec: windows of `minutes` in which ≥ `count` distinct objects had the event,
 * merged when they touch. `perMinute` maps a minute to its objects' event counts.
 */
function bursts(spec: StormSpec, perMinute: ReadonlyMap<number, ReadonlyMap<string, number>>): Storm[] {
  const minutes = [...perMinute.keys()].sort((a, b) => a - b);
  const span = spec.burst.minutes * MINUTE;
  const out: Storm[] = [];
  const inWindow = new Map<string, number>(); // object → minutes of the window it appears in
  let j = 0;
  for (let i = 0; i < minutes.length; i++) {
    if (i > 0) {
      for (const o of perMinute.get(minutes[i - 1]!)!.keys()) {
        const c = inWindow.get(o)! - 1;
        if (c === 0) inWindow.delete(o); else inWindow.set(o, c);
      }
    }
    while (j < minutes.length && minutes[j]! < minutes[i]! + span) {
      for (const o of perMinute.get(minutes[j]!)!.keys()) inWindow.set(o, (inWindow.get(o) ?? 0) + 1);
      j++;
    }
    const distinct = inWindow.size;
    if (distinct < spec.burst.count) continue;
    const from = minutes[i]!;
    const to = minutes[j - 1]! + MINUTE;
    const last = out[out.length - 1];
    if (last && from <= last.to) {
      last.to = Math.max(last.to, to);
      last.peak = Math.max(last.peak, distinct);
    } else {
      if (out.length >= MAX_STORMS_PER_SPEC) break;
      out.push({
        id: spec.id, title: spec.title, reason: spec.reason, severity: spec.severity, explanation: spec.explanation, next: spec.next,
        threshold: `${spec.burst.count} or more ${spec.kinds?.length === 1 ? `${spec.kinds[0]!.toLowerCase()}s` : 'objects'} in ${spec.burst.minutes} minutes`,
        from, to, events: 0, objects: 0, peak: distinct,
      });
    }
  }
  for (const s of out) {
    const objects = new Set<string>();
    for (const [m, per] of perMinute) {
      if (m < s.from || m >= s.to) continue;
      for (const [o, n] of per) { objects.add(o); s.events += n; }
    }
    s.objects = objects.size;
  }
  return out;
}

/** Detects the known storms in per-minute counts; the most severe first, then the earliest. */
export function detectStorms(rows: Iterable<MinuteCount>, specs: readonly StormSpec[] = STORM_SPECS): Storm[] {
  const per = new Map<string, Map<number, Map<string, number>>>();
  for (const r of rows) {
    for (const s of specs) {
      if (s.reason !== r.reason || (s.kinds && !s.kinds.includes(r.kind))) continue;
      let byMinute = per.get(s.id);
      if (!byMinute) per.set(s.id, (byMinute = new Map()));
      const minute = minuteOf(r.minute);
      let objs = byMinute.get(minute);
      if (!objs) byMinute.set(minute, (objs = new Map()));
      const key = `${r.kind}/${r.object}`;
      objs.set(key, (objs.get(key) ?? 0) + r.n);
    }
  }
  const rank: Record<StormSeverity, number> = { critical: 0, warning: 1, info: 2 };
  return specs.flatMap((s) => (per.has(s.id) ? bursts(s, per.get(s.id)!) : []))
    .sort((a, b) => rank[a.severity] - rank[b.severity] || a.from - b.from);
}

/** The storm an event belongs to (its reason and last-seen time inside a detected burst), for highlighting rows. */
export function stormOf(e: { reason: string; lastTimestamp: number }, storms: readonly Storm[]): Storm | undefined {
  return storms.find((s) => s.reason === e.reason && e.lastTimestamp >= s.from && e.lastTimestamp < s.to);
}
