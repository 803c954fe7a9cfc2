// Function-level frames of a profile, the way `go tool pprof` sees them by default.
//
// pprof's default granularity is "functions" (`internal/driver/config.go`: Granularity "functions",
// NoInlines false). `internal/driver/driver.go aggregate` then calls
// `profile.Aggregate(inlineFrame=true, function=true, filename=false, linenumber=false, address=false)`,
// so every Line of a Location (inlined frames included) becomes one node keyed by its function name
// (`internal/graph/graph.go nodeInfo`): frames of the same function merge wherever they occur.
// A line without a named function is keyed by its mapping's file (printed "[file]") or "<unknown>"
// (`graph.go NameComponents`).
//
// Before reporting, pprof prunes frames matching the profile's drop_frames/keep_frames regexps
// (`internal/driver/fetch.go` → `profile/prune.go RemoveUninteresting/Prune`); Go's runtime never
// sets them, other producers may. `buildFrameIndex` applies the same pruning.
import type { Profile } from '../parse/pprof';

export interface FrameIndex {
  /** Printable node names (pprof `NodeInfo.PrintableName` at functions granularity), by frame id. */
  names: string[];
  /** Location i's frames are `locFrames[locOffsets[i] .. locOffsets[i+1])`, innermost first. */
  locOffsets: Uint32Array;
  locFrames: Uint32Array;
  /** Sample i's (possibly pruned) stack is `stackLocations[sampleStart[i] .. sampleEnd[i])`. */
  sampleStart: Uint32Array;
  sampleEnd: Uint32Array;
}

const indexCache = new WeakMap<Profile, FrameIndex>();

/** Frames of a profile; cached per profile object (profiles are treated as immutable). */
export function buildFrameIndex(profile: Profile): FrameIndex {
  const cached = indexCache.get(profile);
  if (cached) return cached;
  const { functions, mappings, locations, samples } = profile;
  const ids = new Map<string, number>();
  const names: string[] = [];
  const frameOf = (key: string, name: string): number => {
    let id = ids.get(key);
    if (id === undefined) {
      id = names.length;
      ids.set(key, id);
      names.push(name);
    }
    return id;
  };
  const funcFrame = new Int32Array(functions.length).fill(-1);
  const objFrame = (mappingIndex: number, startLine: number): number => {
    const file = mappingIndex >= 0 ? (mappings[mappingIndex]?.filename ?? '') : '';
    return frameOf(`\0${file}\0${startLine}`, file !== '' ? `[${baseName(file)}]` : '<unknown>');
  };

  const prune = compilePrune(profile);
  const pruneLoc = prune ? new Uint8Array(locations.length) : undefined; // 1 prune, 2 prune beneath

  const locOffsets = new Uint32Array(locations.length + 1);
  const frames: number[] = [];
  for (let li = 0; li < locations.length; li++) {
    const loc = locations[li]!;
    let lines = loc.lines;
    if (prune && pruneLoc) {
      // profile/prune.go Prune: scan from the caller (last line) inwards for a dropped frame.
      let i = lines.length - 1;
      for (; i >= 0; i--) {
        const fn = functions[lines[i]!.functionIndex];
        if (fn && fn.name !== '' && prune.matches(fn.name)) break;
      }
      if (i >= 0) {
        pruneLoc[li] = i === lines.length - 1 ? 1 : 2;
        if (i < lines.length - 1) lines = lines.slice(i + 1);
      }
    }
    locOffsets[li] = frames.length;
    if (lines.length === 0) frames.push(objFrame(loc.mappingIndex, 0));
    for (const line of lines) {
      const fi = line.functionIndex;
      let f = funcFrame[fi]!;
      if (f < 0) {
        const fn = functions[fi]!;
        f = fn.name !== '' ? frameOf(`f${fn.name}`, fn.name) : objFrame(loc.mappingIndex, fn.startLine);
        // Unnamed functions are keyed by mapping too, so only cache named ones.
        if (fn.name !== '') funcFrame[fi] = f;
      }
      frames.push(f);
    }
  }
  locOffsets[locations.length] = frames.length;

  const sampleStart = new Uint32Array(samples.count);
  const sampleEnd = new Uint32Array(samples.count);
  for (let s = 0; s < samples.count; s++) {
    let start = samples.stackOffsets[s]!;
    const end = samples.stackOffsets[s + 1]!;
    if (pruneLoc) {
      // Scan from the root towards the leaf; never prune before the first frame we keep.
      let foundUser = false;
      for (let k = end - 1; k >= start; k--) {
        const mark = pruneLoc[samples.stackLocations[k]!]!;
        if (mark === 0) { foundUser = true; continue; }
        if (!foundUser) continue;
        start = mark === 1 ? k + 1 : k;
        break;
      }
    }
    sampleStart[s] = start;
    sampleEnd[s] = end;
  }
  const index: FrameIndex = { names, locOffsets, locFrames: Uint32Array.from(frames), sampleStart, sampleEnd };
  indexCache.set(profile, index);
  return index;
}

