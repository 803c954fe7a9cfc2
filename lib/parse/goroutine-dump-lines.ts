// Line-level grammar of Go goroutine dumps: one pure function per line shape. The state machine
// that strings them together lives in goroutine-dump.ts. Each rule cites where the runtime prints it
// (Go 1.19 `src/runtime/traceback.go`, `src/runtime/pprof/pprof.go`) and how panicparse
// (`stack/context.go`) reads it; see also shared/reference/control-plane-facts.md §6.
//
// These functions run once per line of dumps of 100+ MB, so they use indexOf/charCodeAt instead of
// regular expressions on the hot paths (header, function, file lines).

/** A parsed goroutine header line. */
export interface GoroutineHeader {
  id: number;
  /** Wait reason or status, without ` (scan)`, e.g. `chan send`, `select`, `running`. */
  state: string;
  /** The status carried the GC ` (scan)` bit (traceback.go goroutineheader). */
  scan: boolean;
  /** `, N minutes`; 0 when not printed (waiting less than one minute, or not waiting). */
  minutes: number;
  /** `, locked to thread` (runtime.LockOSThread). */
  lockedToThread: boolean;
}

/** A parsed `\t<file>:<line>[ +0x<off>][ fp=… sp=… pc=…]` line. */
export interface FileLine {
  file: string;
  line: number;
  /** PC offset from the function entry; -1 when not printed (inlined frames). */
  offset: number;
  /** `pc=0x…` when printed (GOTRACEBACK>=system or cgo frames); '' otherwise. */
  pc: string;
}

const HEADER_PREFIX = 'goroutine ';
const MINUTES_SUFFIX = ' minutes';
const LOCKED = 'locked to thread';
const SCAN_SUFFIX = ' (scan)';

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Parses a run of decimal digits in s[from, to); -1 if empty or not all digits. */
function parseDecimal(s: string, from: number, to: number): number {
  if (from >= to) return -1;
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (!isDigit(c)) return -1;
    n = n * 10 + (c - 48);
  }
  return n;
}

/**
 * Header, from traceback.go goroutineheader:
 *   "goroutine " <goid> [" gp=" <ptr> " m=" <mid|nil> [" mp=" <ptr>]] " [" <status> [" (scan)"]
 *   [", " <N> " minutes"] [", locked to thread"] "]:"
 * The gp/m/mp part is Go 1.23+ and only under throw or GOTRACEBACK>=system; panicparse's
 * reRoutineHeader `^([ \t]*)goroutine (\d+)(?: gp=[^ ]+ m=[^ ]+(?: mp=[^ ]+)?)? \[([^\]]+)\]:$`.
 * Unknown `, …` parts (newer runtimes) are ignored rather than rejected.
 * Returns null when the line is not a header.
 */
export function parseHeader(line: string): GoroutineHeader | null {
  if (!line.startsWith(HEADER_PREFIX) || !line.endsWith(']:')) return null;
  let i = HEADER_PREFIX.length;
  const idStart = i;
  while (i < line.length && isDigit(line.charCodeAt(i))) i++;
  const id = parseDecimal(line, idStart, i);
  if (id < 0) return null;
  const open = line.indexOf(' [', i);
  if (open < 0) return null;
  if (open !== i && !line.startsWith(' gp=', i)) return null;
  const inner = line.slice(open + 2, line.length - 2);
  let comma = inner.indexOf(', ');
  let state = comma < 0 ? inner : inner.slice(0, comma);
  let scan = false;
  if (state.endsWith(SCAN_SUFFIX)) {
    scan = true;
    state = state.slice(0, state.length - SCAN_SUFFIX.length);
  }
  if (state.length === 0) return null;
  let minutes = 0;
  let lockedToThread = false;
  while (comma >= 0) {
    const from = comma + 2;
    comma = inner.indexOf(', ', from);
    const to = comma < 0 ? inner.length : comma;
    if (inner.startsWith(LOCKED, from) && to - from === LOCKED.length) {
      lockedToThread = true;
    } else if (inner.startsWith(MINUTES_SUFFIX, to - MINUTES_SUFFIX.length)) {
      // panicparse reMinutes `^(\d+) minutes$`.
      const n = parseDecimal(inner, from, to - MINUTES_SUFFIX.length);
      if (n >= 0) minutes = n;
    }
  }
  return { id, state, scan, minutes, lockedToThread };
}

