// The normalized profile model produced by lib/parse/pprof.ts (google/pprof proto/profile.proto,
// resolved: string indices become strings, ids become array indices, samples become columns).
import { ProfileParseError } from './pprof-error';

export interface ValueType {
  type: string;
  unit: string;
}

export interface ProfileFunction {
  id: number;
  name: string;
  systemName: string;
  filename: string;
  startLine: number;
}

export interface ProfileLine {
  /** Index into `Profile.functions`. */
  functionIndex: number;
  line: number;
}

export interface ProfileMapping {
  id: number;
  memoryStart: bigint;
  memoryLimit: bigint;
  fileOffset: bigint;
  filename: string;
  buildId: string;
  hasFunctions: boolean;
  hasFilenames: boolean;
  hasLineNumbers: boolean;
  hasInlineFrames: boolean;
}

export interface ProfileLocation {
  id: number;
  /** Index into `Profile.mappings`, or -1. */
  mappingIndex: number;
  address: bigint;
  /** Innermost (inlined, leaf) frame first; the last line is the physical caller frame. */
  lines: ProfileLine[];
  isFolded: boolean;
}

export interface SampleLabel {
  key: string;
  /** Set for string labels. */
  str?: string;
  /** Set for numeric labels (e.g. Go heap profiles' `bytes` = allocation size). */
  num?: number;
  numUnit?: string;
}

/**
 * Samples in columnar form: 100k+ samples cost a few typed arrays, not 100k objects.
 * Sample i's stack is `stackLocations[stackOffsets[i] .. stackOffsets[i+1])` (location indices,
 * leaf first); its value for sample type t is `values[i * sampleTypes.length + t]`; its labels are
 * entries `labelOffsets[i] .. labelOffsets[i+1]` of the label columns (see `sampleLabels`).
 */
export interface ProfileSamples {
  count: number;
  stackOffsets: Uint32Array;
  stackLocations: Uint32Array;
  values: Float64Array;
  labelOffsets: Uint32Array;
  labelKey: string[];
  /** '' for numeric labels. */
  labelStr: string[];
  labelNum: Float64Array;
  labelUnit: string[];
}

export interface Profile {
  sampleTypes: ValueType[];
  /** Index into `sampleTypes` that tools show by default (see file header). */
  defaultSampleIndex: number;
  /** The raw `default_sample_type` string ("" when unset). */
  defaultSampleType: string;
  periodType: ValueType;
  period: number;
  /** Wall time of collection, ns since the epoch (int64, beyond 2^53: kept exact as bigint). */
  timeNanos: bigint;
  durationNanos: number;
  comments: string[];
  dropFrames: string;
  keepFrames: string;
  docUrl: string;
  mappings: ProfileMapping[];
  locations: ProfileLocation[];
  functions: ProfileFunction[];
  samples: ProfileSamples;
}

export interface ProfileLimits {
  /** Compressed or raw input size. */
  maxInputBytes: number;
  /** Output of gunzip (gzip-bomb guard). */
  maxDecompressedBytes: number;
  maxSamples: number;
  /** Sum of stack lengths over all samples. */
  maxStackEntries: number;
  maxLocations: number;
  /** Sum of Location.line entries (inline frames) over all locations. */
  maxLines: number;
  maxFunctions: number;
  maxMappings: number;
  maxStrings: number;
  maxStringTableBytes: number;
  maxSampleTypes: number;
  /** Sum of label counts over all samples. */
  maxLabels: number;
}

const MiB = 1 << 20;
export const DEFAULT_PROFILE_LIMITS: Readonly<ProfileLimits> = Object.freeze({
  maxInputBytes: 512 * MiB,
  maxDecompressedBytes: 256 * MiB,
  maxSamples: 4_000_000,
  maxStackEntries: 32_000_000,
  maxLocations: 2_000_000,
  maxLines: 8_000_000,
  maxFunctions: 1_000_000,
  maxMappings: 100_000,
  maxStrings: 4_000_000,
  maxStringTableBytes: 128 * MiB,
  maxSampleTypes: 64,
  maxLabels: 16_000_000,
});

/**
 * pprof's `-sample_index` semantics (`profile/index.go SampleIndexByName`): undefined/"" → the
 * default; a number → that index; a name → that sample type ("inuse_" prefix optional).
 */
export function resolveSampleIndex(profile: Pick<Profile, 'sampleTypes' | 'defaultSampleIndex'>, sampleIndex?: string | number): number {
  const n = profile.sampleTypes.length;
  const names = profile.sampleTypes.map((t) => t.type);
  if (n === 0) throw new ProfileParseError('sample-values', 'profile has no sample types');
  if (sampleIndex === undefined || sampleIndex === '') return profile.defaultSampleIndex;
  const asNumber = typeof sampleIndex === 'number' ? sampleIndex : /^-?\d+$/.test(sampleIndex) ? Number(sampleIndex) : NaN;
  if (!Number.isNaN(asNumber)) {
    if (!Number.isInteger(asNumber) || asNumber < 0 || asNumber >= n) {
      throw new RangeError(`sample index ${sampleIndex} is outside the range [0..${n - 1}]`);
    }
    return asNumber;
  }
  const name = String(sampleIndex);
  const noInuse = name.startsWith('inuse_') ? name.slice('inuse_'.length) : name;
  const i = names.findIndex((t) => t === name || t === noInuse);
  if (i < 0) throw new RangeError(`sample index "${name}" must be one of: ${names.join(', ')}`);
  return i;
}

/** Sample i's labels as objects. */
export function sampleLabels(samples: ProfileSamples, i: number): SampleLabel[] {
  const out: SampleLabel[] = [];
  for (let k = samples.labelOffsets[i]!; k < samples.labelOffsets[i + 1]!; k++) {
    const key = samples.labelKey[k]!;
    const str = samples.labelStr[k]!;
    if (str !== '') out.push({ key, str });
    else {
      const l: SampleLabel = { key, num: samples.labelNum[k]! };
      if (samples.labelUnit[k] !== '') l.numUnit = samples.labelUnit[k]!;
      out.push(l);
    }
  }
  return out;
}

/** Sample i's stack as location indices, leaf first (a view, not a copy). */
export function sampleStack(samples: ProfileSamples, i: number): Uint32Array {
  return samples.stackLocations.subarray(samples.stackOffsets[i]!, samples.stackOffsets[i + 1]!);
}
