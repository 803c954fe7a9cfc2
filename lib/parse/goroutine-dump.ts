// Streaming parser for Go goroutine dumps as served by `/debug/pprof/goroutine?debug=2` (the
// runtime.Stack(buf, true) traceback text) and `?debug=1` (the legacy count profile). The format is
// detected from the first non-blank line: debug=1 starts with `goroutine profile: total N`
// (runtime/pprof/pprof.go printCountProfile); anything else is read as traceback text, which also
// covers crash output (a `panic: …` preamble before the first header is skipped).
//
// The parser is a push parser: feed text with write(), finish with end(). It hands each completed
// goroutine (debug=2) or stack record (debug=1) to a callback and keeps nothing else, so a
// 100k-goroutine dump never needs more than one chunk plus one goroutine in memory. It never
// throws on input: unreadable lines become warnings with their line number.
//
// Truncation: pprof's writeGoroutineStacks grows its buffer up to 64 MiB and then stops with no
// marker (pprof.go), so a cut dump is exactly 64 MiB and usually ends mid-goroutine. We flag
// `truncated` when the text ends inside a frame, with a header that has no frames, with a final
// line that does not parse, or at exactly 64 MiB.
import {
  STACK_UNAVAILABLE,
  parseCountFrame,
  parseCountLine,
  parseCreatedBy,
  parseElided,
  parseFileLine,
  parseHeader,
  parseLabelsLine,
  parseNonGoFunction,
  parseOriginating,
  parseProfileHeader,
  splitFunctionLine,
} from './goroutine-dump-lines';
import type { GoroutineHeader } from './goroutine-dump-lines';

export type GoroutineDumpFormat = 'debug=2' | 'debug=1';

export interface GoroutineFrame {
  /** Function name without arguments, e.g. `main.(*T).run.func1`; `panic` for runtime.gopanic. */
  function: string;
  /** Source file as printed; '' when unknown (cgo frames, unsymbolized debug=1 PCs). */
  file: string;
  /** Source line; 0 when unknown. */
  line: number;
  /** Argument text inside the parentheses (`...` for inlined frames); undefined in debug=1. */
  args: string | undefined;
  /** `+0x…` offset from the function entry; -1 when not printed. */
  offset: number;
  /** Printed as an inlined frame: `(...)` arguments and no `+0x` offset (traceback2). */
  inlined: boolean;
}

export interface GoroutineCreator {
  function: string;
  file: string;
  line: number;
  /** Go 1.21+ ` in goroutine N`; null when not printed. */
  parentId: number | null;
}

/** Where frames were left out: `...additional frames elided...` or `...N frames elided...`. */
export interface FramesElided {
  /** Index in `frames` where the gap is (Go >= 1.21 prints 50 more frames after it). */
  at: number;
  /** Number of frames left out, when printed (Go >= 1.21). */
  count: number | null;
}

/** `[originating from goroutine N]:` section (GODEBUG=tracebackancestors=N). */
export interface GoroutineAncestor {
  id: number;
  frames: GoroutineFrame[];
  elided: FramesElided | null;
  createdBy: GoroutineCreator | null;
}

/** One goroutine (debug=2) or one stack record standing for `count` goroutines (debug=1). */
export interface ParsedGoroutine {
  /** Goroutine id; null for debug=1 records. */
  id: number | null;
  /** Goroutines this record stands for: 1 in debug=2, the leading count in debug=1. */
  count: number;
  /** Wait reason or status (`chan send`, `select`, `running`…); null in debug=1, which has none. */
  state: string | null;
  scan: boolean;
  /** Minutes waiting as printed (0 when absent, i.e. under a minute). */
  minutes: number;
  lockedToThread: boolean;
  frames: GoroutineFrame[];
  elided: FramesElided | null;
  createdBy: GoroutineCreator | null;
  ancestors: GoroutineAncestor[];
  /** `goroutine running on other thread; stack unavailable`. */
  stackUnavailable: boolean;
  /** debug=1 `# labels: {…}` text; null otherwise. */
  labels: string | null;
  /** The dump ended inside this goroutine. */
  partial: boolean;
  /** 1-based line of the header (debug=2) or count line (debug=1). */
  lineNumber: number;
}

