// Parser for the Prometheus text exposition format 0.0.4, the body of every kube-apiserver, etcd,
// kube-controller-manager and kube-scheduler `/metrics` response.
//
// Format rules, with their sources:
//  - Spec: prometheus/docs `content/docs/instrumenting/exposition_formats.md` ("Text-based format").
//  - Reference parser: prometheus/common `expfmt/text_parse.go` (TextParser). Where the spec is
//    silent we follow it, except that we never fail the whole scrape: a malformed line is skipped
//    and reported, so one bad exporter line cannot blind the recorder.
//  - OpenMetrics 1.0 (`# EOF`, exemplars after ` # `, the extra TYPE values) is tolerated because
//    some exporters serve it even when asked for 0.0.4.
//
// Hot path: the recorder parses a ~1.3 MB apiserver scrape (~10k samples) every 15 s. We scan with
// indexOf/charCodeAt instead of a regular expression per line, reuse the previous line's family
// when the metric name repeats (histograms print dozens of `_bucket` lines in a row), and skip the
// lines of families the caller does not `keep` without looking at their labels.

export interface PromSample { name: string; labels: Record<string, string>; value: number; timestampMs?: number }
export type PromType = 'counter' | 'gauge' | 'histogram' | 'summary' | 'untyped' | 'gaugehistogram' | 'info' | 'stateset';
export interface MetricFamily { name: string; type: PromType; help?: string; samples: PromSample[] }
export interface ParseWarning { line: number; message: string }
export interface ParseResult {
  families: Map<string, MetricFamily>;
  /** Samples stored in `families` (lines of families rejected by `keep` are not counted). */
  sampleCount: number;
  /** The first MAX_WARNINGS warnings; `warningCount` counts all of them. */
  warnings: ParseWarning[];
  warningCount: number;
}
export interface ParseOptions {
  /** Called once per family name; families it rejects are skipped without parsing their samples. */
  keep?: (familyName: string) => boolean;
  /** Lines longer than this (in UTF-16 code units) are skipped with a warning. Default 64 KiB. */
  maxLineLength?: number;
}

export const DEFAULT_MAX_LINE_LENGTH = 64 * 1024;
export const MAX_WARNINGS = 100;

// Character codes.
const TAB = 9, LF = 10, CR = 13, SPACE = 32, QUOTE = 34, HASH = 35, PLUS = 43, COMMA = 44, MINUS = 45,
  DOT = 46, COLON = 58, EQUALS = 61, BACKSLASH = 92, UNDERSCORE = 95, LBRACE = 123, RBRACE = 125, BOM = 0xfeff;

// Metric names match [a-zA-Z_:][a-zA-Z0-9_:]*, label names [a-zA-Z_][a-zA-Z0-9_]*
// (prometheus/docs `concepts/data_model.md`; expfmt `isValidMetricNameStart`, `isValidLabelNameStart`).
function isNameStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === UNDERSCORE;
}
function isNameChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === UNDERSCORE;
}
function isMetricNameChar(c: number): boolean { return isNameChar(c) || c === COLON; }
function isBlank(c: number): boolean { return c === SPACE || c === TAB; }

const TYPES: Record<string, PromType> = {
  counter: 'counter', gauge: 'gauge', histogram: 'histogram', summary: 'summary', untyped: 'untyped',
  // OpenMetrics 1.0 types; `unknown` is OpenMetrics' name for untyped.
  gaugehistogram: 'gaugehistogram', info: 'info', stateset: 'stateset', unknown: 'untyped',
};

// Sample-name suffixes that belong to a family named by TYPE. 0.0.4: histogram `_bucket/_sum/_count`,
// summary `_sum/_count` (exposition_formats.md, "Histograms and summaries"). OpenMetrics adds
// counter `_total`, `_created`, gaugehistogram `_gcount/_gsum`, info `_info`.
const SUFFIXES: ReadonlyArray<readonly [string, ReadonlySet<PromType>]> = [
  ['_bucket', new Set<PromType>(['histogram', 'gaugehistogram'])],
  ['_count', new Set<PromType>(['histogram', 'summary'])],
  ['_sum', new Set<PromType>(['histogram', 'summary'])],
  ['_total', new Set<PromType>(['counter'])],
  ['_created', new Set<PromType>(['counter', 'histogram', 'summary'])],
  ['_gcount', new Set<PromType>(['gaugehistogram'])],
  ['_gsum', new Set<PromType>(['gaugehistogram'])],
  ['_info', new Set<PromType>(['info'])],
];

