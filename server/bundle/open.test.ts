// Hostile bundles: refused with 413 as soon as the offending entry's header is read, never inflated
// to the end (a gzip bomb costs its header, not its gigabytes), and no extraction left behind.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { Header } from 'tar';
import { describe, expect, it } from 'vitest';
import { BundleError, openBundle } from './open';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kf-open-test-'));

/** A .tar.gz holding one entry whose header says `size` bytes, its body zeros streamed through gzip. */
async function bombOf(size: number, file: string): Promise<void> {
  const h = new Header({ path: 'metrics/kube-apiserver/2026-01-01T00:00:00Z.prom', size, type: 'File', mode: 0o644, mtime: new Date(0) });
  const header = Buffer.alloc(512);
  h.encode(header, 0);
  const gz = zlib.createGzip({ level: 1 });
  const out = fs.createWriteStream(file);
  gz.pipe(out);
  gz.write(header);
  const zeros = Buffer.alloc(1 << 20);
  for (let left = size; left > 0; left -= zeros.length) {
    if (!gz.write(left >= zeros.length ? zeros : zeros.subarray(0, left))) await new Promise<void>((r) => gz.once('drain', () => r()));
  }
  gz.end(Buffer.alloc(1024));
  await new Promise<void>((r) => out.on('close', () => r()));
}

const extractions = () => fs.readdirSync(os.tmpdir()).filter((f) => f.startsWith('kf-bundle-')).length;

describe('openBundle on hostile input', () => {
  it('a 256 MiB entry over a 1 MiB file limit: 413 at its header, without inflating the rest', async () => {
    const file = path.join(tmp, 'bomb.tar.gz');
    await bombOf(256 << 20, file);
    expect(fs.statSync(file).size).toBeLessThan(2 << 20);
    const before = extractions();
    const t0 = performance.now();
    const err = await openBundle(file, { maxFileBytes: 1 << 20, maxExtractedBytes: 1 << 30, maxEntries: 10 }).catch((e: unknown) => e);
    const ms = performance.now() - t0;
    expect(err).toBeInstanceOf(BundleError);
    expect((err as BundleError).status).toBe(413);
    expect((err as Error).message).toMatch(/^bundle entry metrics\/kube-apiserver\/.*\.prom is over the 1048576-byte limit$/);
    // Inflating 256 MiB takes about a second here; stopping at the header, a few milliseconds.
    const inflate = performance.now();
    zlib.gunzipSync(fs.readFileSync(file));
    const inflateMs = performance.now() - inflate;
    expect(ms).toBeLessThan(inflateMs / 4);
    expect(extractions()).toBe(before);
  }, 60_000);

  it('a truncated archive: a clear 400, not a crash', async () => {
    const good = path.join(import.meta.dirname, '../../testdata/bundles/healthy-baseline.tar.gz');
    const cut = path.join(tmp, 'cut.tar.gz');
    fs.writeFileSync(cut, fs.readFileSync(good).subarray(0, 50_000));
    const err = await openBundle(cut).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BundleError);
    expect((err as BundleError).status).toBe(400);
    expect((err as Error).message).toMatch(/^cannot read bundle cut\.tar\.gz: /);
  });
});