export type GoroutineDumpWarningCode = 'truncated' | 'malformed-line' | 'total-mismatch' | 'no-goroutines' | 'too-many-warnings';

export interface GoroutineDumpWarning {
  code: GoroutineDumpWarningCode;
  /** 1-based line number, when the warning is about one line. */
  line: number | null;
  message: string;
}

export interface GoroutineDumpSummary {
  format: GoroutineDumpFormat | null;
  /** debug=1 `goroutine profile: total N`; null in debug=2. */
  declaredTotal: number | null;
  /** Goroutines parsed: sum of `count` over records. */
  total: number;
  /** Records handed to the callback (= total in debug=2). */
  records: number;
  truncated: boolean;
  warnings: GoroutineDumpWarning[];
  lines: number;
}

export interface GoroutineDump extends GoroutineDumpSummary {
  goroutines: ParsedGoroutine[];
}

export interface GoroutineDumpParserOptions {
  onGoroutine: (g: ParsedGoroutine) => void;
  /** Warnings kept; later ones are only counted (default 100). */
  maxWarnings?: number;
}

/** Longer lines are skipped with a warning; real frame lines are a few hundred characters. */
const MAX_LINE_CHARS = 1 << 20;

/** Size at which pprof stops growing the traceback buffer (pprof.go writeGoroutineStacks). */
export const PPROF_DEBUG2_LIMIT_BYTES = 64 << 20;

// What the next debug=2 line may be (plain constants: `const enum` does not survive isolatedModules).
const Expect = {
  /** Before the first header, or between goroutines. */
  Outside: 0,
  /** Inside a goroutine: a function line, created by, elision, ancestor or blank line. */
  Body: 1,
  /** After a function line: its file line. */
  FrameFile: 2,
  /** After `created by`: its file line. */
  CreatorFile: 3,
} as const;
type Expect = (typeof Expect)[keyof typeof Expect];

function emptyGoroutine(lineNumber: number): ParsedGoroutine {
  return {
    id: null, count: 1, state: null, scan: false, minutes: 0, lockedToThread: false, frames: [], elided: null,
    createdBy: null, ancestors: [], stackUnavailable: false, labels: null, partial: false, lineNumber,
  };
}

export class GoroutineDumpParser {
  private readonly onGoroutine: (g: ParsedGoroutine) => void;
  private readonly maxWarnings: number;
  private rest = '';
  private lineNo = 0;
  private chars = 0;
  private format: GoroutineDumpFormat | null = null;
  private declaredTotal: number | null = null;
  private total = 0;
  private records = 0;
  private truncated = false;
  private warnings: GoroutineDumpWarning[] = [];
  private droppedWarnings = 0;
  private ended = false;
  private skipping = false;
  /** The input starts with the gzip magic byte: most likely a debug=0 profile.proto. */
  private gzip = false;

  private expect: Expect = Expect.Outside;
  /** Parsing the final line, which had no '\n': a line that does not parse there was cut. */
  private atLastLine = false;
  private current: ParsedGoroutine | null = null;
  /** Ancestor section being filled, if any (frames go there instead of `current`). */
  private ancestor: GoroutineAncestor | null = null;
  private pendingFn = '';
  private pendingArgs: string | undefined = undefined;
  private pendingCreator: { fn: string; parentId: number | null } | null = null;
  /** A debug=2 header was seen: text outside goroutines is no longer a crash preamble. */
  private sawFirstGoroutine = false;

  constructor(options: GoroutineDumpParserOptions) {
    this.onGoroutine = options.onGoroutine;
    this.maxWarnings = options.maxWarnings ?? 100;
  }

