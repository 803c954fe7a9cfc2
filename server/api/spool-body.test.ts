import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isHttpError } from './http-error';
import { spoolBody } from './spool-body';

let dir: string;
beforeEach(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kf-spool-test-')); });
afterEach(() => { fs.rmSync(dir, { recursive: true, force: true }); });

/** A streamed (chunked, no Content-Length) body of `n` chunks of `size` bytes, counting pulls. */
function chunked(n: number, size: number, fill = 0x61): { req: Request; pulled: () => number } {
  let i = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(c) { if (i >= n) { c.close(); return; } i++; c.enqueue(new Uint8Array(size).fill(fill)); },
  });
  return { req: new Request('http://127.0.0.1/x', { method: 'POST', body, duplex: 'half' } as RequestInit), pulled: () => i };
}

const opts = { limit: 10 * 1024, limitText: '10 KiB' };

async function status(p: Promise<unknown>): Promise<{ status: number; message: string }> {
  try { await p; } catch (e) { if (isHttpError(e)) return { status: e.status, message: e.message }; throw e; }
  return { status: 200, message: '' };
}

describe('spoolBody', () => {
  it('writes the body to the file and reports its size and first bytes', async () => {
    const file = path.join(dir, 'a');
    const body = new TextEncoder().encode('goroutine 1 [running]:\n'.repeat(300));
    const r = await spoolBody(new Request('http://127.0.0.1/x', { method: 'POST', body }), file, { ...opts, limit: 1 << 20 });
    expect(r.size).toBe(body.byteLength);
    expect(new TextDecoder().decode(r.head)).toBe('goroutine 1 [run');
    expect(fs.readFileSync(file).equals(Buffer.from(body))).toBe(true);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it('refuses a chunked body once it passes the limit, stops reading, and leaves no file', async () => {
    const file = path.join(dir, 'b');
    const { req, pulled } = chunked(1000, 1024);
    const r = await status(spoolBody(req, file, opts));
    expect(r).toEqual({ status: 413, message: 'upload exceeds the limit of 10 KiB' });
    expect(pulled()).toBeLessThan(20);
    expect(fs.existsSync(file)).toBe(false);
  });

  it('accepts a body of exactly the limit', async () => {
    const { req } = chunked(10, 1024);
    expect((await spoolBody(req, path.join(dir, 'c'), opts)).size).toBe(10 * 1024);
  });

  it('refuses a declared oversize body before reading it', async () => {
    const { req, pulled } = chunked(1, 16);
    const declared = new Request(req, { headers: { 'content-length': String(1 << 30) } });
    const r = await status(spoolBody(declared, path.join(dir, 'd'), { ...opts, what: 'bundle' }));
    expect(r).toEqual({ status: 413, message: `bundle is ${1 << 30} bytes; the limit is 10 KiB` });
    expect(pulled()).toBeLessThanOrEqual(1); // a web stream pulls its first chunk when made
    expect(fs.existsSync(path.join(dir, 'd'))).toBe(false);
  });

  it('answers 400 for an empty body and removes the file', async () => {
    const r = await status(spoolBody(chunked(0, 1).req, path.join(dir, 'e'), opts));
    expect(r.status).toBe(400);
    expect(fs.existsSync(path.join(dir, 'e'))).toBe(false);
  });

  it('never overwrites an existing file', async () => {
    const file = path.join(dir, 'f');
    fs.writeFileSync(file, 'kept');
    await expect(spoolBody(chunked(1, 8).req, file, opts)).rejects.toThrow(/EEXIST/);
    expect(fs.readFileSync(file, 'utf8')).toBe('kept');
  });
});
