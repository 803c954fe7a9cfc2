// Flame graph data: the profile's stacks merged into one call tree (root → leaf), per sample type.
//
// Frames are the same function-level frames `go tool pprof` uses (inlined calls are frames of
// their own; see profile-graph.ts), so a flame graph and `-top` agree: a frame's `self` summed over
// the tree is its pprof flat, and the tree's root total is Σvalue over samples.
//
// The tree is stored as parallel typed arrays in depth-first pre-order, children sorted by name
// (like pprof's and speedscope's flame graphs), so node i's subtree is the index range
// [i, end[i]) and 100k+ nodes cost a handful of arrays instead of 100k objects.
import { type Profile, type ValueType, resolveSampleIndex } from '../parse/pprof';
import { buildFrameIndex, compareGoStrings } from './profile-graph';

export interface FlameGraph {
  sampleIndex: number;
  sampleType: ValueType;
  /** Frame names; `frame[i]` indexes this. */
  names: string[];
  /** Number of nodes; node 0 is the synthetic root. */
  count: number;
  /** Frame id per node (-1 for the root). */
  frame: Int32Array;
  /** Parent node (-1 for the root). */
  parent: Int32Array;
  /** 0 for the root. */
  depth: Int32Array;
  /** Value of samples whose leaf is this node. */
  self: Float64Array;
  /** Value of samples passing through this node (self + children). */
  total: Float64Array;
  /** Pre-order: node i's subtree is [i, end[i]). */
  end: Int32Array;
  maxDepth: number;
}

export const FLAME_ROOT_NAME = 'root';

export function nodeName(g: FlameGraph, node: number): string {
  const f = g.frame[node]!;
  return f < 0 ? FLAME_ROOT_NAME : g.names[f]!;
}

/** One node as an object (for tooltips and tests; the arrays are the bulk representation). */
export interface FlameNode {
  index: number;
  name: string;
  self: number;
  total: number;
  depth: number;
  parent: number;
  children: number[];
}

export function flameNode(g: FlameGraph, node: number): FlameNode {
  return { index: node, name: nodeName(g, node), self: g.self[node]!, total: g.total[node]!, depth: g.depth[node]!, parent: g.parent[node]!, children: flameChildren(g, node) };
}

/** Direct children of a node, in display order. */
export function flameChildren(g: FlameGraph, node: number): number[] {
  const out: number[] = [];
  for (let c = node + 1; c < g.end[node]!; c = g.end[c]!) out.push(c);
  return out;
}

/** Node path from the root to `node`, both included. */
export function flameAncestors(g: FlameGraph, node: number): number[] {
  const path: number[] = [];
  for (let n = node; n >= 0; n = g.parent[n]!) path.push(n);
  return path.reverse();
}

const rankCache = new WeakMap<string[], Int32Array>();

/** rank[f + 1] = position of frame f in name order (rank[0] is the root's -1 frame). Cached per names array. */
function nameRank(names: string[]): Int32Array {
  let rank = rankCache.get(names);
  if (!rank) {
    const byName = names.map((_, i) => i).sort((a, b) => compareGoStrings(names[a]!, names[b]!));
    rank = new Int32Array(names.length + 1);
    byName.forEach((f, r) => { rank![f + 1] = r + 1; });
    rankCache.set(names, rank);
  }
  return rank;
}

/**
 * Growable trie used while merging stacks; converted to a FlameGraph by `finish`. Children are
 * found through an open-addressing hash of (parent, frame) in typed arrays: a Map keyed by numbers
 * was the bottleneck at 2M+ stack frames.
 */
class TrieBuilder {
  count = 1;
  frame = new Int32Array(1024).fill(-1);
  parent = new Int32Array(1024).fill(-1);
  self = new Float64Array(1024);
  total = new Float64Array(1024);
  private slots = new Int32Array(2048).fill(-1); // node index per slot; key = (parent, frame)
  private mask = 2047;

  child(node: number, frame: number): number {
    let h = (Math.imul(node, 0x9e3779b1) ^ Math.imul(frame + 1, 0x85ebca77)) & this.mask;
    for (;;) {
      const c = this.slots[h]!;
      if (c < 0) break;
      if (this.parent[c] === node && this.frame[c] === frame) return c;
      h = (h + 1) & this.mask;
    }
    const c = this.count++;
    if (c === this.frame.length) this.grow();
    this.frame[c] = frame;
    this.parent[c] = node;
    this.slots[h] = c;
    if (this.count * 2 > this.mask) this.rehash();
    return c;
  }