/**
 * Parses a float the way Go's `strconv.ParseFloat` does for the values exporters print
 * (expfmt calls ParseFloat on the value token): decimal and scientific notation, `NaN`, and
 * `Inf`/`Infinity` with an optional sign, case-insensitive. Returns undefined when invalid.
 * Exported so analysis code reads `le` and `quantile` label values with the same rules.
 */
export function parsePromFloat(s: string): number | undefined {
  const n = s.length;
  if (n === 0) return undefined;
  // Fast path: only digits, '.', 'e', 'E', '+', '-'. JS Number() then agrees with ParseFloat,
  // except that Number('') === 0, which the length check above rules out.
  let simple = true;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 48 && c <= 57) || c === DOT || c === 101 || c === 69 || c === PLUS || c === MINUS)) { simple = false; break; }
  }
  if (simple) {
    const v = Number(s);
    return Number.isNaN(v) ? undefined : v;
  }
  // Special values (Go strconv `special`): "nan" without sign, "inf"/"infinity" with optional sign.
  const lower = s.toLowerCase();
  if (lower === 'nan') return NaN;
  let body = lower, sign = 1;
  if (body.charCodeAt(0) === PLUS) body = body.slice(1);
  else if (body.charCodeAt(0) === MINUS) { body = body.slice(1); sign = -1; }
  if (body === 'inf' || body === 'infinity') return sign * Infinity;
  return undefined;
}

const RECENT = 4;

/** Resolved target of a sample name: the family it belongs to, or null when `keep` rejected it. */
type FamilyRef = MetricFamily | null;

class TextParser {
  readonly families = new Map<string, MetricFamily>();
  readonly warnings: ParseWarning[] = [];
  warningCount = 0;
  sampleCount = 0;
  private readonly types = new Map<string, PromType>();
  private readonly keepCache = new Map<string, boolean>();
  private readonly nameCache = new Map<string, FamilyRef>();
  private readonly helpSeen = new Set<string>();
  private readonly typeSeen = new Set<string>();
  /** Where `labels()` stopped (one past '}'); a field rather than a returned tuple, to avoid an allocation per sample. */
  private labelsEnd = 0;
  private nextBackslash = -1;
  private readonly prevLabelNames: string[] = [];
  private readonly prevLabelValues: string[] = [];
  private line = 0;
  // The last RECENT sample names and their families (ring buffer).
  private readonly recentNames: string[] = new Array<string>(RECENT).fill('');
  private readonly recentRefs: FamilyRef[] = new Array<FamilyRef>(RECENT).fill(null);
  private recentNext = 0;

  constructor(private readonly text: string, private readonly keep: ((name: string) => boolean) | undefined, private readonly maxLine: number) {}

  warn(message: string): void {
    this.warningCount++;
    if (this.warnings.length < MAX_WARNINGS) this.warnings.push({ line: this.line, message });
  }

  /**
   * First pass: collect every `# TYPE` line, so TYPE may appear after a family's samples (the spec
   * wants it first, but we accept any order) and samples group correctly either way. It is a
   * native substring search, far cheaper than the main pass.
   */
  prescanTypes(): void {
    const text = this.text;
    let at = text.indexOf('TYPE', 0);
    while (at >= 0) {
      // Accept only `^[ \t]*#[ \t]*TYPE[ \t]`: walk back over blanks to '#', then to the line start.
      // (expfmt `startComment` skips blanks after '#', so `#TYPE` counts too.)
      let j = at - 1;
      while (j >= 0 && isBlank(text.charCodeAt(j))) j--;
      if (j >= 0 && text.charCodeAt(j) === HASH && isBlank(text.charCodeAt(at + 4))) {
        let k = j - 1;
        while (k >= 0 && isBlank(text.charCodeAt(k))) k--;
        if (k < 0 || text.charCodeAt(k) === LF || (k === 0 && text.charCodeAt(0) === BOM)) {
          let end = text.indexOf('\n', at);
          if (end < 0) end = text.length;
          if (text.charCodeAt(end - 1) === CR) end--;
          const parts = this.splitFields(at + 5, end, 2);
          const name = parts[0];
          const type = parts[1] !== undefined ? TYPES[parts[1].toLowerCase()] : undefined;
          // Validation and warnings happen in the main pass, which knows line numbers.
          if (name !== undefined && type !== undefined && this.validMetricName(name) && !this.types.has(name)) {
            this.types.set(name, type);
          }
        }
      }
      at = text.indexOf('TYPE', at + 4);
    }
  }

