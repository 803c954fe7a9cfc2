import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PROFILE_LIMITS, ProfileParseError, decodeProfile, gunzipWithDecompressionStream, isGzip, isProfileParseError, parseProfile, resolveSampleIndex, sampleLabels, sampleStack } from './pprof';
import { encodeFixtureProfile } from './pprof-fixture';
import { topTable } from '../analysis/profile';
import { buildFlameGraph } from '../analysis/flame';

const root = path.resolve(__dirname, '../..');
const GO = path.join(root, 'testdata/pprof/go1.19');
const APISERVER = path.join(root, 'testdata/pprof/kube-apiserver/v1.20.2/heap-idle.pb.gz');
const read = (f: string) => new Uint8Array(fs.readFileSync(f));
const HEAP_TYPES = ['alloc_objects', 'alloc_space', 'inuse_objects', 'inuse_space'];

async function parseError(p: Promise<unknown> | (() => unknown)): Promise<ProfileParseError> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    expect(isProfileParseError(e), `expected ProfileParseError, got ${String(e)}`).toBe(true);
    return e as ProfileParseError;
  }
  throw new Error('expected a ProfileParseError, but parsing succeeded');
}

function varint(v: number): number[] {
  const out: number[] = [];
  while (v >= 0x80) { out.push((v & 0x7f) | 0x80); v = Math.floor(v / 128); }
  out.push(v);
  return out;
}

function decodeError(f: () => unknown): ProfileParseError {
  try {
    f();
  } catch (e) {
    if (isProfileParseError(e)) return e;
    throw e;
  }
  throw new Error('expected a ProfileParseError');
}

describe('parseProfile on real Go heap profiles (runtime/pprof/protomem.go)', () => {
  it('decodes a go1.19 /debug/pprof/heap profile: four heap sample types, default inuse_space', async () => {
    const p = await parseProfile(read(path.join(GO, 'heap.pb.gz')));
    expect(p.sampleTypes.map((t) => t.type)).toEqual(HEAP_TYPES);
    expect(p.sampleTypes.map((t) => t.unit)).toEqual(['count', 'bytes', 'count', 'bytes']);
    // No default_sample_type in /debug/pprof/heap → the last sample type.
    expect(p.defaultSampleType).toBe('');
    expect(p.defaultSampleIndex).toBe(3);
    expect(p.periodType).toEqual({ type: 'space', unit: 'bytes' });
    expect(p.period).toBe(4096); // heapgen sets MemProfileRate=4096
    expect(p.timeNanos > 1_600_000_000_000_000_000n).toBe(true);
    expect(p.samples.count).toBeGreaterThan(10);
    expect(p.samples.values.length).toBe(p.samples.count * 4);
    expect(p.mappings[0]?.filename).toMatch(/heapgen$/);
  });

  it('decodes /debug/pprof/allocs: default_sample_type alloc_space', async () => {
    const p = await parseProfile(read(path.join(GO, 'allocs.pb.gz')));
    expect(p.defaultSampleType).toBe('alloc_space');
    expect(p.defaultSampleIndex).toBe(1);
  });

  it('keeps inline frames in a location, innermost first (profile.proto Location.line)', async () => {
    const p = await parseProfile(read(path.join(GO, 'heap.pb.gz')));
    const chains = p.locations.map((l) => l.lines.map((ln) => p.functions[ln.functionIndex]!.name));
    // heapgen: newBuf is inlined into keepBuf, which is inlined into allocLiveBuffers.
    expect(chains).toContainEqual(['main.newBuf', 'main.keepBuf', 'main.allocLiveBuffers']);
  });

  it('keeps stacks leaf first and numeric "bytes" labels', async () => {
    const p = await parseProfile(read(path.join(GO, 'heap.pb.gz')));
    const names = (i: number) => Array.from(sampleStack(p.samples, i), (li) => p.functions[p.locations[li]!.lines.at(-1)!.functionIndex]!.name);
    const withRecurse = Array.from({ length: p.samples.count }, (_, i) => names(i)).find((s) => s[0] === 'main.recurse');
    expect(withRecurse?.at(-1)).toBe('runtime.main'); // root last
    const all = Array.from({ length: p.samples.count }, (_, i) => sampleLabels(p.samples, i));
    expect(all.some((ls) => ls.some((l) => l.key === 'bytes' && typeof l.num === 'number' && l.num > 0))).toBe(true);
  });

  it('decodes the real kube-apiserver 1.20.2 heap profile', async () => {
    const p = await parseProfile(read(APISERVER));
    expect(p.sampleTypes.map((t) => t.type)).toEqual(HEAP_TYPES);
    expect(p.defaultSampleIndex).toBe(3);
    expect(p.period).toBe(524288); // Go's default MemProfileRate
    expect(p.mappings[0]?.filename).toMatch(/kube-apiserver$/);
    expect(p.functions.some((f) => f.name.startsWith('k8s.io/kubernetes/'))).toBe(true);
  });

  it('accepts raw (already decompressed) bytes, through parseProfile and decodeProfile', async () => {
    const gz = read(path.join(GO, 'heap.pb.gz'));
    const raw = new Uint8Array(zlib.gunzipSync(gz));
    expect(isGzip(gz)).toBe(true);
    expect(isGzip(raw)).toBe(false);
    const a = await parseProfile(gz);
    const b = await parseProfile(raw);
    const c = decodeProfile(raw);
    expect(b.samples.values).toEqual(a.samples.values);
    expect(c.functions).toEqual(a.functions);
  });

  it('uses a caller-supplied gunzip with the decompressed-size limit', async () => {
    const gz = read(path.join(GO, 'heap.pb.gz'));
    let seenLimit = 0;
    const p = await parseProfile(gz, { gunzip: (b, max) => { seenLimit = max; return zlib.gunzipSync(b); } });
    expect(seenLimit).toBe(DEFAULT_PROFILE_LIMITS.maxDecompressedBytes);
    expect(p.samples.count).toBeGreaterThan(0);
  });
});

