/**
 * How long a pod stays on a node tainted `NoExecute`, as the taint manager decides it
 * (pkg/controller/nodelifecycle/scheduler/taint_manager.go, Kubernetes 1.20):
 * - `GetMatchingTolerations`: each taint must be tolerated by some toleration (the first that
 *   matches); a pod with an untolerated NoExecute taint is deleted at once (0 s).
 * - `getMinTolerationTime` over the tolerations used: the smallest `tolerationSeconds` (≤ 0 means
 *   0); when none of them sets `tolerationSeconds`, the pod stays forever (null).
 * A toleration matches a taint (`ToleratesTaint`, k8s.io/api core/v1 toleration.go) when its effect
 * is empty or equal, its key is empty or equal, and its operator is Exists, or Equal (the default)
 * with an equal value. The node controller's taints have no value.
 */
import { NODE_LIFECYCLE_DEFAULTS, nodeViews } from './nodes';
import type { LeaseInput, NodeInput, NodeLifecycleSettings } from './types';

export interface Toleration { key?: string; operator?: string; value?: string; effect?: string; tolerationSeconds?: number | null }
export interface Taint { key: string; value?: string; effect: string }

export const UNREACHABLE = 'node.kubernetes.io/unreachable';
export const NOT_READY = 'node.kubernetes.io/not-ready';

export function toleratesTaint(t: Toleration, taint: Taint): boolean {
  if (t.effect && t.effect !== taint.effect) return false;
  if (t.key && t.key !== taint.key) return false;
  if (t.operator === 'Exists') return true;
  if (!t.operator || t.operator === 'Equal') return (t.value ?? '') === (taint.value ?? '');
  return false;
}

/** Seconds the pod tolerates these NoExecute taints: 0 (deleted at once), n, or null (forever). */
export function tolerationSeconds(tolerations: readonly Toleration[] | undefined, taints: readonly Taint[]): number | null {
  const used: Toleration[] = [];
  for (const taint of taints) {
    const t = (tolerations ?? []).find((x) => toleratesTaint(x, taint));
    if (!t) return 0;
    used.push(t);
  }
  let min: number | null = null;
  for (const t of used) {
    if (typeof t.tolerationSeconds !== 'number') continue;
    if (t.tolerationSeconds <= 0) return 0;
    if (min === null || t.tolerationSeconds < min) min = t.tolerationSeconds;
  }
  return min;
}

/**
 * The taint the node controller puts (or has put) on a node it considers down: the NoExecute taint
 * it already has, else `unreachable` for Ready=Unknown or a silent node, `not-ready` for Ready=False.
 */
export function evictionTaintOf(node: { ready: 'True' | 'False' | 'Unknown'; taints: ReadonlyArray<{ key: string; effect: string }> }): Taint {
  const has = node.taints.find((t) => t.effect === 'NoExecute' && (t.key === UNREACHABLE || t.key === NOT_READY));
  if (has) return { key: has.key, effect: 'NoExecute' };
  return { key: node.ready === 'False' ? NOT_READY : UNREACHABLE, effect: 'NoExecute' };
}

/** Nodes the node controller considers down (or will at its next pass), with the taint it puts on them. */
export function downNodes(nodes: NodeInput[], leases: LeaseInput[], now: number, settings: Partial<NodeLifecycleSettings> = {}): Array<{ name: string; taint: Taint }> {
  const byName = new Map(nodes.map((n) => [n.name, n]));
  return nodeViews(nodes, leases, now, { ...NODE_LIFECYCLE_DEFAULTS, ...settings })
    .filter((v) => v.down || v.taint)
    .map((v) => ({ name: v.name, taint: evictionTaintOf(byName.get(v.name)!) }));
}
