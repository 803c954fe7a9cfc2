// Pixel layout for a flame graph (pure; the canvas component only draws what this returns).
//
// Given the tree, a zoom node and a width, returns one rectangle per visible node. A node narrower
// than `minWidthPx` is skipped together with its whole subtree (its descendants can only be
// narrower), so the work is bounded by what can be seen, not by the tree size: a 100k+ node tree
// zoomed out lays out a few thousand rectangles. Ancestors of the zoom node are drawn full width
// above it, as in pprof's and speedscope's flame graphs.
import type { FlameGraph } from './flame';

export interface FlameRect {
  x: number;
  width: number;
  /** Row: the node's depth in the full tree (the root is row 0). */
  depth: number;
  nodeIndex: number;
}

/** Rectangles in columnar form; index `i < count`. Ancestors of the zoom node come first. */
export interface FlameLayout {
  count: number;
  x: Float64Array;
  width: Float64Array;
  depth: Int32Array;
  nodeIndex: Int32Array;
  /** How many leading rectangles are the zoom node's ancestors (full-width context rows). */
  ancestorCount: number;
  /** Nodes skipped (each with its subtree) for being narrower than minWidthPx. */
  skipped: number;
  /** Pixels per unit of value at this zoom. */
  scale: number;
}

export interface FlameLayoutOptions {
  /** Node to fill the width with (default 0, the root). */
  zoomNode?: number;
  width: number;
  /** Default 0.5 px. */
  minWidthPx?: number;
  /** Stop below this depth (rows), e.g. what fits the viewport. Default: no limit. */
  maxDepth?: number;
}

export function layoutFlameGraph(g: FlameGraph, options: FlameLayoutOptions): FlameLayout {
  const zoom = options.zoomNode ?? 0;
  if (!Number.isInteger(zoom) || zoom < 0 || zoom >= g.count) throw new RangeError(`zoom node ${zoom} is not in the flame graph (0..${g.count - 1})`);
  const width = Math.max(0, options.width);
  const minWidth = options.minWidthPx ?? 0.5;
  const maxDepth = options.maxDepth ?? Number.POSITIVE_INFINITY;
  const zoomTotal = Math.max(0, g.total[zoom]!);
  const scale = zoomTotal > 0 ? width / zoomTotal : 0;

  let cap = 256;
  let x = new Float64Array(cap);
  let w = new Float64Array(cap);
  let depth = new Int32Array(cap);
  let nodeIndex = new Int32Array(cap);
  let count = 0;
  const push = (rx: number, rw: number, d: number, node: number): void => {
    if (count === cap) {
      cap *= 2;
      const grow = <T extends Float64Array | Int32Array>(a: T, make: (n: number) => T): T => { const b = make(cap); b.set(a); return b; };
      x = grow(x, (n) => new Float64Array(n));
      w = grow(w, (n) => new Float64Array(n));
      depth = grow(depth, (n) => new Int32Array(n));
      nodeIndex = grow(nodeIndex, (n) => new Int32Array(n));
    }
    x[count] = rx;
    w[count] = rw;
    depth[count] = d;
    nodeIndex[count] = node;
    count++;
  };

  // Context rows: the zoom node's ancestors, full width.
  const ancestors: number[] = [];
  for (let a = g.parent[zoom]!; a >= 0; a = g.parent[a]!) ancestors.push(a);
  for (let i = ancestors.length - 1; i >= 0; i--) {
    const a = ancestors[i]!;
    if (g.depth[a]! <= maxDepth) push(0, width, g.depth[a]!, a);
  }
  const ancestorCount = count;

  // nextX[d]: where the next child at relative depth d starts. Pre-order visits a node's earlier
  // siblings (and their subtrees) before it, so one slot per depth is enough.
  const base = g.depth[zoom]!;
  const nextX = new Float64Array(g.maxDepth - base + 2);
  let skipped = 0;
  const stop = g.end[zoom]!;
  for (let i = zoom; i < stop;) {
    const d = g.depth[i]! - base;
    const rw = Math.max(0, g.total[i]!) * scale;
    const rx = i === zoom ? 0 : nextX[d]!;
    nextX[d] = rx + rw;
    if (rw < minWidth || g.depth[i]! > maxDepth) {
      if (rw < minWidth) skipped++;
      i = g.end[i]!; // the whole subtree is narrower still
      continue;
    }
    push(rx, rw, g.depth[i]!, i);
    nextX[d + 1] = rx; // children start at the parent's left edge
    i++;
  }
  return {
    count, x: x.subarray(0, count), width: w.subarray(0, count), depth: depth.subarray(0, count),
    nodeIndex: nodeIndex.subarray(0, count), ancestorCount, skipped, scale,
  };
}

export function flameRectAt(layout: FlameLayout, i: number): FlameRect {
  return { x: layout.x[i]!, width: layout.width[i]!, depth: layout.depth[i]!, nodeIndex: layout.nodeIndex[i]! };
}

/** The rectangle under a point (for hover/click), or -1. Rows are `rowHeight` px, row 0 on top. */
export function hitTestFlame(layout: FlameLayout, px: number, py: number, rowHeight: number): number {
  const row = Math.floor(py / rowHeight);
  for (let i = 0; i < layout.count; i++) {
    if (layout.depth[i] !== row) continue;
    const x0 = layout.x[i]!;
    if (px >= x0 && px < x0 + layout.width[i]!) return layout.nodeIndex[i]!;
  }
  return -1;
}
