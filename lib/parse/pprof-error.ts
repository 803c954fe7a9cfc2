/** Why a profile could not be read. Tag by string (`code`), not by `instanceof` chains. */
export type ProfileParseErrorCode =
  | 'empty' // zero bytes
  | 'gzip' // corrupt gzip stream
  | 'too-large' // input or decompressed size over the limit (gzip bomb guard)
  | 'no-gunzip' // gzip input but no decompressor available
  | 'legacy-format' // a text profile (debug=1), not profile.proto
  | 'wire' // protobuf framing is broken: truncated field, bad wire type, varint overflow
  | 'string-table' // string_table[0] is not "" or a string index is out of range
  | 'reference' // a sample/location/line refers to an id that is not defined
  | 'duplicate-id' // two mappings/locations/functions share an id
  | 'zero-id' // id 0 is reserved (profile.proto: "ID=0 is reserved")
  | 'sample-values' // len(sample.value) != len(sample_type)
  | 'value-range' // an int64 that does not fit a JS number exactly (|v| > 2^53)
  | 'limit'; // too many samples/locations/functions/strings for the configured limits

/** The only error the pprof parser throws, so callers can map it to a 4xx / exit code 1. */
export class ProfileParseError extends Error {
  readonly code: ProfileParseErrorCode;
  constructor(code: ProfileParseErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ProfileParseError';
    this.code = code;
  }
}

export function isProfileParseError(e: unknown): e is ProfileParseError {
  return e instanceof Error && e.name === 'ProfileParseError' && typeof (e as { code?: unknown }).code === 'string';
}
