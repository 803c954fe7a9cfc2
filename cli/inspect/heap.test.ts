import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryIO } from '../io';
import { gunzipBounded } from '../gunzip';
import { HEAP_FILE_LIMITS, run } from './heap';

const root = path.resolve(__dirname, '../..');
const HEAP = path.join(root, 'testdata/pprof/go1.19/heap.pb.gz');
const WIDE = path.join(root, 'testdata/pprof/go1.19/heap-wide.pb.gz');
const APISERVER = path.join(root, 'testdata/pprof/kube-apiserver/v1.20.2/heap-idle.pb.gz');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kf-heap-cli-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function cli(...args: string[]) {
  const io = memoryIO();
  const code = await run(args, io);
  return { code, out: io.out, err: io.err };
}

interface HeapJson {
  sampleTypes: string[];
  sampleIndex: string;
  unit: string;
  total: number;
  top: Array<{ function: string; flat: number; cum: number }>;
  diff?: { baseTotal: number; newTotal: number; totalDelta: number; rows: Array<{ function: string; flatDelta: number; cumDelta: number; status: string }> };
}

describe('kube-forensics inspect heap', () => {
  it('prints a pprof -top table for the default sample type (inuse_space)', async () => {
    const r = await cli(APISERVER, '--top', '10');
    expect(r.code).toBe(0);
    expect(r.err).toBe('');
    expect(r.out).toMatch(/^File: kube-apiserver\nType: inuse_space\n/);
    expect(r.out).toMatch(/Showing top 10 nodes out of \d+/);
    expect(r.out).toContain('      flat  flat%   sum%        cum   cum%\n');
    expect(r.out.trimEnd().split('\n').filter((l) => /%\s\s\S/.test(l))).toHaveLength(10);
  });

  it('--cum orders by cum, and the cut to --top N follows that order', async () => {
    const all = JSON.parse((await cli(APISERVER, '--json', '--cum')).out) as HeapJson & { sort: string };
    expect(all.sort).toBe('cum');
    const cums = all.top.map((r) => Math.abs(r.cum));
    expect(cums).toEqual([...cums].sort((a, b) => b - a));
    const five = JSON.parse((await cli(APISERVER, '--json', '--cum', '--top', '5')).out) as HeapJson;
    expect(five.top).toEqual(all.top.slice(0, 5));
    // By flat, the first five are others: the cut is not the flat top re-sorted.
    const flat = JSON.parse((await cli(APISERVER, '--json', '--top', '5')).out) as HeapJson & { sort: string };
    expect(flat.sort).toBe('flat');
    expect(flat.top.map((r) => r.function)).not.toEqual(five.top.map((r) => r.function));
    const text = await cli(APISERVER, '--cum', '--top', '3');
    expect(text.code).toBe(0);
    expect(text.out.trimEnd().split('\n').filter((l) => /%\s\s\S/.test(l)).map((l) => l.replace(/^.*%\s\s/, ''))).toEqual(five.top.slice(0, 3).map((r) => r.function));
  });

  it('--sample-index and --unit', async () => {
    const r = await cli(HEAP, '--sample-index', 'alloc_space', '--unit=B');
    expect(r.code).toBe(0);
    expect(r.out).toContain('Type: alloc_space');
    expect(r.out).toMatch(/\d+B \d+\.\d+%.*main\.allocGarbage/);
  });

  it('--json: sample types, sample index, total and raw-unit rows', async () => {
    const r = await cli(HEAP, '--json', '--top', '3', '--sample-index', 'inuse_objects');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as HeapJson;
    expect(j.sampleTypes).toEqual(['alloc_objects', 'alloc_space', 'inuse_objects', 'inuse_space']);
    expect(j.sampleIndex).toBe('inuse_objects');
    expect(j.unit).toBe('count');
    expect(j.total).toBeGreaterThan(0);
    expect(j.top).toHaveLength(3);
    for (const row of j.top) {
      expect(Number.isInteger(row.flat) && Number.isInteger(row.cum)).toBe(true);
      expect(row.flat).toBeLessThanOrEqual(row.cum);
    }
  });

  it('--base adds a per-function diff (text and JSON)', async () => {
    const text = await cli(WIDE, '--base', HEAP, '--top', '5');
    expect(text.code).toBe(0);
    expect(text.out).toMatch(/Change since .*heap\.pb\.gz \(inuse_space\): \+/);
    expect(text.out).toMatch(/\+\S+\s+\+\S+\s+appeared\s+main\.wideStep/);
    const j = JSON.parse((await cli(WIDE, '--base', HEAP, '--json')).out) as HeapJson;
    expect(j.diff!.totalDelta).toBe(j.diff!.newTotal - j.diff!.baseTotal);
    expect(j.diff!.rows.find((r) => r.function === 'main.wideStep')?.status).toBe('appeared');
  });

  it('usage errors exit 2', async () => {
    expect((await cli()).code).toBe(2);
    expect((await cli(HEAP, '--top', '0')).code).toBe(2);
    expect((await cli(HEAP, '--frobnicate')).err).toMatch(/unknown option --frobnicate/);
    expect((await cli('--help')).code).toBe(0);
  });

  it('unknown sample index: exit 1 listing the choices', async () => {
    const r = await cli(HEAP, '--sample-index', 'cpu');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/must be one of: alloc_objects, alloc_space, inuse_objects, inuse_space/);
  });

  it('missing, corrupt and non-profile files: exit 1 with a clear message', async () => {
    expect((await cli(path.join(tmp, 'nope.pb.gz'))).err).toMatch(/nope\.pb\.gz: ENOENT/);
    const truncated = path.join(tmp, 'truncated.pb.gz');
    const gz = fs.readFileSync(HEAP);
    fs.writeFileSync(truncated, gz.subarray(0, gz.length - 100));
    const r = await cli(truncated);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/truncated\.pb\.gz: not a readable profile: corrupt gzip stream/);
    const text = path.join(tmp, 'goroutines.txt');
    fs.writeFileSync(text, 'goroutine profile: total 3\n1 @ 0x1\n');
    expect((await cli(text)).err).toMatch(/text profile .* capture with \?debug=0/);
  });

  it('gzip bomb: refuses to inflate past the decompressed-size limit', async () => {
    const bomb = path.join(tmp, 'bomb.pb.gz');
    fs.writeFileSync(bomb, zlib.gzipSync(Buffer.alloc(4 << 20)));
    const saved = HEAP_FILE_LIMITS.maxDecompressedBytes;
    HEAP_FILE_LIMITS.maxDecompressedBytes = 1 << 20;
    try {
      const r = await cli(bomb);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/exceeds the limit of 1048576 bytes.*gzip bomb/);
    } finally {
      HEAP_FILE_LIMITS.maxDecompressedBytes = saved;
    }
    await expect(gunzipBounded(zlib.gzipSync(Buffer.alloc(4096)), 1024)).rejects.toMatchObject({ code: 'too-large' });
    expect((await gunzipBounded(zlib.gzipSync(Buffer.from('abc')), 1024)).byteLength).toBe(3);
  });

  it('compressed-size limit is checked before reading', async () => {
    const saved = HEAP_FILE_LIMITS.maxFileBytes;
    HEAP_FILE_LIMITS.maxFileBytes = 100;
    try {
      expect((await cli(HEAP)).err).toMatch(/file is \d+ bytes; the limit is 100 bytes/);
    } finally {
      HEAP_FILE_LIMITS.maxFileBytes = saved;
    }
  });
});
