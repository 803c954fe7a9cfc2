// Groups goroutines by stack signature, the way panicparse's Aggregate buckets them
// (stack/bucket.go): same state, same lock-to-thread flag, same frames compared by function and
// file:line (argument values ignored), same `created by`. Goroutines are added one at a time, so the
// grouper can sit directly behind the streaming parser and never hold the goroutines themselves.
import { topFrameIndex } from '../known-issues/match';
import type { ParsedGoroutine } from '../parse/goroutine-dump';

/** A frame reduced to what identifies it: function and source position. */
export interface StackLocation {
  function: string;
  file: string;
  line: number;
}

export interface GoroutineGroup {
  /** State, lock flag, labels, frames and creator as text; equal within and across dumps of one binary. */
  signature: string;
  /** Frames without `runtime.*` ones, as text: matches the same stack across debug=1/debug=2 and GOTRACEBACK levels. */
  stackKey: string;
  count: number;
  /** Wait reason or status; null for debug=1 dumps, which do not print it. */
  state: string | null;
  lockedToThread: boolean;
  /** Minutes waiting as printed by the runtime (whole minutes, 0 below one minute). */
  minutes: { min: number; median: number; max: number };
  frames: StackLocation[];
  /** First frame that is not wait plumbing (`runtime.*`, `sync.runtime_*`, …): what the goroutine is doing in user terms. */
  topFrame: StackLocation | null;
  createdBy: StackLocation | null;
  /** A few goroutine ids, in dump order (empty for debug=1). */
  sampleIds: number[];
  /** debug=1 pprof labels. */
  labels: string | null;
  framesElided: boolean;
  stackUnavailable: boolean;
}

const SAMPLE_IDS = 5;

interface Bucket {
  state: string | null;
  lockedToThread: boolean;
  labels: string | null;
  frames: number[];
  creator: number;
  elided: boolean;
  unavailable: boolean;
  count: number;
  /** minutes → goroutines; few distinct values per group, so this stays tiny. */
  minutes: Map<number, number>;
  ids: number[];
}

/**
 * Copies a string so it no longer points into the parser's chunk: V8 represents `slice()` results
 * of 13+ characters as views of their parent, which would keep every 64 KB chunk that contributed
 * a group's first frames alive for the life of the grouper.
 */
function detach(s: string): string {
  return s.length < 13 ? s : (' ' + s).slice(1);
}

function isRuntime(fn: string): boolean {
  return fn.startsWith('runtime.');
}

export function formatLocation(l: StackLocation): string {
  return l.file === '' ? l.function : `${l.function} ${l.file}:${l.line}`;
}

// Hot path: this runs for every frame of every goroutine (~1M frames for a 100k dump). Locations are
// interned through a map keyed by function name (then a short scan over file/line), and buckets
// through a numeric hash of location ids, so no per-frame or per-goroutine key string is built.
export class GoroutineGrouper {
  private readonly locations: StackLocation[] = [];
  private readonly locationsByFunction = new Map<string, Array<{ file: string; line: number; id: number }>>();
  private readonly strings = new Map<string, string>();
  private readonly buckets = new Map<number, Bucket[]>();
  private readonly order: Bucket[] = [];
  private goroutines = 0;

  /** Goroutines added so far (sum of record counts). */
  get total(): number {
    return this.goroutines;
  }

  private intern(s: string): string {
    let v = this.strings.get(s);
    if (v === undefined) {
      v = detach(s);
      this.strings.set(v, v);
    }
    return v;
  }

  private locationId(fn: string, file: string, line: number): number {
    let list = this.locationsByFunction.get(fn);
    if (list === undefined) {
      list = [];
      this.locationsByFunction.set(this.intern(fn), list);
    }
    for (const e of list) if (e.line === line && e.file === file) return e.id;
    const id = this.locations.length;
    const loc = { function: this.intern(fn), file: this.intern(file), line };
    this.locations.push(loc);
    list.push({ file: loc.file, line, id });
    return id;
  }