  write(chunk: string): void {
    if (this.ended || chunk.length === 0) return;
    this.chars += chunk.length;
    if (this.skipping) {
      // Dropping the rest of an over-long line (see below).
      const nl = chunk.indexOf('\n');
      if (nl < 0) return;
      this.skipping = false;
      chunk = chunk.slice(nl + 1);
    }
    const buf = this.rest.length > 0 ? this.rest + chunk : chunk;
    let start = 0;
    for (;;) {
      const nl = buf.indexOf('\n', start);
      if (nl < 0) break;
      // Tolerate CRLF (a dump saved through a Windows editor); the runtime prints bare LF.
      const end = nl > start && buf.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
      this.lineNo++;
      this.line(buf.slice(start, end));
      start = nl + 1;
    }
    this.rest = start === 0 ? buf : buf.slice(start);
    if (this.rest.length > MAX_LINE_CHARS) {
      // No dump line is this long (binary input, or not a dump): warn once and skip to the next
      // newline instead of buffering, which would also make every write rescan the whole line.
      this.lineNo++;
      this.malformed(this.rest, `line longer than ${MAX_LINE_CHARS} characters skipped`);
      this.rest = '';
      this.skipping = true;
    }
  }

  /**
   * Flushes the last goroutine and returns what was parsed. `byteLength`, when the caller knows it
   * (file size, Content-Length), makes the 64 MiB truncation check exact for non-ASCII dumps.
   */
  end(info: { byteLength?: number } = {}): GoroutineDumpSummary {
    if (!this.ended) {
      this.ended = true;
      if (this.rest.length > 0) {
        // The runtime ends every line with '\n'; a final line without one was cut if it does not parse.
        const last = this.rest.endsWith('\r') ? this.rest.slice(0, -1) : this.rest;
        this.rest = '';
        this.lineNo++;
        this.atLastLine = true;
        this.line(last, true);
        this.atLastLine = false;
      }
      const bytes = info.byteLength ?? this.chars;
      if (bytes === PPROF_DEBUG2_LIMIT_BYTES && this.format === 'debug=2') {
        this.markTruncated('the dump is exactly 64 MiB, the size at which pprof stops writing goroutine stacks');
      }
      this.finishAtEof();
    }
    return {
      format: this.format, declaredTotal: this.declaredTotal, total: this.total, records: this.records,
      truncated: this.truncated, warnings: this.warnings, lines: this.lineNo,
    };
  }

  private finishAtEof(): void {
    if (this.format === 'debug=1') {
      if (this.current) {
        // printStackRecord ends every record with a blank line; none means the text was cut.
        this.markTruncated('the last stack record has no terminating blank line');
        this.current.partial = true;
        this.emit();
      }
      if (this.declaredTotal !== null && this.declaredTotal !== this.total) {
        this.warn('total-mismatch', null, `header says total ${this.declaredTotal}, records add up to ${this.total}`);
      }
    } else if (this.current) {
      const g = this.current;
      if (this.expect === Expect.FrameFile || this.expect === Expect.CreatorFile) {
        this.markTruncated(`the dump ends after a function line without its file line (goroutine ${g.id ?? '?'})`);
        g.partial = true;
      } else if (g.frames.length === 0 && !g.stackUnavailable && !g.createdBy) {
        this.markTruncated(`the dump ends after the header of goroutine ${g.id ?? '?'}`);
        g.partial = true;
      } else if (this.truncated) {
        g.partial = true;
      }
      this.emit();
    }
    if (this.records === 0) {
      const why = this.lineNo === 0 && this.chars === 0 ? 'empty input'
        : this.gzip ? 'gzip data, probably a debug=0 profile.proto: fetch ?debug=2 (or ?debug=1) instead'
        : 'no goroutine header or stack record found';
      this.warn('no-goroutines', null, why);
    }
    if (this.droppedWarnings > 0) {
      this.warnings.push({ code: 'too-many-warnings', line: null, message: `${this.droppedWarnings} more warnings not shown` });
    }
  }

