// Reader for pprof profiles: google/pprof `proto/profile.proto` (package perftools.profiles),
// gzip-compressed or raw. Produces one normalized, validated model that the analysis functions
// (lib/analysis/profile*.ts, lib/analysis/flame*.ts) work on.
//
// Format rules, with their source:
// - `string_table[0]` must be "" (profile.proto; pprof `profile/encode.go`: "string_table[0] must be ''").
// - `Sample.location_id`: "The leaf is at location_id[0]" (profile.proto).
// - `Sample.value`: len must equal len(sample_type) (profile.proto; pprof `CheckValid` "mismatch:
//   sample has %d values vs. %d types").
// - `Location.line`: "multiple line indicates this location has inlined functions, where the last
//   entry represents the caller into which the preceding entries were inlined" (profile.proto), so
//   `lines[0]` is the innermost (leaf) frame.
// - `default_sample_type`: "If unset, clients should default to the last sample value"
//   (profile.proto; pprof `profile/index.go SampleIndexByName`). Go's /debug/pprof/heap leaves it
//   unset, so heap profiles default to inuse_space; /debug/pprof/allocs sets "alloc_space"
//   (`runtime/pprof/protomem.go writeHeapProto`).
// - ids 0 are reserved and ids must be unique (pprof `profile.go CheckValid`); a location whose
//   mapping_id is 0 or unknown simply has no mapping (pprof `encode.go postDecode`).
import { ProfileParseError, isProfileParseError } from './pprof-error';
import { type Gunzip, gunzipWithDecompressionStream, isGzip, runGunzip, formatMiB } from './pprof-gzip';
import { DEFAULT_PROFILE_LIMITS, type Profile, type ProfileLimits } from './pprof-model';
import { readTopLevel, rejectLegacyText } from './pprof-decode';
import { resolveProfile } from './pprof-resolve';

export { ProfileParseError, isProfileParseError } from './pprof-error';
export type { ProfileParseErrorCode } from './pprof-error';
export { type Gunzip, gunzipWithDecompressionStream, isGzip } from './pprof-gzip';
export * from './pprof-model';

export interface ParseProfileOptions {
  /** Used for gzip input. Defaults to a bounded DecompressionStream reader. */
  gunzip?: Gunzip;
  limits?: Partial<ProfileLimits>;
}

/** Parse a profile from gzip-compressed or raw profile.proto bytes. */
export async function parseProfile(bytes: Uint8Array, options: ParseProfileOptions = {}): Promise<Profile> {
  const limits = { ...DEFAULT_PROFILE_LIMITS, ...options.limits };
  if (bytes.byteLength > limits.maxInputBytes) {
    throw new ProfileParseError('too-large', `profile is ${bytes.byteLength} bytes; the limit is ${limits.maxInputBytes} bytes (${formatMiB(limits.maxInputBytes)})`);
  }
  let raw = bytes;
  if (isGzip(bytes)) raw = await runGunzip(options.gunzip ?? gunzipWithDecompressionStream, bytes, limits.maxDecompressedBytes);
  return decodeProfile(raw, limits);
}

/**
 * Parse already-decompressed profile.proto bytes. Throws only `ProfileParseError`.
 * (gzip input is rejected with code 'no-gunzip': use `parseProfile`.)
 */
export function decodeProfile(raw: Uint8Array, limitOverrides: Partial<ProfileLimits> = {}): Profile {
  const limits = { ...DEFAULT_PROFILE_LIMITS, ...limitOverrides };
  if (raw.byteLength === 0) throw new ProfileParseError('empty', 'empty input: no profile data');
  if (isGzip(raw)) throw new ProfileParseError('no-gunzip', 'profile is gzip-compressed; decompress it first (parseProfile does)');
  if (raw.byteLength > limits.maxDecompressedBytes) {
    throw new ProfileParseError('too-large', `profile is ${raw.byteLength} bytes decompressed; the limit is ${limits.maxDecompressedBytes} bytes (${formatMiB(limits.maxDecompressedBytes)})`);
  }
  rejectLegacyText(raw);
  // A plain Uint8Array view: Node Buffers' subarray() is several times slower, and pprof-format
  // takes a subarray per field.
  const bytes = new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength);
  try {
    return resolveProfile(readTopLevel(bytes, limits));
  } catch (e) {
    if (isProfileParseError(e) && e.code === 'wire') {
      throw new ProfileParseError('wire', `malformed profile.proto (is this a pprof profile?): ${e.message}`, { cause: e });
    }
    if (isProfileParseError(e)) throw e;
    // pprof-format throws plain Errors (e.g. "Unrecognized value type") on malformed nested messages.
    throw new ProfileParseError('wire', `malformed profile.proto: ${e instanceof Error ? e.message : String(e)}`, { cause: e });
  }
}
