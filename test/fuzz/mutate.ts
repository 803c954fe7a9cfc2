// Mutations of real fixtures, as fast-check arbitraries: what a corrupted upload, a cut-off scrape,
// a disk that lost a sector or a hostile file looks like. Each case is a list of operations applied
// in order to the fixture's bytes, so fast-check can shrink a failure to the fewest, smallest ones.
import fc from 'fast-check';

export type Mutation =
  | { op: 'flip'; at: number; bit: number }
  | { op: 'truncate'; at: number }
  | { op: 'duplicate'; from: number; len: number; to: number }
  | { op: 'delete'; from: number; len: number }
  | { op: 'insert'; at: number; bytes: Uint8Array }
  | { op: 'hugeLine'; at: number; len: number; byte: number };

/** Positions are fractions of the current length, so one case fits any fixture. */
const frac = fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true });

export interface MutationOptions {
  /** Longest line a `hugeLine` inserts (default 2 MiB: past every parser's line cap). */
  maxHugeLine?: number;
  maxOps?: number;
}

interface Spec { op: Mutation['op']; a: number; b: number; c: number; bit: number; bytes: Uint8Array; huge: number; byte: number }

export function mutationsArb(o: MutationOptions = {}): fc.Arbitrary<Spec[]> {
  const maxHuge = o.maxHugeLine ?? 2 << 20;
  const spec: fc.Arbitrary<Spec> = fc.record({
    op: fc.constantFrom<Mutation['op']>('flip', 'flip', 'flip', 'truncate', 'duplicate', 'delete', 'insert', 'hugeLine'),
    a: frac, b: frac, c: frac,
    bit: fc.integer({ min: 0, max: 7 }),
    bytes: fc.uint8Array({ minLength: 1, maxLength: 64 }),
    huge: fc.integer({ min: 1024, max: maxHuge }),
    // A line of one repeated byte: letters, digits, quotes, braces, NUL, 0xff…
    byte: fc.constantFrom(0x61, 0x30, 0x22, 0x7b, 0x20, 0x09, 0x00, 0xff, 0x23),
  });
  return fc.array(spec, { minLength: 1, maxLength: o.maxOps ?? 6 });
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.byteLength; }
  return out;
}

export function apply(input: Uint8Array, specs: Spec[]): { bytes: Uint8Array; ops: Mutation[] } {
  let b = input;
  const ops: Mutation[] = [];
  for (const s of specs) {
    const n = b.byteLength;
    const at = Math.floor(s.a * n);
    switch (s.op) {
      case 'flip': {
        if (n === 0) break;
        const c = new Uint8Array(b);
        c[at] = c[at]! ^ (1 << s.bit);
        b = c;
        ops.push({ op: 'flip', at, bit: s.bit });
        break;
      }
      case 'truncate':
        b = b.subarray(0, at);
        ops.push({ op: 'truncate', at });
        break;
      case 'duplicate': {
        const len = Math.min(n - at, Math.floor(s.b * Math.min(n, 256 * 1024)));
        const to = Math.floor(s.c * n);
        b = concat(b.subarray(0, to), b.subarray(at, at + len), b.subarray(to));
        ops.push({ op: 'duplicate', from: at, len, to });
        break;
      }
      case 'delete': {
        const len = Math.floor(s.b * (n - at));
        b = concat(b.subarray(0, at), b.subarray(at + len));
        ops.push({ op: 'delete', from: at, len });
        break;
      }
      case 'insert':
        b = concat(b.subarray(0, at), s.bytes, b.subarray(at));
        ops.push({ op: 'insert', at, bytes: s.bytes });
        break;
      case 'hugeLine':
        b = concat(b.subarray(0, at), new Uint8Array(s.huge).fill(s.byte), b.subarray(at));
        ops.push({ op: 'hugeLine', at, len: s.huge, byte: s.byte });
        break;
    }
  }
  return { bytes: b, ops };
}

/** A short description of a case for failure messages (never the bytes themselves). */
export function describeOps(ops: Mutation[]): string {
  return ops.map((m) => {
    switch (m.op) {
      case 'flip': return `flip@${m.at}.${m.bit}`;
      case 'truncate': return `truncate@${m.at}`;
      case 'duplicate': return `dup ${m.from}+${m.len}→${m.to}`;
      case 'delete': return `del ${m.from}+${m.len}`;
      case 'insert': return `ins@${m.at}(${m.bytes.byteLength})`;
      case 'hugeLine': return `line@${m.at}(${m.len}×0x${m.byte.toString(16)})`;
    }
  }).join(', ');
}