  private markTruncated(message: string): void {
    if (this.truncated) return;
    this.truncated = true;
    this.warn('truncated', null, message);
  }

  private warn(code: GoroutineDumpWarningCode, line: number | null, message: string): void {
    // Only per-line warnings are capped; the once-per-dump ones (truncated…) always get through.
    if (code === 'malformed-line' && this.warnings.length >= this.maxWarnings) {
      this.droppedWarnings++;
      return;
    }
    this.warnings.push({ code, line, message });
  }

  private malformed(line: string, why: string): void {
    if (this.atLastLine) {
      this.markTruncated(`the dump ends inside line ${this.lineNo}`);
      return;
    }
    const shown = line.length > 120 ? `${line.slice(0, 120)}…` : line;
    this.warn('malformed-line', this.lineNo, `${why}: ${JSON.stringify(shown)}`);
  }

  private emit(): void {
    const g = this.current;
    if (!g) return;
    this.current = null;
    this.ancestor = null;
    this.total += g.count;
    this.records++;
    this.onGoroutine(g);
  }

  private line(line: string, last = false): void {
    if (this.format === null) {
      if (line.length === 0) return;
      if (line.charCodeAt(0) === 0x1f) this.gzip = true;
      const total = parseProfileHeader(line);
      if (total >= 0) {
        this.format = 'debug=1';
        this.declaredTotal = total;
        return;
      }
      this.format = 'debug=2';
    }
    if (this.format === 'debug=1') this.countLine(line);
    else this.tracebackLine(line, last);
  }

  // ---- debug=2 ----

  private tracebackLine(line: string, last: boolean): void {
    switch (this.expect) {
      case Expect.FrameFile: {
        const loc = parseFileLine(line);
        if (!loc) {
          if (last && line.startsWith('\t')) return this.malformed(line, 'cut file line');
          this.malformed(line, 'expected the file line of a frame');
          this.expect = Expect.Body;
          return this.tracebackLine(line, last);
        }
        const frames = this.ancestor ? this.ancestor.frames : this.current!.frames;
        frames.push({
          function: this.pendingFn, file: loc.file, line: loc.line, args: this.pendingArgs, offset: loc.offset,
          inlined: loc.offset < 0 && this.pendingArgs === '...',
        });
        this.expect = Expect.Body;
        return;
      }
      case Expect.CreatorFile: {
        const loc = parseFileLine(line);
        const c = this.pendingCreator!;
        if (!loc) {
          if (last && line.startsWith('\t')) return this.malformed(line, 'cut file line');
          this.malformed(line, 'expected the file line of `created by`');
          this.expect = Expect.Body;
          return this.tracebackLine(line, last);
        }
        const creator: GoroutineCreator = { function: c.fn, file: loc.file, line: loc.line, parentId: c.parentId };
        if (this.ancestor) this.ancestor.createdBy = creator;
        else this.current!.createdBy = creator;
        this.expect = Expect.Body;
        return;
      }
      case Expect.Outside: {
        if (line.length === 0) return;
        const h = parseHeader(line);
        if (h) return this.startGoroutine(h);
        // Text before the first header is a crash preamble (`panic: …`, `[signal …]`); after it,
        // stray text between goroutines is worth a warning.
        if (this.sawFirstGoroutine) this.malformed(line, 'text between goroutines');
        return;
      }
      case Expect.Body:
        return this.bodyLine(line, last);
    }
  }

  private startGoroutine(h: GoroutineHeader): void {
    this.sawFirstGoroutine = true;
    const g = emptyGoroutine(this.lineNo);
    g.id = h.id;
    g.state = h.state;
    g.scan = h.scan;
    g.minutes = h.minutes;
    g.lockedToThread = h.lockedToThread;
    this.current = g;
    this.expect = Expect.Body;
  }

