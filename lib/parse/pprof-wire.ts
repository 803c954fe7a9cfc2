// Minimal protobuf wire-format reader for the top level of profile.proto. We walk the top level
// ourselves (rather than `pprof-format`'s Profile.decode) so that framing errors are detected
// instead of silently truncated, limits are enforced before anything is allocated, and unknown
// fields with multi-byte tags are skipped correctly. Nested messages (Sample, Location, …) are still
// decoded by `pprof-format`. Wire types: https://protobuf.dev/programming-guides/encoding/
import { ProfileParseError } from './pprof-error';

export const WIRE_VARINT = 0;
export const WIRE_I64 = 1;
export const WIRE_LEN = 2;
export const WIRE_I32 = 5;

const TWO_POW_53 = 2 ** 53;

export class WireReader {
  pos: number;
  constructor(readonly buf: Uint8Array, start = 0, readonly end = buf.length) {
    this.pos = start;
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  /** An unsigned varint that must fit a JS number exactly (tags, lengths, ids). */
  varint(what: string): number {
    const { buf, end } = this;
    let pos = this.pos;
    let result = 0;
    let mul = 1;
    for (let i = 0; i < 10; i++) {
      if (pos >= end) throw new ProfileParseError('wire', `truncated varint (${what}) at byte ${this.pos}`);
      const b = buf[pos++]!;
      result += (b & 0x7f) * mul;
      if (b < 0x80) {
        if (result >= TWO_POW_53) throw new ProfileParseError('value-range', `${what} at byte ${this.pos} exceeds 2^53`);
        this.pos = pos;
        return result;
      }
      mul *= 128;
    }
    throw new ProfileParseError('wire', `varint longer than 10 bytes (${what}) at byte ${this.pos}`);
  }

  /** A varint read as a two's-complement int64 (proto `int64`), exact. */
  int64(what: string): bigint {
    const { buf, end } = this;
    let pos = this.pos;
    let result = 0n;
    let shift = 0n;
    for (let i = 0; i < 10; i++) {
      if (pos >= end) throw new ProfileParseError('wire', `truncated varint (${what}) at byte ${this.pos}`);
      const b = buf[pos++]!;
      result |= BigInt(b & 0x7f) << shift;
      if (b < 0x80) {
        this.pos = pos;
        return BigInt.asIntN(64, result);
      }
      shift += 7n;
    }
    throw new ProfileParseError('wire', `varint longer than 10 bytes (${what}) at byte ${this.pos}`);
  }

  /** A varint read as int64 and returned as a JS number; throws if |v| > 2^53. */
  int64Number(what: string): number {
    const { buf, end } = this;
    let pos = this.pos;
    let result = 0;
    let mul = 1;
    // Fast path: up to 7 bytes (49 bits) is always a small non-negative number.
    for (let i = 0; i < 7; i++) {
      if (pos >= end) throw new ProfileParseError('wire', `truncated varint (${what}) at byte ${this.pos}`);
      const b = buf[pos++]!;
      result += (b & 0x7f) * mul;
      if (b < 0x80) {
        this.pos = pos;
        return result;
      }
      mul *= 128;
    }
    const at = this.pos;
    const v = this.int64(what);
    if (v > BigInt(Number.MAX_SAFE_INTEGER) || v < BigInt(Number.MIN_SAFE_INTEGER)) {
      throw new ProfileParseError('value-range', `${what} ${v} at byte ${at} does not fit a JS number exactly (|v| > 2^53)`);
    }
    return Number(v);
  }

  /** Reads a length prefix and returns the end offset of the payload that follows. */
  lengthEnd(what: string): number {
    const start = this.pos;
    const len = this.varint(`${what} length`);
    if (len > this.end - this.pos) {
      throw new ProfileParseError('wire', `truncated ${what}: length ${len} at byte ${start} runs past the end (${this.end - this.pos} bytes left)`);
    }
    return this.pos + len;
  }

  /** A length-delimited field's payload (a view, not a copy). */
  bytes(what: string): Uint8Array {
    const start = this.pos;
    const len = this.varint(`${what} length`);
    if (len > this.end - this.pos) {
      throw new ProfileParseError('wire', `truncated ${what}: length ${len} at byte ${start} runs past the end (${this.end - this.pos} bytes left)`);
    }
    const out = this.buf.subarray(this.pos, this.pos + len);
    this.pos += len;
    return out;
  }

  skip(wireType: number, field: number): void {
    switch (wireType) {
      case WIRE_VARINT: this.varintSkip(field); return;
      case WIRE_I64: this.fixed(8, field); return;
      case WIRE_LEN: this.bytes(`field ${field}`); return;
      case WIRE_I32: this.fixed(4, field); return;
      default:
        throw new ProfileParseError('wire', `unsupported wire type ${wireType} for field ${field} at byte ${this.pos}`);
    }
  }

  private varintSkip(field: number): void {
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new ProfileParseError('wire', `truncated varint (field ${field})`);
      if (this.buf[this.pos++]! < 0x80) return;
    }
    throw new ProfileParseError('wire', `varint longer than 10 bytes (field ${field})`);
  }

  private fixed(n: number, field: number): void {
    if (this.end - this.pos < n) throw new ProfileParseError('wire', `truncated fixed${n * 8} field ${field}`);
    this.pos += n;
  }
}

/** Grows like a vector; `view()` returns the filled prefix without copying. */
export class GrowableFloat64 {
  /** Backing store; valid up to `length`. Hot loops may `ensure(n)` then write `data` directly. */
  data: Float64Array;
  length = 0;
  constructor(initial = 1024) {
    this.data = new Float64Array(initial);
  }
  push(v: number): void {
    if (this.length === this.data.length) this.ensure(1);
    this.data[this.length++] = v;
  }
  /** Room for at least `extra` more values. */
  ensure(extra: number): void {
    if (this.length + extra <= this.data.length) return;
    let size = this.data.length * 2;
    while (size < this.length + extra) size *= 2;
    const next = new Float64Array(size);
    next.set(this.data.subarray(0, this.length));
    this.data = next;
  }
  view(): Float64Array {
    return this.data.subarray(0, this.length);
  }
}
