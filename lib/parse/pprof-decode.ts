// Wire level of the pprof reader: walks profile.proto's top level (and Sample/Label messages)
// into raw, unresolved columns (`RawTop`), enforcing limits as it goes. Field numbers and types:
// google/pprof proto/profile.proto. Nested Location/Function/Mapping/ValueType messages are decoded
// by pprof-format.
import { Function as PbFunction, Location as PbLocation, Mapping as PbMapping, ValueType as PbValueType } from 'pprof-format';
import { ProfileParseError } from './pprof-error';
import type { ProfileLimits } from './pprof-model';
import { GrowableFloat64, WIRE_LEN, WIRE_VARINT, WireReader } from './pprof-wire';

export interface RawTop {
  strings: string[];
  stringBytes: number;
  sampleTypes: PbValueType[];
  periodType: PbValueType | undefined;
  sampleCount: number;
  stackOffsets: GrowableFloat64;
  stackIds: GrowableFloat64;
  values: GrowableFloat64;
  valuesPerSample: number;
  /** Sample i's labels: raw[labelOffsets[i]*4 ..] as (key, str, num, num_unit) string indices / values. */
  labelOffsets: GrowableFloat64;
  labelRaw: GrowableFloat64;
  mappings: PbMapping[];
  locations: PbLocation[];
  lineCount: number;
  functions: PbFunction[];
  dropFrames: bigint;
  keepFrames: bigint;
  timeNanos: bigint;
  durationNanos: bigint;
  period: bigint;
  comments: bigint[];
  defaultSampleType: bigint;
  docUrl: bigint;
}