  add(g: ParsedGoroutine): void {
    this.goroutines += g.count;
    const n = g.frames.length;
    const ids: number[] = new Array<number>(n);
    const state = g.state === null ? null : this.intern(g.state);
    const labels = g.labels === null ? null : this.intern(g.labels);
    const elided = g.elided !== null;
    // FNV-1a over the location ids; collisions are resolved by comparing the buckets' fields.
    let h = 0x811c9dc5;
    for (let i = 0; i < n; i++) {
      const f = g.frames[i]!;
      const id = this.locationId(f.function, f.file, f.line);
      ids[i] = id;
      h = Math.imul(h ^ id, 0x01000193);
    }
    const c = g.createdBy;
    const creator = c ? this.locationId(c.function, c.file, c.line) : -1;
    h = Math.imul(h ^ (creator + 1), 0x01000193);
    h = Math.imul(h ^ n, 0x01000193);
    let list = this.buckets.get(h);
    let b: Bucket | undefined;
    if (list === undefined) {
      list = [];
      this.buckets.set(h, list);
    } else {
      for (const x of list) {
        if (x.state === state && x.lockedToThread === g.lockedToThread && x.labels === labels && x.creator === creator &&
          x.elided === elided && x.unavailable === g.stackUnavailable && sameIds(x.frames, ids)) {
          b = x;
          break;
        }
      }
    }
    if (!b) {
      b = {
        state, lockedToThread: g.lockedToThread, labels, frames: ids, creator, elided,
        unavailable: g.stackUnavailable, count: 0, minutes: new Map(), ids: [],
      };
      list.push(b);
      this.order.push(b);
    }
    b.count += g.count;
    b.minutes.set(g.minutes, (b.minutes.get(g.minutes) ?? 0) + g.count);
    if (g.id !== null && b.ids.length < SAMPLE_IDS) b.ids.push(g.id);
  }

  /** The groups, largest first (ties: state, then top function, for a stable order). */
  groups(): GoroutineGroup[] {
    const out: GoroutineGroup[] = [];
    for (const b of this.order) out.push(this.toGroup(b));
    return sortGroups(out);
  }

  private toGroup(b: Bucket): GoroutineGroup {
    const frames = b.frames.map((id) => this.locations[id]!);
    const createdBy = b.creator >= 0 ? this.locations[b.creator]! : null;
    const topFrame = frames[topFrameIndex(frames)] ?? null;
    const head = `${b.state ?? '?'}${b.lockedToThread ? ', locked to thread' : ''}${b.labels ? ` ${b.labels}` : ''}`;
    const body = frames.map(formatLocation).join('\n');
    const tail = `${b.elided ? '\n...' : ''}${b.unavailable ? '\n(stack unavailable)' : ''}${createdBy ? `\ncreated by ${formatLocation(createdBy)}` : ''}`;
    return {
      signature: `${head}\n${body}${tail}`,
      stackKey: stackKeyOf(frames),
      count: b.count,
      state: b.state,
      lockedToThread: b.lockedToThread,
      minutes: minuteStats(b.minutes, b.count),
      frames,
      topFrame,
      createdBy,
      sampleIds: b.ids,
      labels: b.labels,
      framesElided: b.elided,
      stackUnavailable: b.unavailable,
    };
  }
}

function sameIds(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Frames without runtime ones, so the same stack matches across formats and GOTRACEBACK levels. */
export function stackKeyOf(frames: readonly StackLocation[]): string {
  return frames.filter((f) => !isRuntime(f.function)).map(formatLocation).join('\n');
}

function minuteStats(hist: Map<number, number>, count: number): GoroutineGroup['minutes'] {
  const keys = [...hist.keys()].sort((a, b) => a - b);
  const half = Math.ceil(count / 2);
  let seen = 0;
  let median = keys[0] ?? 0;
  for (const k of keys) {
    seen += hist.get(k) ?? 0;
    if (seen >= half) {
      median = k;
      break;
    }
  }
  return { min: keys[0] ?? 0, median, max: keys[keys.length - 1] ?? 0 };
}

export function sortGroups(groups: GoroutineGroup[]): GoroutineGroup[] {
  return groups.sort(
    (a, b) =>
      b.count - a.count ||
      (a.state ?? '').localeCompare(b.state ?? '') ||
      (a.topFrame?.function ?? '').localeCompare(b.topFrame?.function ?? '') ||
      (a.signature < b.signature ? -1 : a.signature > b.signature ? 1 : 0),
  );
}

/** Groups goroutines held in memory (e.g. parseGoroutineDump().goroutines). */
export function groupGoroutines(goroutines: Iterable<ParsedGoroutine>): GoroutineGroup[] {
  const grouper = new GoroutineGrouper();
  for (const g of goroutines) grouper.add(g);
  return grouper.groups();
}
