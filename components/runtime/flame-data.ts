// The API's compact flame graph (parallel arrays, pre-order) back into lib/analysis/flame's
// FlameGraph, so the canvas can use layoutFlameGraph / hitTestFlame / searchFlameGraph as they are.
import type { FlameGraph } from '@/lib/analysis/flame';
import type { CompactFlame } from '@/lib/query/runtime';

export function toFlameGraph(c: CompactFlame, sampleType: { type: string; unit: string }, sampleIndex = 0): FlameGraph {
  const n = c.names.length;
  const frame = new Int32Array(n);
  const parent = new Int32Array(n);
  const depth = new Int32Array(n);
  const self = new Float64Array(n);
  const total = new Float64Array(n);
  const end = new Int32Array(n);
  let maxDepth = 0;
  // The server's string table holds "root" for node 0; a FlameGraph marks the root with frame -1.
  for (let i = 0; i < n; i++) {
    frame[i] = i === 0 ? -1 : c.names[i]!;
    const p = c.parent[i]!;
    if (i > 0 && (p < 0 || p >= i)) throw new Error(`flame graph node ${i} has parent ${p}: not in pre-order`);
    parent[i] = i === 0 ? -1 : p;
    depth[i] = i === 0 ? 0 : depth[p]! + 1;
    if (depth[i]! > maxDepth) maxDepth = depth[i]!;
    self[i] = c.self[i]!;
    total[i] = c.total[i]!;
  }
  // Subtree ends, as in lib/analysis/flame.ts: walk backwards, a parent ends where its last child does.
  for (let i = n - 1; i >= 0; i--) {
    if (end[i] === 0) end[i] = i + 1;
    const p = parent[i]!;
    if (p >= 0 && end[i]! > end[p]!) end[p] = end[i]!;
  }
  return { sampleIndex, sampleType, names: c.strings, count: n, frame, parent, depth, self, total, end, maxDepth };
}