export function rejectLegacyText(raw: Uint8Array): void {
  // Legacy text formats start with ASCII headers such as "heap profile: " (debug=1 heap,
  // runtime/pprof `writeHeapInternal`) or "goroutine profile: " / "--- " (other debug=1 dumps).
  const head = new TextDecoder().decode(raw.subarray(0, 32));
  if (/^(heap profile: |goroutine profile: |--- |threadcreate profile: |goroutine \d+ \[)/.test(head)) {
    throw new ProfileParseError('legacy-format', `this is a text profile ("${head.split('\n')[0]}…"), not profile.proto; capture with ?debug=0 (the default)`);
  }
}

/** How many times `field` occurs at the top level of a message (walks tags, skips payloads). */
function countField(msg: Uint8Array, field: number): number {
  const r = new WireReader(msg);
  let n = 0;
  while (!r.done) {
    const tag = r.varint('tag');
    const f = Math.floor(tag / 8);
    if (f === field) n++;
    r.skip(tag % 8, f);
  }
  return n;
}

function checkLimit(count: number, limit: number, what: string): void {
  if (count > limit) throw new ProfileParseError('limit', `profile has more than ${limit} ${what}; raise the limit if this is expected`);
}

function expectWire(actual: number, expected: number, field: string): void {
  if (actual !== expected) throw new ProfileParseError('wire', `field ${field} has wire type ${actual}, expected ${expected}`);
}

const textDecoder = new TextDecoder('utf-8');

export function readTopLevel(buf: Uint8Array, limits: ProfileLimits): RawTop {
  const r = new WireReader(buf);
  const t: RawTop = {
    strings: [], stringBytes: 0, sampleTypes: [], periodType: undefined, sampleCount: 0, stackOffsets: new GrowableFloat64(4096),
    stackIds: new GrowableFloat64(4096), values: new GrowableFloat64(4096), valuesPerSample: -1,
    labelOffsets: new GrowableFloat64(4096), labelRaw: new GrowableFloat64(4096),
    mappings: [], locations: [], lineCount: 0, functions: [], dropFrames: 0n, keepFrames: 0n, timeNanos: 0n, durationNanos: 0n,
    period: 0n, comments: [], defaultSampleType: 0n, docUrl: 0n,
  };
  t.stackOffsets.push(0);
  t.labelOffsets.push(0);
  while (!r.done) {
    const tag = r.varint('tag');
    const field = Math.floor(tag / 8);
    const wire = tag % 8;
    switch (field) {
      case 1: // sample_type
        expectWire(wire, WIRE_LEN, 'sample_type');
        t.sampleTypes.push(PbValueType.decode(r.bytes('sample_type')));
        checkLimit(t.sampleTypes.length, limits.maxSampleTypes, 'sample types');
        break;
      case 2: { // sample
        expectWire(wire, WIRE_LEN, 'sample');
        readSample(r, r.lengthEnd('sample'), t, limits);
        break;
      }
      case 3:
        expectWire(wire, WIRE_LEN, 'mapping');
        t.mappings.push(PbMapping.decode(r.bytes('mapping')));
        checkLimit(t.mappings.length, limits.maxMappings, 'mappings');
        break;
      case 4: {
        expectWire(wire, WIRE_LEN, 'location');
        const b = r.bytes('location');
        checkLimit(t.locations.length + 1, limits.maxLocations, 'locations');
        // Count Location.line (field 4) entries before pprof-format turns each into an object.
        t.lineCount += countField(b, 4);
        checkLimit(t.lineCount, limits.maxLines, 'location lines');
        t.locations.push(PbLocation.decode(b));
        break;
      }
      case 5:
        expectWire(wire, WIRE_LEN, 'function');
        t.functions.push(PbFunction.decode(r.bytes('function')));
        checkLimit(t.functions.length, limits.maxFunctions, 'functions');
        break;
      case 6: { // string_table
        expectWire(wire, WIRE_LEN, 'string_table');
        const b = r.bytes('string_table entry');
        t.stringBytes += b.byteLength;
        checkLimit(t.stringBytes, limits.maxStringTableBytes, 'string table bytes');
        t.strings.push(b.byteLength === 0 ? '' : textDecoder.decode(b));
        checkLimit(t.strings.length, limits.maxStrings, 'strings');
        break;
      }
      case 7: expectWire(wire, WIRE_VARINT, 'drop_frames'); t.dropFrames = r.int64('drop_frames'); break;
      case 8: expectWire(wire, WIRE_VARINT, 'keep_frames'); t.keepFrames = r.int64('keep_frames'); break;
      case 9: expectWire(wire, WIRE_VARINT, 'time_nanos'); t.timeNanos = r.int64('time_nanos'); break;
      case 10: expectWire(wire, WIRE_VARINT, 'duration_nanos'); t.durationNanos = r.int64('duration_nanos'); break;
      case 11: expectWire(wire, WIRE_LEN, 'period_type'); t.periodType = PbValueType.decode(r.bytes('period_type')); break;
      case 12: expectWire(wire, WIRE_VARINT, 'period'); t.period = r.int64('period'); break;
      case 13: // comment: repeated int64, packed (proto3 default) or not
        if (wire === WIRE_LEN) {
          const b = r.bytes('comment');
          const sub = new WireReader(b);
          while (!sub.done) t.comments.push(sub.int64('comment'));
        } else {
          expectWire(wire, WIRE_VARINT, 'comment');
          t.comments.push(r.int64('comment'));
        }
        break;
      case 14: expectWire(wire, WIRE_VARINT, 'default_sample_type'); t.defaultSampleType = r.int64('default_sample_type'); break;
      case 15: expectWire(wire, WIRE_VARINT, 'doc_url'); t.docUrl = r.int64('doc_url'); break;
      default:
        if (field === 0) throw new ProfileParseError('wire', `invalid field number 0 at byte ${r.pos}`);
        r.skip(wire, field); // unknown field: proto3 readers ignore it
    }
  }
  return t;
}

/**
 * Sample is the hot message (one per stack, each with a Label in Go heap profiles), so it is
 * decoded here straight into columnar arrays instead of through pprof-format's per-number
 * subarrays and per-label objects (that was 3× slower and GC-bound on 65k-sample profiles).
 * Sample{location_id=1 repeated uint64, value=2 repeated int64, label=3 Label}; repeated scalars
 * may be packed (proto3 default) or not.
 */
function readSample(r: WireReader, end: number, t: RawTop, limits: ProfileLimits): void {
  const idx = t.sampleCount++;
  checkLimit(t.sampleCount, limits.maxSamples, 'samples');
  let nValues = 0;
  while (r.pos < end) {
    const tag = r.varint('sample tag');
    const field = Math.floor(tag / 8);
    const wire = tag % 8;
    if (field === 1 || field === 2) {
      const what = field === 1 ? 'location_id' : 'sample value';
      if (wire === WIRE_LEN) {
        const stop = r.lengthEnd(what);
        // Count the varints first (bytes below 0x80 end one), so limits are checked before
        // reserving, then write into the reserved space directly.
        let n = 0;
        for (let k = r.pos; k < stop; k++) if (r.buf[k]! < 0x80) n++;
        if (field === 1) checkLimit(t.stackIds.length + n, limits.maxStackEntries, 'stack entries (sum of sample stack depths)');
        else checkLimit(nValues + n, limits.maxSampleTypes, 'values in one sample (sample types)');
        const out = field === 1 ? t.stackIds : t.values;
        out.ensure(n);
        const data = out.data;
        let len = out.length;
        if (field === 1) while (r.pos < stop) data[len++] = r.varint(what);
        else while (r.pos < stop) data[len++] = r.int64Number(what);
        if (field === 2) nValues += len - out.length;
        out.length = len;
        if (r.pos !== stop) throw new ProfileParseError('wire', `packed ${what} overruns its length in sample ${idx}`);
      } else {
        expectWire(wire, WIRE_VARINT, what);
        if (field === 1) t.stackIds.push(r.varint(what));
        else {
          t.values.push(r.int64Number(what));
          checkLimit(++nValues, limits.maxSampleTypes, 'values in one sample (sample types)');
        }
      }
    } else if (field === 3) {
      expectWire(wire, WIRE_LEN, 'label');
      readLabel(r, r.lengthEnd('label'), t.labelRaw);
      checkLimit(t.labelRaw.length / 4, limits.maxLabels, 'sample labels');
    } else {
      r.skip(wire, field);
    }
    if (r.pos > end) throw new ProfileParseError('wire', `sample ${idx} overruns its length`);
  }
  checkLimit(t.stackIds.length, limits.maxStackEntries, 'stack entries (sum of sample stack depths)');
  t.stackOffsets.push(t.stackIds.length);
  if (t.valuesPerSample < 0) t.valuesPerSample = nValues;
  if (nValues !== t.valuesPerSample) {
    throw new ProfileParseError('sample-values', `sample ${idx} has ${nValues} values but sample 0 has ${t.valuesPerSample}`);
  }
  t.labelOffsets.push(t.labelRaw.length / 4);
}

/** Label{key=1, str=2, num=3, num_unit=4}, all int64 (string indices except num). */
function readLabel(r: WireReader, end: number, out: GrowableFloat64): void {
  let key = 0;
  let str = 0;
  let num = 0;
  let unit = 0;
  while (r.pos < end) {
    const tag = r.varint('label tag');
    const field = Math.floor(tag / 8);
    const wire = tag % 8;
    if (field >= 1 && field <= 4) {
      expectWire(wire, WIRE_VARINT, 'label field');
      const v = r.int64Number('label field');
      if (field === 1) key = v;
      else if (field === 2) str = v;
      else if (field === 3) num = v;
      else unit = v;
    } else r.skip(wire, field);
  }
  if (r.pos !== end) throw new ProfileParseError('wire', 'label overruns its length');
  out.push(key);
  out.push(str);
  out.push(num);
  out.push(unit);
}

export function toUint(v: number | bigint, what: string): number {
  if (typeof v === 'number') return v;
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new ProfileParseError('value-range', `${what} ${v} exceeds 2^53`);
  return Number(v);
}

/** int64 → number. pprof-format returns 5+-byte varints as unsigned bigint; negatives are 10-byte. */
export function toInt64Number(v: number | bigint, what: string): number {
  if (typeof v === 'number') return v;
  const s = BigInt.asIntN(64, v);
  if (s > BigInt(Number.MAX_SAFE_INTEGER) || s < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new ProfileParseError('value-range', `${what} ${s} does not fit a JS number exactly (|v| > 2^53)`);
  }
  return Number(s);
}

export function toBig(v: number | bigint): bigint {
  return typeof v === 'bigint' ? BigInt.asUintN(64, v) : BigInt(v);
}