  run(): void {
    const text = this.text;
    const len = text.length;
    let pos = 0;
    // A UTF-8 byte order mark is not part of the format; tolerate it rather than fail line 1.
    if (len > 0 && text.charCodeAt(0) === BOM) pos = 1;
    while (pos < len) {
      this.line++;
      let nl = text.indexOf('\n', pos);
      if (nl < 0) nl = len;
      // CRLF: the spec says lines end in '\n'; a trailing '\r' comes from Windows tooling.
      const end = nl > pos && text.charCodeAt(nl - 1) === CR ? nl - 1 : nl;
      const next = nl + 1;
      if (end - pos > this.maxLine) {
        this.warn(`line longer than ${this.maxLine} characters skipped`);
        pos = next;
        continue;
      }
      // expfmt `startOfLine` skips leading blanks; blank lines are ignored.
      let i = pos;
      while (i < end && isBlank(text.charCodeAt(i))) i++;
      if (i < end) {
        if (text.charCodeAt(i) === HASH) {
          if (this.comment(i + 1, end)) return; // `# EOF`
        } else {
          this.sample(i, end);
        }
      }
      pos = next;
    }
  }

  /** Splits [from, end) on blanks into at most `max` fields (the last one keeps inner blanks). */
  private splitFields(from: number, end: number, max: number): string[] {
    const text = this.text;
    const out: string[] = [];
    let i = from;
    while (out.length < max) {
      while (i < end && isBlank(text.charCodeAt(i))) i++;
      if (i >= end) break;
      let j = i;
      if (out.length === max - 1) {
        j = end;
        while (j > i && isBlank(text.charCodeAt(j - 1))) j--;
      } else {
        while (j < end && !isBlank(text.charCodeAt(j))) j++;
      }
      out.push(text.slice(i, j));
      i = j;
    }
    return out;
  }

  private validMetricName(name: string): boolean {
    if (name.length === 0) return false;
    const c0 = name.charCodeAt(0);
    if (!isNameStart(c0) && c0 !== COLON) return false;
    for (let i = 1; i < name.length; i++) if (!isMetricNameChar(name.charCodeAt(i))) return false;
    return true;
  }

  private kept(familyName: string): boolean {
    if (!this.keep) return true;
    let k = this.keepCache.get(familyName);
    if (k === undefined) { k = this.keep(familyName); this.keepCache.set(familyName, k); }
    return k;
  }

  private family(name: string, type: PromType): MetricFamily {
    let f = this.families.get(name);
    if (!f) { f = { name, type, samples: [] }; this.families.set(name, f); }
    return f;
  }

