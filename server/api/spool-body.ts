import 'server-only';
// Streams a request body to a private file, capped. Every upload route (profiles and dumps,
// bundles, audit logs) goes through here so that an upload costs one chunk of memory while it
// arrives, whatever its size: nothing is buffered whole, and a body over the cap is refused
// (413) as soon as the count passes it — before reading at all when Content-Length says so.
import fs from 'node:fs';
import { HttpError } from './http-error';

export interface SpoolOptions {
  /** Bytes accepted; one more is a 413. */
  limit: number;
  /** How the limit reads in the error ("128 MiB"). */
  limitText: string;
  /** Noun for the messages ("upload", "bundle"). */
  what?: string;
}

export interface Spooled {
  size: number;
  /** The first bytes (up to 16), for magic-number checks without reopening the file. */
  head: Uint8Array;
}

/** 413 when the declared Content-Length is already over the limit. */
export function refuseDeclaredOversize(req: Request, o: SpoolOptions): void {
  const declared = Number(req.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > o.limit) throw new HttpError(413, `${o.what ?? 'upload'} is ${declared} bytes; the limit is ${o.limitText}`);
}

/**
 * Writes the body to `file` (created 0600, must not exist). On any failure — too large, client
 * gone, disk full — the partial file is removed and the error rethrown. An empty body is a 400.
 */
export async function spoolBody(req: Request, file: string, o: SpoolOptions): Promise<Spooled> {
  refuseDeclaredOversize(req, o);
  if (!req.body) throw new HttpError(400, `empty ${o.what ?? 'upload'}`);
  const fh = await fs.promises.open(file, 'wx', 0o600);
  const reader = req.body.getReader();
  let size = 0;
  const head = new Uint8Array(16);
  let headLen = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > o.limit) {
        await reader.cancel().catch(() => undefined);
        throw new HttpError(413, `${o.what ?? 'upload'} exceeds the limit of ${o.limitText}`);
      }
      if (headLen < head.length) {
        const take = value.subarray(0, head.length - headLen);
        head.set(take, headLen);
        headLen += take.byteLength;
      }
      for (let off = 0; off < value.byteLength;) off += (await fh.write(value, off, value.byteLength - off)).bytesWritten;
    }
    if (size === 0) throw new HttpError(400, `empty ${o.what ?? 'upload'}`);
    await fh.close();
  } catch (e) {
    await fh.close().catch(() => undefined);
    fs.rmSync(file, { force: true });
    throw e;
  }
  return { size, head: head.slice(0, headLen) };
}