  private grow(): void {
    const n = this.frame.length * 2;
    const f = new Int32Array(n); f.set(this.frame); this.frame = f;
    const p = new Int32Array(n); p.set(this.parent); this.parent = p;
    const s = new Float64Array(n); s.set(this.self); this.self = s;
    const t = new Float64Array(n); t.set(this.total); this.total = t;
  }

  private rehash(): void {
    const size = (this.mask + 1) * 2;
    this.slots = new Int32Array(size).fill(-1);
    this.mask = size - 1;
    for (let c = 1; c < this.count; c++) {
      let h = (Math.imul(this.parent[c]!, 0x9e3779b1) ^ Math.imul(this.frame[c]! + 1, 0x85ebca77)) & this.mask;
      while (this.slots[h]! >= 0) h = (h + 1) & this.mask;
      this.slots[h] = c;
    }
  }

  finish(names: string[], sampleIndex: number, sampleType: ValueType): FlameGraph {
    const n = this.count;
    const rank = nameRank(names);
    // Children in CSR form (parent → [kidStart[p], kidStart[p+1])), each range sorted by name.
    const kidStart = new Int32Array(n + 1);
    for (let i = 1; i < n; i++) kidStart[this.parent[i]! + 1]!++;
    for (let i = 0; i < n; i++) kidStart[i + 1]! += kidStart[i]!;
    const fill = kidStart.slice(0, n);
    const kids = new Int32Array(Math.max(0, n - 1));
    for (let i = 1; i < n; i++) kids[fill[this.parent[i]!]!++] = i;
    const frameOf = this.frame;
    const byRank = (a: number, b: number): number => rank[frameOf[a]! + 1]! - rank[frameOf[b]! + 1]!;
    for (let p = 0; p < n; p++) {
      if (kidStart[p + 1]! - kidStart[p]! > 1) kids.subarray(kidStart[p]!, kidStart[p + 1]!).sort(byRank);
    }
    // Pre-order with an explicit stack (trees can be deep).
    const order = new Int32Array(n);
    const newIndex = new Int32Array(n);
    const stack = new Int32Array(n);
    let sp = 0;
    stack[sp++] = 0;
    let k = 0;
    while (sp > 0) {
      const v = stack[--sp]!;
      newIndex[v] = k;
      order[k++] = v;
      for (let i = kidStart[v + 1]! - 1; i >= kidStart[v]!; i--) stack[sp++] = kids[i]!;
    }
    const g: FlameGraph = {
      sampleIndex, sampleType, names, count: n,
      frame: new Int32Array(n), parent: new Int32Array(n), depth: new Int32Array(n),
      self: new Float64Array(n), total: new Float64Array(n), end: new Int32Array(n), maxDepth: 0,
    };
    for (let i = 0; i < n; i++) {
      const old = order[i]!;
      g.frame[i] = this.frame[old]!;
      g.self[i] = this.self[old]!;
      g.total[i] = this.total[old]!;
      const p = this.parent[old]!;
      const np = p < 0 ? -1 : newIndex[p]!;
      g.parent[i] = np;
      const d = np < 0 ? 0 : g.depth[np]! + 1;
      g.depth[i] = d;
      if (d > g.maxDepth) g.maxDepth = d;
    }
    // Subtree ends: walk backwards, each node's end is the max end of its children (or i + 1).
    for (let i = n - 1; i >= 0; i--) {
      if (g.end[i] === 0) g.end[i] = i + 1;
      const p = g.parent[i]!;
      if (p >= 0 && g.end[i]! > g.end[p]!) g.end[p] = g.end[i]!;
    }
    return g;
  }
}