  /**
   * Handles a line starting with '#'. Returns true on `# EOF`. Per the spec, a comment whose first
   * token is neither HELP nor TYPE is free text and ignored (expfmt `startComment`).
   */
  private comment(from: number, end: number): boolean {
    const text = this.text;
    let i = from;
    while (i < end && isBlank(text.charCodeAt(i))) i++;
    let j = i;
    while (j < end && !isBlank(text.charCodeAt(j))) j++;
    const keyword = text.slice(i, j);
    if (keyword === 'EOF' && j === end) {
      // OpenMetrics: `# EOF` ends the exposition; anything after it is invalid.
      let rest = end;
      while (rest < text.length && (isBlank(text.charCodeAt(rest)) || text.charCodeAt(rest) === LF || text.charCodeAt(rest) === CR)) rest++;
      if (rest < text.length) { this.line++; this.warn('content after # EOF ignored'); }
      return true;
    }
    if (keyword !== 'HELP' && keyword !== 'TYPE') return false;
    if (keyword === 'TYPE') {
      const parts = this.splitFields(j, end, 2);
      const name = parts[0];
      const rawType = parts[1];
      if (name === undefined || !this.validMetricName(name)) { this.warn(`TYPE line with invalid metric name ${JSON.stringify(name ?? '')}`); return false; }
      if (rawType === undefined) { this.warn(`TYPE line for ${name} without a type`); return false; }
      const type = TYPES[rawType.toLowerCase()];
      if (type === undefined) { this.warn(`unknown metric type ${JSON.stringify(rawType)} for ${name}`); return false; }
      const known = this.types.get(name);
      if (this.typeSeen.has(name) || known !== type) { this.warn(`second TYPE line for ${name} ignored; keeping ${known ?? 'untyped'}`); return false; }
      this.typeSeen.add(name);
      if (this.kept(name)) this.family(name, type);
      return false;
    }
    // HELP: `# HELP name docstring`; the docstring escapes `\\` and `\n` (exposition_formats.md;
    // expfmt `readTokenUntilNewline(true)`, which rejects any other escape).
    while (j < end && isBlank(text.charCodeAt(j))) j++;
    let k = j;
    while (k < end && !isBlank(text.charCodeAt(k))) k++;
    const name = text.slice(j, k);
    if (!this.validMetricName(name)) { this.warn(`HELP line with invalid metric name ${JSON.stringify(name)}`); return false; }
    while (k < end && isBlank(text.charCodeAt(k))) k++;
    let help = text.slice(k, end);
    if (help.indexOf('\\') >= 0) {
      const unescaped = unescapeHelp(help);
      if (unescaped === undefined) { this.warn(`invalid escape sequence in HELP for ${name}`); return false; }
      help = unescaped;
    }
    if (this.helpSeen.has(name)) { this.warn(`second HELP line for ${name} ignored`); return false; }
    this.helpSeen.add(name);
    if (this.kept(name)) this.family(name, this.types.get(name) ?? 'untyped').help = help;
    return false;
  }

  /** Maps a sample name to its family using the TYPE table; see SUFFIXES. */
  private resolve(name: string): FamilyRef {
    const cached = this.nameCache.get(name);
    if (cached !== undefined) return cached;
    let familyName = name;
    let type = this.types.get(name);
    if (type === undefined) {
      for (const [suffix, allowed] of SUFFIXES) {
        if (name.length > suffix.length && name.endsWith(suffix)) {
          const base = name.slice(0, name.length - suffix.length);
          const t = this.types.get(base);
          if (t !== undefined && allowed.has(t)) { familyName = base; type = t; break; }
        }
      }
    }
    const ref = this.kept(familyName) ? this.family(familyName, type ?? 'untyped') : null;
    this.nameCache.set(name, ref);
    return ref;
  }

