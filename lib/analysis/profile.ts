// `go tool pprof -top` as a pure function: the same rows, numbers, order and trimming.
//
// Sources (google/pprof as vendored in Go 1.19, cmd/vendor/github.com/google/pprof):
// - defaults, `internal/driver/config.go`: NodeCount -1, NodeFraction 0.005, EdgeFraction 0.001,
//   Granularity "functions"; `driver.go applyCommandOverrides`: for "top"/"text" NodeCount -1 → 0,
//   i.e. no row limit, but node-fraction trimming stays on.
// - `internal/report/report.go newTrimmedGraph`: nodeCutoff = |int64(Σflat × NodeFraction)|; nodes
//   with |cum| < nodeCutoff are dropped ("Dropped N nodes (cum <= X)", where X uses the report
//   total); then rows are sorted and, if NodeCount > 0, cut to the top NodeCount.
// - `internal/graph/graph.go newGraph`: cum counts a node once per sample (recursion), flat goes
//   to the leaf frame; zero-valued samples are skipped; nodes with cum = flat = 0 are omitted.
// - `graph.go Nodes.Sort(FlatNameOrder)`: |flat| desc, then name asc, then |cum| desc; with
//   `-cum` (`report.go` CumSort → `CumNameOrder`): |cum| desc, then name asc, then |flat| desc. The
//   node-fraction trim and the sum% column (running Σflat down the table) are the same either way.
// - `report.go TextItems`: a row is "(inline)" when all its incoming call edges are inlined calls,
//   "(partial-inline)" when some are; edges lighter than EdgeFraction of the total are dropped first.
// - `report.go computeTotal`: the total (and the percentages' denominator) is Σ|value| over samples.
import { type Profile, type ValueType, resolveSampleIndex } from '../parse/pprof';
import { type FrameIndex, buildFrameIndex, compareGoStrings, computeFrameStats, sampleTotal } from './profile-graph';

export { resolveSampleIndex } from '../parse/pprof';

export type InlineLabel = '' | 'inline' | 'partial-inline';

export interface TopRow {
  function: string;
  flat: number;
  /** |flat| / total × 100, as pprof prints it. */
  flatPct: number;
  /** Running Σflat / total × 100 down the table. */
  sumPct: number;
  cum: number;
  cumPct: number;
  inline: InlineLabel;
}

export interface TopOptions {
  /** Keep only the first N rows after sorting (pprof -nodecount). Default: all. */
  nodeCount?: number;
  /** pprof -nodefraction (default 0.005): drop nodes whose |cum| is below this share of the total. */
  nodeFraction?: number;
  /** pprof -edgefraction (default 0.001); only affects the inline labels. */
  edgeFraction?: number;
  /** Row order: `flat` (pprof's default) or `cum` (pprof -cum). The cut to nodeCount follows it. */
  sort?: TopSort;
}

export type TopSort = 'flat' | 'cum';

export interface TopTable {
  sampleIndex: number;
  sampleType: ValueType;
  /** Σ|value| over all samples (pprof "… of X total"). */
  total: number;
  /** Σflat over the rows shown (pprof "Showing nodes accounting for X"). */
  shownFlat: number;
  /** Nodes removed by nodeFraction. */
  droppedNodes: number;
  /** The cutoff pprof prints in "Dropped N nodes (cum <= X)": int64(total × nodeFraction). */
  droppedCutoff: number;
  sort: TopSort;
  /** Nodes left after nodeFraction trimming, before nodeCount ("Showing top N nodes out of M"). */
  nodesAfterCutoff: number;
  rows: TopRow[];
}

export const PPROF_NODE_FRACTION = 0.005;
export const PPROF_EDGE_FRACTION = 0.001;

/** Go's int64(float64): truncation toward zero. */
const trunc = (v: number): number => Math.trunc(v);

export function topTable(profile: Profile, sampleIndex?: number | string, options: TopOptions = {}): TopTable {
  const si = resolveSampleIndex(profile, sampleIndex);
  const nodeFraction = options.nodeFraction ?? PPROF_NODE_FRACTION;
  const edgeFraction = options.edgeFraction ?? PPROF_EDGE_FRACTION;
  const index = buildFrameIndex(profile);
  const { flat, cum } = computeFrameStats(profile, index, si);
  const n = index.names.length;

  let flatSum = 0;
  const present: number[] = [];
  for (let f = 0; f < n; f++) {
    if (flat[f] === 0 && cum[f] === 0) continue;
    present.push(f);
    flatSum += flat[f]!;
  }
  const nodeCutoff = Math.abs(trunc(flatSum * nodeFraction));
  const edgeCutoff = Math.abs(trunc(flatSum * edgeFraction));
  let kept = nodeCutoff > 0 ? present.filter((f) => Math.abs(cum[f]!) >= nodeCutoff) : present;
  const droppedNodes = present.length - kept.length;
  const nodesAfterCutoff = kept.length;

  const names = index.names;
  const sort: TopSort = options.sort ?? 'flat';
  const [first, third] = sort === 'cum' ? [cum, flat] : [flat, cum];
  kept.sort((a, b) =>
    Math.abs(first[b]!) - Math.abs(first[a]!) ||
    compareGoStrings(names[a]!, names[b]!) ||
    Math.abs(third[b]!) - Math.abs(third[a]!) ||
    a - b);
  if (options.nodeCount !== undefined && options.nodeCount > 0 && kept.length > options.nodeCount) {
    kept = kept.slice(0, options.nodeCount);
  }

  const total = sampleTotal(profile, si);
  const inline = inlineLabels(profile, index, si, kept, edgeCutoff);
  const pct = (v: number): number => (total === 0 ? 0 : Math.abs(v / total) * 100);
  let running = 0;
  const rows = kept.map((f): TopRow => {
    running += flat[f]!;
    return {
      function: names[f]!,
      flat: flat[f]!,
      flatPct: pct(flat[f]!),
      sumPct: pct(running),
      cum: cum[f]!,
      cumPct: pct(cum[f]!),
      inline: inline[f] === 3 ? 'partial-inline' : inline[f] === 1 ? 'inline' : '',
    };
  });
  return {
    sampleIndex: si,
    sampleType: profile.sampleTypes[si]!,
    total,
    shownFlat: running,
    droppedNodes,
    droppedCutoff: Math.abs(trunc(total * nodeFraction)),
    sort,
    nodesAfterCutoff,
    rows,
  };
}

