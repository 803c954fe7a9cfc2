// Bounded gunzip on node:zlib, for the CLI and the server (lib/ stays free of node: imports and
// takes this as its `gunzip` option). `maxOutputLength` makes zlib stop inflating once the output
// would exceed the limit (Node ≥ 14.5), so a gzip bomb costs at most `maxOutputBytes` of memory.
import zlib from 'node:zlib';
import { promisify } from 'node:util';
import { ProfileParseError } from '../lib/parse/pprof';

const gunzipAsync = promisify(zlib.gunzip) as (buf: zlib.InputType, options: zlib.ZlibOptions) => Promise<Buffer>;

export async function gunzipBounded(bytes: Uint8Array, maxOutputBytes: number): Promise<Uint8Array> {
  try {
    return await gunzipAsync(bytes, { maxOutputLength: maxOutputBytes });
  } catch (e) {
    const code = e && typeof e === 'object' && 'code' in e ? String((e as { code: unknown }).code) : '';
    if (code === 'ERR_BUFFER_TOO_LARGE') {
      throw new ProfileParseError('too-large', `decompressed profile exceeds the limit of ${maxOutputBytes} bytes; refusing to inflate further (possible gzip bomb)`, { cause: e });
    }
    throw new ProfileParseError('gzip', `corrupt gzip stream: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
}