/**
 * File line of a frame or of `created by` (traceback.go traceback2/printcreatedby1):
 *   "\t" <file> ":" <line> [" +0x" <off>] [" fp=0x… sp=0x… pc=0x…"]
 * and of symbolized cgo frames (printOneCgoTraceback): "\t" [<file> ":" <line> " "] "pc=0x…".
 * The file/line separator is the last ':' (Windows paths have a drive colon; the suffixes have
 * none). Returns null if the line does not have that shape.
 */
export function parseFileLine(line: string): FileLine | null {
  if (line.charCodeAt(0) !== 9 /* \t */) return null;
  const colon = line.lastIndexOf(':');
  if (colon <= 1) {
    // cgo frame without file information: "\tpc=0x…".
    if (line.startsWith('\tpc=0x')) return { file: '', line: 0, offset: -1, pc: line.slice(4) };
    return null;
  }
  let i = colon + 1;
  while (i < line.length && isDigit(line.charCodeAt(i))) i++;
  const lineNo = parseDecimal(line, colon + 1, i);
  if (lineNo < 0 || (i < line.length && line.charCodeAt(i) !== 32)) return null;
  let offset = -1;
  let pc = '';
  if (i < line.length) {
    if (line.startsWith(' +0x', i)) {
      const start = i + 4;
      let j = start;
      while (j < line.length && line.charCodeAt(j) !== 32) j++;
      offset = parseInt(line.slice(start, j), 16);
      if (Number.isNaN(offset)) return null;
      i = j;
    }
    const pcAt = line.indexOf(' pc=', i);
    if (pcAt >= 0) pc = line.slice(pcAt + 4);
    else if (line.startsWith('pc=', i + 1)) pc = line.slice(i + 4);
  }
  return { file: line.slice(1, colon), line: lineNo, offset, pc };
}

/**
 * Function line of a frame: `<func>(<args>)` (traceback2 printArgs). The argument list is the
 * last parenthesised group: arguments are hex words, `{…}` aggregates, `...` and `?` marks, never
 * parentheses, while names may contain them (`pkg.(*T).M`, generics `F[...]`). A line without a
 * trailing `)` is a cgo symbolizer name (printOneCgoTraceback prints no parentheses).
 */
export function splitFunctionLine(line: string): { fn: string; args: string | undefined } {
  if (line.charCodeAt(line.length - 1) === 41 /* ) */) {
    const open = line.lastIndexOf('(');
    if (open > 0) return { fn: line.slice(0, open), args: line.slice(open + 1, line.length - 1) };
  }
  return { fn: line, args: undefined };
}

const ELIDED_OLD = '...additional frames elided...';

/**
 * Elision marker (traceback.go): Go <= 1.20 prints `...additional frames elided...` after 100
 * frames; Go >= 1.21 prints `...N frames elided...` between the inner and outer 50 frames
 * (panicparse isFramesElidedLine accepts both). Returns null when not a marker, else the number of
 * elided frames (null when not printed). The marker is not reliable: Go <= 1.20 stops after 100
 * frames counting hidden runtime ones but prints the marker only if 100 were printed (gentraceback
 * returns nprint), so a default dump can cut a deep stack at ~97 frames with no marker
 * (testdata/goroutines/go1.19, main.recurse).
 */
export function parseElided(line: string): { count: number | null } | null {
  if (line === ELIDED_OLD) return { count: null };
  if (line.startsWith('...') && line.endsWith(' frames elided...')) {
    const n = parseDecimal(line, 3, line.length - ' frames elided...'.length);
    if (n >= 0) return { count: n };
  }
  return null;
}

const ORIGINATING = '[originating from goroutine ';

/** `[originating from goroutine N]:` (traceback.go printAncestorTraceback); returns N or -1. */
export function parseOriginating(line: string): number {
  if (!line.startsWith(ORIGINATING) || !line.endsWith(']:')) return -1;
  return parseDecimal(line, ORIGINATING.length, line.length - 2);
}