  private sample(start: number, end: number): void {
    const text = this.text;
    let i = start;
    let name: string;
    let ref: FamilyRef;
    // Same name as one of the last few lines? Histograms cycle `_bucket`×N, `_sum`, `_count`, so
    // a 4-entry ring catches nearly every line; comparing in place avoids slicing and hashing.
    let hit = -1;
    for (let r = 0; r < RECENT; r++) {
      const cand = this.recentNames[r]!;
      if (cand.length > 0 && text.startsWith(cand, i) && (i + cand.length >= end || !isMetricNameChar(text.charCodeAt(i + cand.length)))) { hit = r; break; }
    }
    if (hit >= 0) {
      name = this.recentNames[hit]!;
      ref = this.recentRefs[hit]!;
      i += name.length;
    } else {
      const c0 = text.charCodeAt(i);
      if (!isNameStart(c0) && c0 !== COLON) {
        this.warn(c0 === LBRACE ? 'quoted (UTF-8) metric names are not part of text format 0.0.4' : `invalid metric name start ${JSON.stringify(text[i])}`);
        return;
      }
      i++;
      while (i < end && isMetricNameChar(text.charCodeAt(i))) i++;
      name = text.slice(start, i);
      ref = this.resolve(name);
      this.recentNames[this.recentNext] = name;
      this.recentRefs[this.recentNext] = ref;
      this.recentNext = (this.recentNext + 1) % RECENT;
    }
    if (ref === null) return; // family not kept: skip without parsing labels or value

    if (i < end) {
      const c = text.charCodeAt(i);
      if (!isBlank(c) && c !== LBRACE) { this.warn(`invalid character ${JSON.stringify(text[i])} after metric name ${name}`); return; }
    }
    let labels: Record<string, string>;
    while (i < end && isBlank(text.charCodeAt(i))) i++;
    if (i < end && text.charCodeAt(i) === LBRACE) {
      const parsed = this.labels(i + 1, end, name);
      if (parsed === undefined) return;
      labels = parsed;
      i = this.labelsEnd;
      while (i < end && isBlank(text.charCodeAt(i))) i++;
    } else {
      labels = {};
    }
    // Value.
    let j = i;
    while (j < end && !isBlank(text.charCodeAt(j))) j++;
    if (j === i) { this.warn(`missing value for ${name}`); return; }
    const rawValue = text.slice(i, j);
    const value = parsePromFloat(rawValue);
    if (value === undefined) { this.warn(`invalid value ${JSON.stringify(rawValue)} for ${name}`); return; }
    i = j;
    while (i < end && isBlank(text.charCodeAt(i))) i++;
    // Optional timestamp: an int64 of milliseconds since the epoch (exposition_formats.md;
    // expfmt `ParseInt(token, 10, 64)`), then optionally an OpenMetrics exemplar ` # {…} v [t]`,
    // which we ignore.
    let timestampMs: number | undefined;
    if (i < end && text.charCodeAt(i) !== HASH) {
      j = i;
      while (j < end && !isBlank(text.charCodeAt(j))) j++;
      const rawTs = text.slice(i, j);
      if (!isInteger(rawTs)) { this.warn(`invalid timestamp ${JSON.stringify(rawTs)} for ${name}`); return; }
      timestampMs = Number(rawTs);
      i = j;
      while (i < end && isBlank(text.charCodeAt(i))) i++;
      if (i < end && text.charCodeAt(i) !== HASH) { this.warn(`unexpected text after timestamp for ${name}`); return; }
    }
    const s: PromSample = timestampMs === undefined ? { name, labels, value } : { name, labels, value, timestampMs };
    ref.samples.push(s);
    this.sampleCount++;
  }