/** Merge every sample's stack into one call tree for the given sample type (default: the profile's). */
export function buildFlameGraph(profile: Profile, sampleIndex?: number | string): FlameGraph {
  const si = resolveSampleIndex(profile, sampleIndex);
  const index = buildFrameIndex(profile);
  const trie = new TrieBuilder();
  const { values, count, stackLocations } = profile.samples;
  const { locOffsets, locFrames, sampleStart, sampleEnd } = index;
  const stride = profile.sampleTypes.length;
  for (let s = 0; s < count; s++) {
    const w = values[s * stride + si]!;
    if (w === 0) continue;
    let node = 0;
    trie.total[0]! += w;
    for (let k = sampleEnd[s]! - 1; k >= sampleStart[s]!; k--) {
      const loc = stackLocations[k]!;
      for (let j = locOffsets[loc + 1]! - 1; j >= locOffsets[loc]!; j--) {
        node = trie.child(node, locFrames[j]!);
        trie.total[node]! += w;
      }
    }
    trie.self[node]! += w;
  }
  return trie.finish(index.names, si, profile.sampleTypes[si]!);
}

export interface FlameSearch {
  /** 1 where the node's frame name matches. */
  matches: Uint8Array;
  /** Nodes that match. */
  matchCount: number;
  /** Σtotal of matching nodes not nested under another match (no double counting). */
  matchedTotal: number;
}

/**
 * Mark nodes whose frame name matches: a string matches case-insensitively as a substring, a
 * RegExp is tested as given.
 */
export function searchFlameGraph(g: FlameGraph, query: string | RegExp): FlameSearch {
  const test = typeof query === 'string'
    ? ((q: string) => (name: string) => name.toLowerCase().includes(q))(query.toLowerCase())
    : (name: string) => { query.lastIndex = 0; return query.test(name); };
  const frameMatch = g.names.map((name) => (query === '' ? false : test(name)));
  const rootMatch = query !== '' && test(FLAME_ROOT_NAME);
  const matches = new Uint8Array(g.count);
  let matchCount = 0;
  for (let i = 0; i < g.count; i++) {
    const f = g.frame[i]!;
    if (f < 0 ? rootMatch : frameMatch[f]) {
      matches[i] = 1;
      matchCount++;
    }
  }
  let matchedTotal = 0;
  for (let i = 0; i < g.count;) {
    if (matches[i]) {
      matchedTotal += g.total[i]!;
      i = g.end[i]!; // skip nested matches
    } else i++;
  }
  return { matches, matchCount, matchedTotal };
}

/** The subtree under `node` as a graph of its own (node becomes the root, depth 0). */
export function focusSubtree(g: FlameGraph, node: number): FlameGraph {
  if (!Number.isInteger(node) || node < 0 || node >= g.count) throw new RangeError(`node ${node} is not in the flame graph (0..${g.count - 1})`);
  const start = node;
  const stop = g.end[node]!;
  const base = g.depth[node]!;
  const n = stop - start;
  const out: FlameGraph = {
    sampleIndex: g.sampleIndex, sampleType: g.sampleType, names: g.names, count: n,
    frame: g.frame.slice(start, stop), parent: new Int32Array(n), depth: new Int32Array(n),
    self: g.self.slice(start, stop), total: g.total.slice(start, stop), end: new Int32Array(n), maxDepth: 0,
  };
  for (let i = 0; i < n; i++) {
    out.parent[i] = i === 0 ? -1 : g.parent[start + i]! - start;
    const d = g.depth[start + i]! - base;
    out.depth[i] = d;
    if (d > out.maxDepth) out.maxDepth = d;
    out.end[i] = g.end[start + i]! - start;
  }
  return out;
}

/**
 * Focus on a function: every outermost occurrence of `frameName`, merged into one tree rooted at
 * that function (pprof's flame graph "focus" / speedscope's "merged" view). Returns undefined if
 * the frame does not occur.
 */
export function focusFrame(g: FlameGraph, frameName: string): FlameGraph | undefined {
  const fid = g.names.indexOf(frameName);
  if (fid < 0) return undefined;
  const trie = new TrieBuilder();
  trie.frame[0] = fid;
  const map = new Int32Array(g.count).fill(-1);
  let found = false;
  for (let i = 0; i < g.count;) {
    if (g.frame[i] !== fid) { i++; continue; }
    found = true;
    const stop = g.end[i]!;
    map[i] = 0;
    trie.total[0]! += g.total[i]!;
    trie.self[0]! += g.self[i]!;
    for (let j = i + 1; j < stop; j++) {
      const m = trie.child(map[g.parent[j]!]!, g.frame[j]!);
      map[j] = m;
      trie.total[m]! += g.total[j]!;
      trie.self[m]! += g.self[j]!;
    }
    i = stop;
  }
  return found ? trie.finish(g.names, g.sampleIndex, g.sampleType) : undefined;
}