/**
 * Per frame: bit 1 = has an inlined incoming edge, bit 2 = has a regular one, computed on the
 * trimmed graph as pprof rebuilds it (`graph.go newGraph` with KeptNodes): dropped frames are
 * skipped, an edge's Inline flag is true only if every sample's first traversal of it was inlined,
 * and edges with |weight| < edgeCutoff are removed (`TrimLowFrequencyEdges`).
 */
function inlineLabels(profile: Profile, index: FrameIndex, si: number, kept: readonly number[], edgeCutoff: number): Uint8Array {
  const n = index.names.length;
  const out = new Uint8Array(n);
  const { values, count, stackLocations } = profile.samples;
  const { locOffsets, locFrames, sampleStart, sampleEnd } = index;
  const nLoc = locOffsets.length - 1;
  // Only frames that occur inlined somewhere (not the last line of a location) can get a label, so
  // only their incoming edges matter, and only samples whose stack touches one of them.
  const rank = new Int32Array(n).fill(-1);
  kept.forEach((f, i) => { rank[f] = i; });
  const candidate = new Uint8Array(kept.length);
  for (let loc = 0; loc < nLoc; loc++) {
    for (let j = locOffsets[loc]!; j < locOffsets[loc + 1]! - 1; j++) {
      const r = rank[locFrames[j]!]!;
      if (r >= 0) candidate[r] = 1;
    }
  }
  if (!candidate.includes(1)) return out;
  const locHasCandidate = new Uint8Array(nLoc);
  for (let loc = 0; loc < nLoc; loc++) {
    for (let j = locOffsets[loc]!; j < locOffsets[loc + 1]!; j++) {
      const r = rank[locFrames[j]!]!;
      if (r >= 0 && candidate[r]) locHasCandidate[loc] = 1;
    }
  }
  // Edges are keyed by (rank of parent, rank of child) among kept frames: a dense matrix when the
  // table is small (the usual case), a Map otherwise.
  const k2 = kept.length;
  const dense = k2 * k2 <= 1 << 22 ? new Int32Array(k2 * k2).fill(-1) : undefined;
  const sparse = new Map<number, number>();
  const weight: number[] = [];
  const allInline: boolean[] = [];
  const dest: number[] = [];
  const lastSample: number[] = [];
  const stride = profile.sampleTypes.length;
  samples: for (let s = 0; s < count; s++) {
    const w = values[s * stride + si]!;
    if (w === 0) continue;
    for (let k = sampleStart[s]!; ; k++) {
      if (k >= sampleEnd[s]!) continue samples;
      if (locHasCandidate[stackLocations[k]!]) break;
    }
    let parent = -1;
    for (let k = sampleEnd[s]! - 1; k >= sampleStart[s]!; k--) {
      const loc = stackLocations[k]!;
      const first = locOffsets[loc]!;
      const last = locOffsets[loc + 1]! - 1;
      for (let j = last; j >= first; j--) {
        const r = rank[locFrames[j]!]!;
        if (r < 0) continue;
        if (parent >= 0 && r !== parent && candidate[r]) {
          const key = parent * k2 + r;
          let slot = dense ? dense[key]! : (sparse.get(key) ?? -1);
          const isInline = j !== last; // graph.go: `ni != len(locNodes)-1`
          if (slot < 0) {
            slot = weight.length;
            if (dense) dense[key] = slot;
            else sparse.set(key, slot);
            weight.push(w);
            allInline.push(isInline);
            dest.push(kept[r]!);
            lastSample.push(s);
          } else if (lastSample[slot] !== s) { // once per sample (graph.go seenEdge)
            lastSample[slot] = s;
            weight[slot]! += w;
            if (!isInline) allInline[slot] = false;
          }
        }
        parent = r;
      }
    }
  }
  for (let e = 0; e < weight.length; e++) {
    if (Math.abs(weight[e]!) < edgeCutoff) continue;
    out[dest[e]!]! |= allInline[e] ? 1 : 2;
  }
  return out;
}