  private bodyLine(line: string, last: boolean): void {
    const g = this.current!;
    if (line.length === 0) {
      this.emit();
      this.expect = Expect.Outside;
      return;
    }
    const c0 = line.charCodeAt(0);
    if (c0 === 9 /* \t */) {
      if (line === STACK_UNAVAILABLE) {
        g.stackUnavailable = true;
        return;
      }
      return this.malformed(line, last ? 'cut line' : 'file line without a function line');
    }
    if (c0 === 103 /* g */) {
      // A header right after a goroutine without the blank separator: accept, but note it.
      const h = parseHeader(line);
      if (h) {
        this.malformed(line, 'goroutine header without a preceding blank line');
        this.emit();
        return this.startGoroutine(h);
      }
    } else if (c0 === 99 /* c */) {
      const created = parseCreatedBy(line);
      if (created) {
        this.pendingCreator = created;
        this.expect = Expect.CreatorFile;
        return;
      }
    } else if (c0 === 46 /* . */) {
      const elided = parseElided(line);
      if (elided) {
        const target = this.ancestor ?? g;
        target.elided = { at: target.frames.length, count: elided.count };
        return;
      }
    } else if (c0 === 91 /* [ */) {
      const id = parseOriginating(line);
      if (id >= 0) {
        this.ancestor = { id, frames: [], elided: null, createdBy: null };
        g.ancestors.push(this.ancestor);
        return;
      }
    } else if (c0 === 110 /* n */) {
      const pc = parseNonGoFunction(line);
      if (pc !== null) {
        // printCgoTraceback: one line per C frame and no file line.
        (this.ancestor ?? g).frames.push({ function: 'non-Go function', file: '', line: 0, args: undefined, offset: -1, inlined: false });
        return;
      }
    }
    if (!line.endsWith(')')) {
      // A final line that is neither a frame nor anything else above was cut mid-line.
      if (last) return this.malformed(line, 'cut line');
      // Go function names have no spaces; a cgo symbolizer name (no parentheses) has none either
      // in practice. So `exit status 2` after a crash, or a log line, is not a frame.
      // (printOneCgoTraceback prints a nameless C frame as `non-Go function` plus a file line.)
      if (line.includes(' ') && line !== 'non-Go function') return this.malformed(line, 'not a frame');
    }
    const { fn, args } = splitFunctionLine(line);
    this.pendingFn = fn;
    this.pendingArgs = args;
    this.expect = Expect.FrameFile;
  }

  // ---- debug=1 ----

  private countLine(line: string): void {
    if (line.length === 0) {
      this.emit();
      return;
    }
    const c0 = line.charCodeAt(0);
    if (c0 === 35 /* # */) {
      const g = this.current;
      if (!g) return this.malformed(line, 'frame outside a stack record');
      const labels = parseLabelsLine(line);
      if (labels !== null) {
        g.labels = labels;
        return;
      }
      const f = parseCountFrame(line);
      if (!f) return this.malformed(line, 'unreadable frame');
      g.frames.push({
        function: f.fn === '' ? f.pc : f.fn, file: f.file, line: f.line, args: undefined, offset: f.offset, inlined: false,
      });
      return;
    }
    const count = parseCountLine(line);
    if (count >= 0) {
      this.emit();
      const g = emptyGoroutine(this.lineNo);
      g.count = count;
      this.current = g;
      return;
    }
    this.malformed(line, 'expected `<count> @ 0x…`');
  }
}

/** Parses a whole dump held in memory; prefer GoroutineDumpParser for large inputs. */
export function parseGoroutineDump(text: string): GoroutineDump {
  const goroutines: ParsedGoroutine[] = [];
  const parser = new GoroutineDumpParser({ onGoroutine: (g) => goroutines.push(g) });
  parser.write(text);
  return { ...parser.end(), goroutines };
}