/** pprof `computeTotal`: the sum of |value| over all samples. */
export function sampleTotal(profile: Profile, sampleIndex: number): number {
  const { values, count } = profile.samples;
  const stride = profile.sampleTypes.length;
  let total = 0;
  for (let s = 0; s < count; s++) total += Math.abs(values[s * stride + sampleIndex]!);
  return total;
}

export interface FrameStats {
  /** Value of samples whose leaf frame is this frame (pprof flat). */
  flat: Float64Array;
  /** Value of samples with this frame anywhere on the stack, once per sample (pprof cum). */
  cum: Float64Array;
}

/** Flat and cum per frame, as pprof `graph.go newGraph` accumulates them. */
export function computeFrameStats(profile: Profile, index: FrameIndex, sampleIndex: number): FrameStats {
  const n = index.names.length;
  const flat = new Float64Array(n);
  const cum = new Float64Array(n);
  const seen = new Int32Array(n).fill(-1);
  const { values, count, stackLocations } = profile.samples;
  const { locOffsets, locFrames, sampleStart, sampleEnd } = index;
  const stride = profile.sampleTypes.length;
  for (let s = 0; s < count; s++) {
    const w = values[s * stride + sampleIndex]!;
    if (w === 0) continue; // graph.go: samples with zero weight are skipped
    let leaf = -1;
    for (let k = sampleEnd[s]! - 1; k >= sampleStart[s]!; k--) {
      const loc = stackLocations[k]!;
      for (let j = locOffsets[loc + 1]! - 1; j >= locOffsets[loc]!; j--) {
        const f = locFrames[j]!;
        if (seen[f] !== s) {
          seen[f] = s;
          cum[f]! += w;
        }
        leaf = f;
      }
    }
    if (leaf >= 0) flat[leaf]! += w;
  }
  return { flat, cum };
}

/**
 * Go orders strings by UTF-8 bytes, which is code point order; JS `<` compares UTF-16 units.
 * They differ only for astral characters vs U+E000–U+FFFF; this matches Go exactly.
 */
export function compareGoStrings(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const x = a.charCodeAt(i);
    const y = b.charCodeAt(i);
    if (x !== y) {
      const fx = x >= 0xd800 && x <= 0xdfff ? x + 0x10000 : x;
      const fy = y >= 0xd800 && y <= 0xdfff ? y + 0x10000 : y;
      return fx - fy;
    }
  }
  return a.length - b.length;
}

function baseName(path: string): string {
  // Go filepath.Base on Unix paths: drop trailing slashes, keep the last element.
  const trimmed = path.replace(/\/+$/, '');
  if (trimmed === '') return path === '' ? '.' : '/';
  return trimmed.slice(trimmed.lastIndexOf('/') + 1);
}

interface Prune {
  matches(name: string): boolean;
}

function compilePrune(profile: Profile): Prune | undefined {
  if (profile.dropFrames === '') return undefined;
  let drop: RegExp;
  let keep: RegExp | undefined;
  try {
    // prune.go: regexp.Compile("^(" + DropFrames + ")$"). RE2 and JS syntax agree for the usual
    // alternations of names; if JS rejects the pattern we prune nothing, as pprof's fetch.go ignores
    // RemoveUninteresting's error.
    drop = new RegExp(`^(${profile.dropFrames})$`, 'u');
    if (profile.keepFrames !== '') keep = new RegExp(`^(${profile.keepFrames})$`, 'u');
  } catch {
    return undefined;
  }
  return {
    matches(name: string): boolean {
      const f = simplifyFunc(name);
      return drop.test(f) && !(keep?.test(f) ?? false);
    },
  };
}

const RESERVED = ['(anonymous namespace)', 'operator()'];
const BRACKET_RX = /\(anonymous namespace\)|operator\(\)|\(/g;

/** prune.go simplifyFunc: strip a leading "." and an argument list starting at the first "(". */
export function simplifyFunc(f: string): string {
  let name = f.startsWith('.') ? f.slice(1) : f;
  BRACKET_RX.lastIndex = 0;
  for (const m of name.matchAll(BRACKET_RX)) {
    if (!RESERVED.includes(m[0])) {
      name = name.slice(0, m.index);
      break;
    }
  }
  return name;
}
