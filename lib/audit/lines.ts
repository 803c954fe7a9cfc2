// Streaming line reader for audit logs: push bytes (or text) in any chunking with write(), finish
// with end(). Each complete line is parsed and handed to a callback with its byte length (what it
// costs on disk, newline included) and its 1-based line number; nothing else is kept, so memory is
// bounded by one chunk plus `maxLineBytes`.
//
// Damage. The log backend writes each event as `json + "\n"` in one write(2) and keeps going after
// an error (k8s.io/apiserver/plugin/pkg/audit/log/backend.go logEvent only reports it through
// klog and audit_error_total). On a full disk a write can land partially, so the file holds a
// prefix of one event immediately followed by the next complete event on the same line, or a last
// line cut short. Such lines are counted as damaged with their line number; when a complete event
// follows the cut on the same line, it is recovered (Go's encoding/json writes fields in struct
// order, so every event starts with `{"kind":"Event",`). A line that is not JSON at all (the
// `legacy` format, NUL blocks left by a crash) is damaged too. Nothing throws on input.
import { toAuditEvent } from './event';
import type { AuditEvent } from './event';

export type DamageKind = 'truncated' | 'not-json' | 'not-event' | 'too-long';

export interface DamagedLine {
  line: number;
  kind: DamageKind;
  /** Byte length of the line. */
  bytes: number;
  message: string;
  /** The start of the line, never past a body (`requestObject`/`responseObject`): see redact.ts. */
  preview: string;
}

export interface DamageReport {
  /** Damaged lines in total. */
  count: number;
  byKind: Record<DamageKind, number>;
  /** Events recovered from the tail of a damaged line. */
  recovered: number;
  /** The first few damaged lines. */
  first: DamagedLine[];
  /** The input ended without a newline, inside an event that does not parse. */
  cutAtEnd: boolean;
}

export interface LineReaderOptions {
  /** Longer lines are skipped and reported (default 32 MiB: a RequestResponse LIST can be huge). */
  maxLineBytes?: number;
  /** How many damaged lines are kept with details (default 20). */
  maxDamaged?: number;
}

/** `raw` is the line's parsed JSON, for callers that re-write the event (a redacted copy). */
export type EventSink = (event: AuditEvent, bytes: number, line: number, raw: unknown) => void;

export const DEFAULT_MAX_LINE_BYTES = 32 * 1024 * 1024;
const EVENT_START = '{"kind":"Event",';
const LEGACY = /^\S+ AUDIT: id="/;

/** The beginning of a line, stopped before any request or response body, for error messages. */
export function linePreview(text: string, max = 160): string {
  let end = Math.min(text.length, max);
  for (const key of ['"requestObject"', '"responseObject"']) {
    const i = text.indexOf(key);
    if (i >= 0 && i < end) end = i;
  }
  const clean = text.slice(0, end).replace(/[\u0000-\u001f]/g, (c) => (c === '\u0000' ? '\\0' : ' '));
  return end < text.length ? `${clean}…` : clean;
}

export class AuditLineReader {
  private readonly maxLine: number;
  private readonly maxDamaged: number;
  private readonly decoder = new TextDecoder('utf-8');
  private readonly encoder = new TextEncoder();
  private parts: Uint8Array[] = [];
  private partLen = 0;
  private skipping = false;
  private skippedBytes = 0;
  private lineNo = 0;
  /** Bytes consumed so far (what progress bars show). */
  bytesRead = 0;
  readonly damage: DamageReport = { count: 0, byKind: { truncated: 0, 'not-json': 0, 'not-event': 0, 'too-long': 0 }, recovered: 0, first: [], cutAtEnd: false };

  constructor(private readonly sink: EventSink, opts: LineReaderOptions = {}) {
    this.maxLine = opts.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
    this.maxDamaged = opts.maxDamaged ?? 20;
  }

  /** Lines completed so far. */
  get lines(): number { return this.lineNo; }

  write(chunk: Uint8Array | string): void {
    const buf = typeof chunk === 'string' ? this.encoder.encode(chunk) : chunk;
    this.bytesRead += buf.length;
    let start = 0;
    while (start < buf.length) {
      const nl = buf.indexOf(10, start);
      const end = nl < 0 ? buf.length : nl;
      this.append(buf, start, end);
      if (nl < 0) {
        // The caller may reuse its buffer: keep our own copy of an unfinished line's tail.
        if (!this.skipping && end > start) this.parts[this.parts.length - 1] = this.parts[this.parts.length - 1]!.slice();
        break;
      }
      this.finishLine(true);
      start = nl + 1;
    }
  }