const CREATED_BY = 'created by ';
const IN_GOROUTINE = ' in goroutine ';

/**
 * `created by <func>[ in goroutine <parent>]` (printcreatedby1; the suffix is Go 1.21+, CL 435337;
 * panicparse stack/stack.go strips it). Returns null when not a created-by line.
 */
export function parseCreatedBy(line: string): { fn: string; parentId: number | null } | null {
  if (!line.startsWith(CREATED_BY)) return null;
  const at = line.lastIndexOf(IN_GOROUTINE);
  if (at > CREATED_BY.length) {
    const parent = parseDecimal(line, at + IN_GOROUTINE.length, line.length);
    if (parent >= 0) return { fn: line.slice(CREATED_BY.length, at), parentId: parent };
  }
  return { fn: line.slice(CREATED_BY.length), parentId: null };
}

/** `\tgoroutine running on other thread; stack unavailable` (traceback.go tracebackothers). */
export const STACK_UNAVAILABLE = '\tgoroutine running on other thread; stack unavailable';

const NON_GO_AT = 'non-Go function at pc=';

/** `non-Go function at pc=0x…` (printCgoTraceback without a symbolizer); returns the pc or null. */
export function parseNonGoFunction(line: string): string | null {
  return line.startsWith(NON_GO_AT) ? line.slice(NON_GO_AT.length) : null;
}

// ---- debug=1 (runtime/pprof/pprof.go printCountProfile + printStackRecord) ----

const PROFILE_PREFIX = 'goroutine profile: total ';

/** `goroutine profile: total N`; returns N, or -1 when the line is not that header. */
export function parseProfileHeader(line: string): number {
  if (!line.startsWith(PROFILE_PREFIX)) return -1;
  return parseDecimal(line, PROFILE_PREFIX.length, line.length);
}

/** `<count> @ 0x<pc> 0x<pc> …`; returns the count, or -1 when the line is not a record start. */
export function parseCountLine(line: string): number {
  const at = line.indexOf(' @');
  if (at <= 0) return -1;
  const n = parseDecimal(line, 0, at);
  if (n < 0) return -1;
  // The rest is ` 0x…` words (possibly none for an empty stack).
  for (let i = at + 2; i < line.length; ) {
    if (!line.startsWith(' 0x', i)) return -1;
    i += 3;
    while (i < line.length && line.charCodeAt(i) !== 32) i++;
  }
  return n;
}

const LABELS_PREFIX = '# labels: ';

/** `# labels: {"k":"v", …}` (labelMap.String); returns the `{…}` text or null. */
export function parseLabelsLine(line: string): string | null {
  return line.startsWith(LABELS_PREFIX) ? line.slice(LABELS_PREFIX.length) : null;
}

/**
 * A debug=1 frame: `#\t0x<pc>\t<func>+0x<off>\t<file>:<line>`, or `#\t0x<pc>` when the PC has no
 * symbol. Columns pass through `tabwriter.NewWriter(w, 1, 8, 1, '\t', 0)`, so separators are one
 * or more TABs. Returns null when the line does not have that shape.
 */
export function parseCountFrame(line: string): { pc: string; fn: string; offset: number; file: string; line: number } | null {
  if (line.charCodeAt(0) !== 35 /* # */ || line.charCodeAt(1) !== 9) return null;
  const cols = line.split(/\t+/);
  const pc = cols[1];
  if (pc === undefined || !pc.startsWith('0x')) return null;
  if (cols.length === 2 || (cols.length === 3 && cols[2] === '')) return { pc, fn: '', offset: -1, file: '', line: 0 };
  const sym = cols[2];
  const loc = cols.slice(3).join('\t');
  if (sym === undefined || loc === '') return null;
  const plus = sym.lastIndexOf('+0x');
  const fn = plus > 0 ? sym.slice(0, plus) : sym;
  const offset = plus > 0 ? parseInt(sym.slice(plus + 3), 16) : -1;
  const colon = loc.lastIndexOf(':');
  const lineNo = colon > 0 ? parseDecimal(loc, colon + 1, loc.length) : -1;
  if (lineNo < 0 || Number.isNaN(offset)) return null;
  return { pc, fn, offset, file: loc.slice(0, colon), line: lineNo };
}