  /**
   * Parses `name="value",…}` starting after '{'. Label values escape `\\`, `\"` and `\n`; any
   * other escape, a raw newline, a duplicate name or the reserved `__name__` is an error
   * (expfmt `readTokenAsLabelValue`, `startLabelName`). A trailing comma before '}' is allowed.
   */
  private labels(from: number, end: number, metric: string): Record<string, string> | undefined {
    const text = this.text;
    const labels: Record<string, string> = {};
    let i = from;
    let n = 0;
    for (;;) {
      while (i < end && isBlank(text.charCodeAt(i))) i++;
      if (i >= end) { this.warn(`unterminated label set for ${metric}`); return undefined; }
      let c = text.charCodeAt(i);
      if (c === RBRACE) { this.labelsEnd = i + 1; return labels; }
      if (!isNameStart(c)) {
        this.warn(c === QUOTE ? `quoted (UTF-8) label names are not part of text format 0.0.4 (${metric})` : `invalid label name start ${JSON.stringify(text[i])} for ${metric}`);
        return undefined;
      }
      // Consecutive lines repeat the same label names, and mostly the same values, in the same
      // order (a histogram prints ~40 bucket lines differing only in `le`). Reusing the previous
      // line's strings at the same position skips a slice, a string-table lookup and an allocation.
      const k = n++;
      const ns = i;
      let labelName = this.prevLabelNames[k];
      if (labelName !== undefined && text.startsWith(labelName, ns) && !isNameChar(text.charCodeAt(ns + labelName.length))) {
        i = ns + labelName.length;
      } else {
        i++;
        while (i < end && isNameChar(text.charCodeAt(i))) i++;
        labelName = text.slice(ns, i);
        this.prevLabelNames[k] = labelName;
      }
      while (i < end && isBlank(text.charCodeAt(i))) i++;
      if (text.charCodeAt(i) !== EQUALS) { this.warn(`expected '=' after label name ${labelName} for ${metric}`); return undefined; }
      i++;
      while (i < end && isBlank(text.charCodeAt(i))) i++;
      if (text.charCodeAt(i) !== QUOTE) { this.warn(`expected '"' to open the value of label ${labelName} for ${metric}`); return undefined; }
      i++;
      const close = text.indexOf('"', i);
      if (close < 0 || close >= end) { this.warn(`unterminated value of label ${labelName} for ${metric}`); return undefined; }
      let value: string;
      // The next backslash in the text, cached: searching afresh for each value would rescan to the
      // end of a backslash-free scrape every time (quadratic).
      if (this.nextBackslash < i) {
        const b = text.indexOf('\\', i);
        this.nextBackslash = b < 0 ? Infinity : b;
      }
      if (this.nextBackslash > close) {
        const pv = this.prevLabelValues[k];
        if (pv !== undefined && pv.length === close - i && text.startsWith(pv, i)) value = pv;
        else { value = text.slice(i, close); this.prevLabelValues[k] = value; }
        i = close + 1;
      } else {
        const r = unescapeLabelValue(text, i, end);
        if (typeof r === 'string') { this.warn(`${r} in label ${labelName} for ${metric}`); return undefined; }
        value = r.value;
        i = r.next;
      }
      if (labelName === '__name__') { this.warn(`label name __name__ is reserved (${metric})`); return undefined; }
      if (Object.prototype.hasOwnProperty.call(labels, labelName)) { this.warn(`duplicate label name ${labelName} for ${metric}`); return undefined; }
      // `__proto__` is a valid label name; a plain assignment would set the prototype instead.
      if (labelName === '__proto__') Object.defineProperty(labels, labelName, { value, enumerable: true, writable: true, configurable: true });
      else labels[labelName] = value;
      while (i < end && isBlank(text.charCodeAt(i))) i++;
      if (i >= end) { this.warn(`unterminated label set for ${metric}`); return undefined; }
      c = text.charCodeAt(i);
      if (c === COMMA) { i++; continue; }
      if (c === RBRACE) { this.labelsEnd = i + 1; return labels; }
      this.warn(`expected ',' or '}' after label ${labelName} for ${metric}`);
      return undefined;
    }
  }
}

function isInteger(s: string): boolean {
  let i = 0;
  const c0 = s.charCodeAt(0);
  if (c0 === MINUS || c0 === PLUS) i = 1;
  if (i >= s.length) return false;
  for (; i < s.length; i++) { const c = s.charCodeAt(i); if (c < 48 || c > 57) return false; }
  return true;
}

/** Reads a label value from `from` (just after the opening quote). Returns an error message on failure. */
function unescapeLabelValue(text: string, from: number, end: number): { value: string; next: number } | string {
  let out = '';
  let run = from;
  let i = from;
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) return { value: out + text.slice(run, i), next: i + 1 };
    if (c === BACKSLASH) {
      const e = text.charCodeAt(i + 1);
      out += text.slice(run, i);
      if (e === BACKSLASH) out += '\\';
      else if (e === QUOTE) out += '"';
      else if (e === 110) out += '\n';
      else return i + 1 < end ? `invalid escape sequence '\\${text[i + 1]}'` : 'unterminated escape sequence';
      i += 2;
      run = i;
      continue;
    }
    i++;
  }
  return 'unterminated label value';
}

function unescapeHelp(s: string): string | undefined {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== BACKSLASH) { out += s[i]; continue; }
    const e = s.charCodeAt(i + 1);
    if (e === BACKSLASH) out += '\\';
    else if (e === 110) out += '\n';
    else return undefined;
    i++;
  }
  return out;
}

/**
 * Parses a `/metrics` body. Never throws on malformed input: bad lines are skipped and reported in
 * `warnings` (at most MAX_WARNINGS kept, all counted in `warningCount`).
 */
export function parsePrometheusText(text: string, opts: ParseOptions = {}): ParseResult {
  const maxLine = opts.maxLineLength ?? DEFAULT_MAX_LINE_LENGTH;
  const p = new TextParser(text, opts.keep, maxLine);
  p.prescanTypes();
  p.run();
  return { families: p.families, sampleCount: p.sampleCount, warnings: p.warnings, warningCount: p.warningCount };
}