  end(): DamageReport {
    if (this.partLen > 0 || this.skipping) this.finishLine(false);
    return this.damage;
  }

  private append(buf: Uint8Array, start: number, end: number): void {
    if (end <= start) return;
    if (this.skipping) { this.skippedBytes += end - start; return; }
    if (this.partLen + (end - start) > this.maxLine) {
      this.skipping = true;
      this.skippedBytes = this.partLen + (end - start);
      // Keep the head for the preview only.
      const head = this.concat().subarray(0, 512);
      this.parts = [head];
      this.partLen = head.length;
      return;
    }
    this.parts.push(buf.subarray(start, end));
    this.partLen += end - start;
  }

  private concat(): Uint8Array {
    if (this.parts.length === 1) return this.parts[0]!;
    const out = new Uint8Array(this.partLen);
    let at = 0;
    for (const p of this.parts) { out.set(p, at); at += p.length; }
    return out;
  }

  private finishLine(newline: boolean): void {
    this.lineNo++;
    const line = this.lineNo;
    if (this.skipping) {
      const bytes = this.skippedBytes + (newline ? 1 : 0);
      const head = this.decoder.decode(this.concat());
      this.reset();
      this.damaged({ line, kind: 'too-long', bytes, message: `line of ${bytes} bytes exceeds the limit of ${this.maxLine} bytes; skipped`, preview: linePreview(head) });
      return;
    }
    const raw = this.concat();
    const bytes = this.partLen + (newline ? 1 : 0);
    this.reset();
    // Copy out of the chunk before the caller reuses it: decode() makes a string.
    let text = this.decoder.decode(raw);
    if (text.endsWith('\r')) text = text.slice(0, -1);
    if (text.trim() === '') return; // blank lines are not events and not damage
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      this.recover(text, line, bytes, newline, e instanceof Error ? e.message : String(e));
      return;
    }
    const ev = toAuditEvent(value);
    if (typeof ev === 'string') {
      this.damaged({ line, kind: 'not-event', bytes, message: ev, preview: linePreview(text) });
      return;
    }
    this.sink(ev, bytes, line, value);
  }

  private recover(text: string, line: number, bytes: number, newline: boolean, parseError: string): void {
    if (LEGACY.test(text)) {
      this.damaged({ line, kind: 'not-json', bytes, message: 'legacy audit format (--audit-log-format=legacy); only json is read', preview: linePreview(text) });
      return;
    }
    if (text.startsWith('\u0000')) {
      // Blocks of NUL bytes: what a crash or a full disk leaves where appended data never landed.
      this.damaged({ line, kind: 'not-json', bytes, message: 'NUL bytes (left by a crash or a full disk), not an event', preview: linePreview(text) });
      return;
    }
    const looksLikeEvent = text.startsWith('{"');
    const at = text.indexOf(EVENT_START, 1);
    if (at > 0) {
      // A cut event followed by a complete one: the disk-full signature.
      let tail: AuditEvent | string = 'unparseable';
      let tailRaw: unknown = null;
      try { tailRaw = JSON.parse(text.slice(at)); tail = toAuditEvent(tailRaw); } catch { /* the tail is cut too */ }
      const cutBytes = this.encoder.encode(text.slice(0, at)).length;
      this.damaged({ line, kind: 'truncated', bytes: cutBytes, message: `event cut after ${cutBytes} bytes and followed by another on the same line (a partial write, as on a full disk)`, preview: linePreview(text) });
      if (typeof tail !== 'string') {
        this.damage.recovered++;
        this.sink(tail, bytes - cutBytes, line, tailRaw);
      }
      return;
    }
    if (!newline && looksLikeEvent) this.damage.cutAtEnd = true;
    const kind: DamageKind = looksLikeEvent ? 'truncated' : 'not-json';
    const message = kind === 'truncated'
      ? `event cut short after ${bytes} bytes${newline ? '' : ' at the end of the input'} (${parseError})`
      : `not JSON (${parseError})`;
    this.damaged({ line, kind, bytes, message, preview: linePreview(text) });
  }

  private damaged(d: DamagedLine): void {
    this.damage.count++;
    this.damage.byKind[d.kind]++;
    if (this.damage.first.length < this.maxDamaged) this.damage.first.push(d);
  }

  private reset(): void {
    this.parts = [];
    this.partLen = 0;
    this.skipping = false;
    this.skippedBytes = 0;
  }
}
