import 'server-only';
// Heap profile → the runtime page's JSON: the pprof -top table (first 200 rows) and the flame graph
// as compact parallel arrays (a 100k-node tree as objects would be tens of MB of JSON).
import { buildFlameGraph, type FlameGraph } from '@/lib/analysis/flame';
import { type TopSort, topTable } from '@/lib/analysis/profile';
import { diffProfiles } from '@/lib/analysis/profile-diff';
import { resolveSampleIndex, type Profile } from '@/lib/parse/pprof';
import { HttpError } from '../api/handler';

export const MAX_TOP_ROWS = 200;
export const MAX_FLAME_NODES = 50_000;

export interface CompactFlame {
  /** String table; `names[i]` indexes it. */
  strings: string[];
  /** Per node, depth-first pre-order, node 0 the root. */
  names: number[];
  parent: number[];
  self: number[];
  total: number[];
  /** Nodes folded into their parent's `self` to stay under the cap. */
  merged: number;
}

/**
 * Keeps the `cap` heaviest nodes. Sorting by total desc, ties by index asc, gives an ancestor-closed
 * prefix (a parent's total ≥ its child's, and in pre-order the parent's index is smaller), so the
 * kept nodes form a tree in the original pre-order; each dropped subtree's total moves into the
 * nearest kept ancestor's self, so every kept node's total is unchanged.
 */
export function compactFlame(g: FlameGraph, cap = MAX_FLAME_NODES): CompactFlame {
  const n = g.count;
  let keep: Uint8Array;
  if (n <= cap) keep = new Uint8Array(n).fill(1);
  else {
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => g.total[b]! - g.total[a]! || a - b);
    keep = new Uint8Array(n);
    for (let k = 0; k < cap; k++) keep[order[k]!] = 1;
    keep[0] = 1;
  }
  const newIndex = new Int32Array(n).fill(-1);
  const strings: string[] = [];
  const stringIndex = new Map<string, number>();
  const out: CompactFlame = { strings, names: [], parent: [], self: [], total: [], merged: 0 };
  for (let i = 0; i < n; i++) {
    if (!keep[i]) continue;
    const f = g.frame[i]!;
    const name = f < 0 ? 'root' : g.names[f]!;
    let s = stringIndex.get(name);
    if (s === undefined) { s = strings.length; strings.push(name); stringIndex.set(name, s); }
    newIndex[i] = out.names.length;
    out.names.push(s);
    const p = g.parent[i]!;
    out.parent.push(p < 0 ? -1 : newIndex[p]!);
    out.self.push(g.self[i]!);
    out.total.push(g.total[i]!);
  }
  if (n > cap) {
    for (let i = 1; i < n;) {
      if (keep[i]) { i++; continue; }
      // A dropped subtree: its parent is kept (closure), and the whole range [i, end) is dropped.
      out.self[newIndex[g.parent[i]!]!]! += g.total[i]!;
      out.merged += g.end[i]! - i;
      i = g.end[i]!;
    }
  }
  return out;
}

export function heapAnalysisJson(meta: { id: number; t: number; component: string }, profile: Profile, sampleIndex?: string, sort: TopSort = 'flat') {
  let si: number;
  try { si = resolveSampleIndex(profile, sampleIndex); }
  catch (e) { throw new HttpError(400, e instanceof Error ? e.message : String(e)); }
  const table = topTable(profile, si, { nodeCount: MAX_TOP_ROWS, sort });
  const flame = buildFlameGraph(profile, si);
  return {
    kind: 'heap' as const,
    id: meta.id,
    t: meta.t,
    component: meta.component,
    sampleTypes: profile.sampleTypes.map((t) => ({ type: t.type, unit: t.unit })),
    sampleIndex: table.sampleType.type,
    unit: table.sampleType.unit,
    total: table.total,
    sort: table.sort,
    top: table.rows.map((r) => ({ function: r.function, flat: r.flat, flatPct: r.flatPct, sumPct: r.sumPct, cum: r.cum, cumPct: r.cumPct })),
    droppedNodes: table.droppedNodes,
    flameNodes: flame.count,
    flame: compactFlame(flame),
  };
}

export function heapDiffJson(base: { id: number; profile: Profile }, next: { id: number; profile: Profile }, sampleIndex?: string) {
  let d;
  try { d = diffProfiles(base.profile, next.profile, { sampleIndex: sampleIndex || undefined }); }
  catch (e) { throw new HttpError(400, e instanceof Error ? e.message : String(e)); }
  return {
    kind: 'heap' as const,
    base: base.id,
    new: next.id,
    sampleIndex: d.sampleType.type,
    unit: d.sampleType.unit,
    baseTotal: d.baseTotal,
    newTotal: d.newTotal,
    totalDelta: d.totalDelta,
    rows: d.rows.slice(0, MAX_TOP_ROWS),
  };
}