describe('errors are always ProfileParseError with a clear message', () => {
  it('empty input', async () => {
    expect((await parseError(parseProfile(new Uint8Array(0)))).code).toBe('empty');
  });

  it('gzip bomb: stops at the decompressed-size limit (DecompressionStream and custom gunzip)', async () => {
    const bomb = new Uint8Array(zlib.gzipSync(Buffer.alloc(8 << 20))); // 8 MiB of zeros, ~8 kB compressed
    const e1 = await parseError(parseProfile(bomb, { limits: { maxDecompressedBytes: 1 << 20 } }));
    expect(e1.code).toBe('too-large');
    expect(e1.message).toMatch(/exceeds the limit of 1048576 bytes/);
    const e2 = await parseError(parseProfile(bomb, { limits: { maxDecompressedBytes: 1 << 20 }, gunzip: (b, max) => zlib.gunzipSync(b, { maxOutputLength: max }) }));
    expect(e2.code).toBe('too-large');
    await expect(gunzipWithDecompressionStream(bomb, 1 << 20)).rejects.toThrow(/gzip bomb/);
  });

  it('input larger than maxInputBytes', async () => {
    expect((await parseError(parseProfile(new Uint8Array(100), { limits: { maxInputBytes: 10 } }))).code).toBe('too-large');
  });

  it('corrupt gzip stream', async () => {
    const gz = read(path.join(GO, 'heap.pb.gz'));
    const broken = gz.slice(0, gz.length / 2);
    expect((await parseError(parseProfile(broken))).code).toBe('gzip');
    const flipped = gz.slice();
    flipped[20] = flipped[20]! ^ 0xff;
    flipped[40] = flipped[40]! ^ 0xff;
    expect(['gzip', 'wire', 'string-table', 'reference', 'sample-values', 'value-range']).toContain((await parseError(parseProfile(flipped))).code);
  });

  it('truncated protobuf', async () => {
    const raw = new Uint8Array(zlib.gunzipSync(read(path.join(GO, 'heap.pb.gz'))));
    const e = await parseError(() => decodeProfile(raw.subarray(0, raw.length - 7)));
    expect(e.message).toMatch(/truncated|string/);
  });

  it('a text (debug=1) profile is recognised and explained', async () => {
    const text = new TextEncoder().encode('heap profile: 13: 1595680 [47130736: 2584596557304] @ heap/1048576\n');
    const e = await parseError(parseProfile(text));
    expect(e.code).toBe('legacy-format');
    expect(e.message).toMatch(/debug=0/);
  });

  it('string_table[0] must be ""', async () => {
    // field 6 (string_table) = "x"
    const e = await parseError(() => decodeProfile(new Uint8Array([0x32, 0x01, 0x78])));
    expect(e.code).toBe('string-table');
    expect(e.message).toMatch(/string_table\[0\] must be ""/);
  });

  it('string index out of range', async () => {
    // sample_type {type: 5, unit: 0}, string_table [""]
    const e = await parseError(() => decodeProfile(new Uint8Array([0x0a, 0x02, 0x08, 0x05, 0x32, 0x00])));
    expect(e.code).toBe('string-table');
    expect(e.message).toMatch(/refers to string 5/);
  });

  it('sample values must match sample types', async () => {
    const bytes = encodeFixtureProfile({ sampleTypes: [['a', 'count'], ['b', 'bytes']], samples: [{ stack: ['f'], values: [1] }] });
    const e = await parseError(() => decodeProfile(bytes));
    expect(e.code).toBe('sample-values');
    expect(e.message).toBe('mismatch: sample has 1 values vs. 2 types');
  });

  it('unknown location id', async () => {
    // sample {location_id: [9], value: [1]}, sample_type {0,0}, string_table [""]
    const bytes = new Uint8Array([0x0a, 0x00, 0x12, 0x05, 0x0a, 0x01, 0x09, 0x10, 0x01, 0x32, 0x00]);
    const e = await parseError(() => decodeProfile(bytes));
    expect(e.code).toBe('reference');
    expect(e.message).toMatch(/location id 9/);
  });

  it('a packed field claiming a huge run is checked against the limit before anything is reserved', () => {
    // sample { location_id: packed, 200k bytes of 0x01 (= 200k ids) }
    const n = 200_000;
    const sample = [0x0a, ...varint(n), ...new Array<number>(n).fill(1)];
    const bytes = new Uint8Array([0x12, ...varint(sample.length), ...sample, 0x32, 0x00]);
    const e = decodeError(() => decodeProfile(bytes, { maxStackEntries: 1000 }));
    expect(e.message).toMatch(/more than 1000 stack entries/);
  });

  it('limits on samples, locations and strings', async () => {
    const gz = read(path.join(GO, 'heap.pb.gz'));
    expect((await parseError(parseProfile(gz, { limits: { maxSamples: 5 } }))).message).toMatch(/more than 5 samples/);
    expect((await parseError(parseProfile(gz, { limits: { maxLocations: 5 } }))).message).toMatch(/more than 5 locations/);
    expect((await parseError(parseProfile(gz, { limits: { maxStrings: 5 } }))).message).toMatch(/more than 5 strings/);
    expect((await parseError(parseProfile(gz, { limits: { maxStackEntries: 5 } }))).code).toBe('limit');
    expect((await parseError(parseProfile(gz, { limits: { maxLabels: 5 } }))).message).toMatch(/more than 5 sample labels/);
    expect((await parseError(parseProfile(gz, { limits: { maxLines: 5 } }))).message).toMatch(/more than 5 location lines/);
    expect((await parseError(parseProfile(gz, { limits: { maxSampleTypes: 3 } }))).code).toBe('limit');
  });

  it('never throws anything but ProfileParseError on random bytes or mutated real profiles', async () => {
    const raw = new Uint8Array(zlib.gunzipSync(read(path.join(GO, 'heap.pb.gz'))));
    const check = (bytes: Uint8Array) => {
      try {
        const p = decodeProfile(bytes);
        // Whatever passes validation must be safe to analyse.
        topTable(p);
        buildFlameGraph(p);
      } catch (e) {
        if (!isProfileParseError(e)) throw e;
      }
    };
    fc.assert(fc.property(fc.uint8Array({ maxLength: 512 }), (b) => check(b)), { numRuns: 2000 });
    fc.assert(fc.property(fc.array(fc.tuple(fc.nat(raw.length - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }), fc.nat(raw.length), (edits, cut) => {
      const b = raw.slice(0, Math.max(1, cut));
      for (const [i, v] of edits) if (i < b.length) b[i] = v;
      check(b);
    }), { numRuns: 1500 });
  });
});

describe('values', () => {
  it('negative int64 sample values (as in diff profiles) decode exactly', () => {
    const p = decodeProfile(encodeFixtureProfile({ sampleTypes: [['x', 'count']], samples: [{ stack: ['f'], values: [-5] }, { stack: ['g'], values: [2 ** 40] }] }));
    expect(Array.from(p.samples.values)).toEqual([-5, 2 ** 40]);
  });

  it('labels: string and numeric', () => {
    const p = decodeProfile(encodeFixtureProfile({ sampleTypes: [['x', 'count']], samples: [{ stack: ['f'], values: [1], labels: { pod: 'a', bytes: 64 } }] }));
    expect(sampleLabels(p.samples, 0)).toEqual([{ key: 'pod', str: 'a' }, { key: 'bytes', num: 64 }]);
  });

  it('locations without lines and unnamed functions are kept', () => {
    const p = decodeProfile(encodeFixtureProfile({ sampleTypes: [['x', 'count']], samples: [{ stack: [null, '', 'main'], values: [1] }] }));
    expect(p.locations.map((l) => l.lines.length)).toEqual([0, 1, 1]);
    expect(p.functions.map((f) => f.name)).toEqual(['', 'main']);
  });
});

describe('resolveSampleIndex (pprof profile/index.go SampleIndexByName)', () => {
  const p = { sampleTypes: HEAP_TYPES.map((type) => ({ type, unit: '' })), defaultSampleIndex: 3 };
  it('default, name, number', () => {
    expect(resolveSampleIndex(p)).toBe(3);
    expect(resolveSampleIndex(p, '')).toBe(3);
    expect(resolveSampleIndex(p, 'alloc_space')).toBe(1);
    expect(resolveSampleIndex(p, '0')).toBe(0);
    expect(resolveSampleIndex(p, 2)).toBe(2);
  });
  it('legacy "inuse_" prefix for profiles with space/objects types', () => {
    expect(resolveSampleIndex({ sampleTypes: [{ type: 'objects', unit: 'count' }, { type: 'space', unit: 'bytes' }], defaultSampleIndex: 1 }, 'inuse_objects')).toBe(0);
  });
  it('rejects unknown names and out-of-range numbers with the choices', () => {
    expect(() => resolveSampleIndex(p, 'cpu')).toThrow(/must be one of: alloc_objects, alloc_space, inuse_objects, inuse_space/);
    expect(() => resolveSampleIndex(p, '4')).toThrow(/outside the range \[0..3\]/);
  });
});
