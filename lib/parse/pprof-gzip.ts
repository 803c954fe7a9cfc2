// Gzip handling for profiles. `/debug/pprof/*` serves profile.proto gzip-compressed (magic 1f 8b,
// RFC 1952). lib/ must stay isomorphic, so the default decompressor is the web-standard
// DecompressionStream (Node ≥ 18, all current browsers), read chunk by chunk so a gzip bomb is
// stopped at `maxOutputBytes` instead of filling memory. Servers/CLIs may pass their own bounded
// implementation (e.g. node:zlib with `maxOutputLength`, see cli/gunzip.ts).
import { ProfileParseError, isProfileParseError } from './pprof-error';

/** Decompress `bytes`, failing (throwing) once more than `maxOutputBytes` would be produced. */
export type Gunzip = (bytes: Uint8Array, maxOutputBytes: number) => Uint8Array | Promise<Uint8Array>;

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

export function tooLargeError(maxOutputBytes: number): ProfileParseError {
  return new ProfileParseError('too-large', `decompressed profile exceeds the limit of ${maxOutputBytes} bytes (${formatMiB(maxOutputBytes)}); refusing to inflate further (possible gzip bomb)`);
}

export function formatMiB(n: number): string {
  return `${(n / (1 << 20)).toFixed(n % (1 << 20) === 0 ? 0 : 1)} MiB`;
}

/** Bounded gunzip on the web-standard DecompressionStream. */
export async function gunzipWithDecompressionStream(bytes: Uint8Array, maxOutputBytes: number): Promise<Uint8Array> {
  if (typeof DecompressionStream === 'undefined') {
    throw new ProfileParseError('no-gunzip', 'profile is gzip-compressed but DecompressionStream is not available here; pass a gunzip function');
  }
  const ds = new DecompressionStream('gzip');
  const writer = ds.writable.getWriter();
  // Errors surface on the readable side; swallow them here to avoid unhandled rejections.
  writer.write(new Uint8Array(bytes)).catch(() => undefined);
  writer.close().catch(() => undefined);
  const reader = ds.readable.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.byteLength;
      if (total > maxOutputBytes) {
        await reader.cancel().catch(() => undefined);
        throw tooLargeError(maxOutputBytes);
      }
      chunks.push(value);
    }
  } catch (e) {
    if (isProfileParseError(e)) throw e;
    throw new ProfileParseError('gzip', `corrupt gzip stream: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(total);
  let off = 0;
  for (const c of chunks) {
    out.set(c, off);
    off += c.byteLength;
  }
  return out;
}

/** Runs a caller-supplied gunzip and classifies whatever it throws. */
export async function runGunzip(gunzip: Gunzip, bytes: Uint8Array, maxOutputBytes: number): Promise<Uint8Array> {
  let out: Uint8Array;
  try {
    out = await gunzip(bytes, maxOutputBytes);
  } catch (e) {
    if (isProfileParseError(e)) throw e;
    const code = e && typeof e === 'object' && 'code' in e ? String((e as { code: unknown }).code) : '';
    // node:zlib reports `maxOutputLength` overruns as RangeError ERR_BUFFER_TOO_LARGE.
    if (code === 'ERR_BUFFER_TOO_LARGE' || e instanceof RangeError) throw tooLargeError(maxOutputBytes);
    throw new ProfileParseError('gzip', `corrupt gzip stream: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
  if (out.byteLength > maxOutputBytes) throw tooLargeError(maxOutputBytes);
  return out;
}
