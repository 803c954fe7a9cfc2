// Node-side input for audit logs (the CLI and the server): a file, stdin or an upload stream, plain
// or gzip (sniffed from the magic bytes, as `--audit-log-compress` rotates to .gz), inflated as a
// stream with a cap on the decompressed size (gzip-bomb guard), fed chunk by chunk to an
// AuditLineReader. lib/ stays free of node: imports.
import { createReadStream } from 'node:fs';
import type { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { AuditLineReader } from '../lib/audit/lines';
import type { EventSink, LineReaderOptions, DamageReport } from '../lib/audit/lines';

export const DEFAULT_MAX_DECOMPRESSED = 64 * 1024 ** 3;

export class AuditInputError extends Error {
  constructor(message: string) { super(message); this.name = 'AuditInputError'; }
}

export interface AuditReadOptions extends LineReaderOptions {
  /** Decompressed bytes allowed from a gzip input (default 64 GiB). */
  maxDecompressedBytes?: number;
  /** Called now and then with input bytes consumed (compressed bytes for gzip). */
  onProgress?: (inputBytes: number) => void;
  /** Stop reading (the result so far is returned). */
  signal?: AbortSignal;
}

export interface AuditReadResult {
  damage: DamageReport;
  lines: number;
  /** Bytes of audit text read (decompressed). */
  textBytes: number;
  inputBytes: number;
  gzip: boolean;
}

async function* gunzipChunks(source: AsyncIterable<Uint8Array>, first: Uint8Array, max: number, name: string): AsyncGenerator<Uint8Array> {
  const inflate = zlib.createGunzip();
  let out = 0;
  const feed = (async () => {
    try {
      inflate.write(first);
      for await (const c of source) {
        if (!inflate.write(c)) await new Promise((r) => inflate.once('drain', r));
      }
      inflate.end();
    } catch (e) {
      inflate.destroy(e instanceof Error ? e : new Error(String(e)));
    }
  })();
  try {
    for await (const c of inflate as AsyncIterable<Buffer>) {
      out += c.length;
      if (out > max) throw new AuditInputError(`${name}: decompressed size exceeds the limit of ${max} bytes; refusing to inflate further (possible gzip bomb)`);
      yield c;
    }
  } catch (e) {
    if (e instanceof AuditInputError) throw e;
    throw new AuditInputError(`${name}: corrupt gzip stream: ${e instanceof Error ? e.message : String(e)}`);
  } finally {
    inflate.destroy();
    await feed.catch(() => undefined);
  }
}

/** Reads an audit log from a stream into `sink`, one event at a time. */
export async function readAuditStream(source: Readable | AsyncIterable<Uint8Array>, name: string, sink: EventSink, opts: AuditReadOptions = {}): Promise<AuditReadResult> {
  const reader = new AuditLineReader(sink, opts);
  let inputBytes = 0;
  let lastReport = 0;
  const it = (source as AsyncIterable<Uint8Array | string>)[Symbol.asyncIterator]();
  const counted: AsyncIterable<Uint8Array> = {
    [Symbol.asyncIterator]: () => ({
      next: async () => {
        const r = await it.next();
        if (!r.done) {
          const v = typeof r.value === 'string' ? Buffer.from(r.value) : r.value;
          inputBytes += v.length;
          if (opts.onProgress && inputBytes - lastReport >= 4 << 20) { lastReport = inputBytes; opts.onProgress(inputBytes); }
          return { done: false, value: v };
        }
        return { done: true, value: undefined };
      },
      return: async () => { await it.return?.(); return { done: true, value: undefined }; },
    }),
  };
  const iter = counted[Symbol.asyncIterator]();
  const head = await iter.next();
  let gzip = false;
  if (!head.done) {
    const first = head.value;
    gzip = first.length >= 2 && first[0] === 0x1f && first[1] === 0x8b;
    const rest: AsyncIterable<Uint8Array> = { [Symbol.asyncIterator]: () => iter };
    if (gzip) {
      for await (const c of gunzipChunks(rest, first, opts.maxDecompressedBytes ?? DEFAULT_MAX_DECOMPRESSED, name)) {
        reader.write(c);
        if (opts.signal?.aborted) break;
      }
    } else {
      reader.write(first);
      for await (const c of rest) {
        reader.write(c);
        if (opts.signal?.aborted) break;
      }
    }
  }
  const damage = reader.end();
  opts.onProgress?.(inputBytes);
  return { damage, lines: reader.lines, textBytes: reader.bytesRead, inputBytes, gzip };
}

/** Reads an audit log file (`-` is stdin). */
export function readAuditFile(file: string, sink: EventSink, opts: AuditReadOptions = {}): Promise<AuditReadResult> {
  const input = file === '-' ? process.stdin : createReadStream(file, { highWaterMark: 1 << 20 });
  return readAuditStream(input, file, sink, opts);
}
