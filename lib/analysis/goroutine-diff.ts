// Compares two goroutine dumps of the same process: which stacks grew, shrank, appeared or
// disappeared. Stacks are matched by `stackKey` (frames without runtime ones), so a debug=1 dump can
// be compared with a debug=2 one (then only on their top frames, see diffKeyOf); groups that share
// a key (different states or creators) are added up first. The goroutine that wrote the dump is
// left out.
import type { GoroutineGroup } from './goroutine-groups';

export interface GoroutineGroupChange {
  /** The key stacks were matched on: the groups' stackKey, cut to `depth` frames when set. */
  stackKey: string;
  /** State of the larger side (null in debug=1). */
  state: string | null;
  /** Top non-runtime function, for display. */
  function: string | null;
  before: number;
  after: number;
  /** after − before. */
  delta: number;
}

export interface GoroutineDiff {
  /**
   * Frames compared per stack: null for all of them; DEBUG1_DIFF_DEPTH when either dump is debug=1,
   * whose stacks are cut at 32 PCs (runtime.StackRecord) while debug=2 prints up to 100 frames.
   */
  depth: number | null;
  totalBefore: number;
  totalAfter: number;
  /** In both dumps, more goroutines now; largest growth first. */
  grew: GoroutineGroupChange[];
  /** In both dumps, fewer now; largest drop first. */
  shrank: GoroutineGroupChange[];
  /** Only in the newer dump; largest first. */
  appeared: GoroutineGroupChange[];
  /** Only in the older dump; largest first. */
  disappeared: GoroutineGroupChange[];
}

interface Side {
  count: number;
  state: string | null;
  stateCount: number;
  function: string | null;
}

/**
 * The goroutine that wrote the dump (`runtime/pprof.writeGoroutineStacks` in debug=2,
 * `runtime/pprof.runtime_goroutineProfileWithLabels` in debug=1). Its stack changes with every
 * request (handler chain, line of the caller), so in a diff it is only noise.
 */
export function isDumpWriter(g: GoroutineGroup): boolean {
  return g.frames.some((f) => f.function.startsWith('runtime/pprof.writeGoroutine') || f.function.startsWith('runtime/pprof.runtime_goroutineProfile'));
}

/** Top non-runtime frames compared when one side is debug=1 (32 PCs, some of them runtime). */
export const DEBUG1_DIFF_DEPTH = 20;

/** The key a group is matched on in a diff of the given depth. */
export function diffKeyOf(g: GoroutineGroup, depth: number | null): string {
  if (depth === null) return g.stackKey;
  let end = -1;
  for (let i = 0; i < depth; i++) {
    end = g.stackKey.indexOf('\n', end + 1);
    if (end < 0) return g.stackKey;
  }
  return g.stackKey.slice(0, end);
}

function byStackKey(groups: readonly GoroutineGroup[], depth: number | null): Map<string, Side> {
  const m = new Map<string, Side>();
  for (const g of groups) {
    if (isDumpWriter(g)) continue;
    const key = diffKeyOf(g, depth);
    const s = m.get(key);
    if (!s) {
      m.set(key, { count: g.count, state: g.state, stateCount: g.count, function: g.topFrame?.function ?? null });
    } else {
      s.count += g.count;
      if (g.count > s.stateCount) {
        s.state = g.state;
        s.stateCount = g.count;
      }
    }
  }
  return m;
}

export function diffGoroutineGroups(before: readonly GoroutineGroup[], after: readonly GoroutineGroup[]): GoroutineDiff {
  const debug1 = before.some((g) => g.state === null) || after.some((g) => g.state === null);
  const depth = debug1 ? DEBUG1_DIFF_DEPTH : null;
  const a = byStackKey(before, depth);
  const b = byStackKey(after, depth);
  const diff: GoroutineDiff = {
    depth,
    totalBefore: before.reduce((n, g) => n + g.count, 0),
    totalAfter: after.reduce((n, g) => n + g.count, 0),
    grew: [], shrank: [], appeared: [], disappeared: [],
  };
  for (const [key, now] of b) {
    const then = a.get(key);
    const change: GoroutineGroupChange = {
      stackKey: key, state: now.state, function: now.function, before: then?.count ?? 0, after: now.count,
      delta: now.count - (then?.count ?? 0),
    };
    if (!then) diff.appeared.push(change);
    else if (change.delta > 0) diff.grew.push(change);
    else if (change.delta < 0) diff.shrank.push(change);
  }
  for (const [key, then] of a) {
    if (!b.has(key)) {
      diff.disappeared.push({ stackKey: key, state: then.state, function: then.function, before: then.count, after: 0, delta: -then.count });
    }
  }
  const byDelta = (x: GoroutineGroupChange, y: GoroutineGroupChange) => Math.abs(y.delta) - Math.abs(x.delta) || (x.stackKey < y.stackKey ? -1 : 1);
  diff.grew.sort(byDelta);
  diff.shrank.sort(byDelta);
  diff.appeared.sort(byDelta);
  diff.disappeared.sort(byDelta);
  return diff;
}
