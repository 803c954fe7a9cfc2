// Builds small profile.proto files for tests (encoded with pprof-format), so edge cases that real
// Go profiles never contain (drop_frames, negative values, unnamed functions, locations without
// lines) can be checked, including against `go tool pprof` itself. Test support only.
import { Function as PbFunction, Line, Location, Mapping, Profile as PbProfile, Sample, StringTable, ValueType } from 'pprof-format';

/** A stack entry, leaf first: a function name, an inline chain (innermost first), or null for a location with no line info. */
export type FixtureFrame = string | string[] | null;

export interface FixtureSample {
  stack: FixtureFrame[];
  values: number[];
  /** String or numeric labels. */
  labels?: Record<string, string | number>;
}

export interface FixtureSpec {
  sampleTypes: Array<[type: string, unit: string]>;
  samples: FixtureSample[];
  defaultSampleType?: string;
  dropFrames?: string;
  keepFrames?: string;
  mappingFile?: string;
  period?: number;
  periodType?: [string, string];
  timeNanos?: bigint;
  durationNanos?: number;
  comments?: string[];
}

export function encodeFixtureProfile(spec: FixtureSpec): Uint8Array {
  const strings = new StringTable();
  const s = (v: string): number => strings.dedup(v);
  const functions: PbFunction[] = [];
  const fnIds = new Map<string, number>();
  const fn = (name: string): number => {
    let id = fnIds.get(name);
    if (id === undefined) {
      id = functions.length + 1;
      fnIds.set(name, id);
      functions.push(new PbFunction({ id, name: s(name), systemName: s(name), filename: s(`${name || 'anon'}.go`), startLine: 10 * id }));
    }
    return id;
  };
  const locations: Location[] = [];
  const locIds = new Map<string, number>();
  const loc = (frame: FixtureFrame): number => {
    const key = JSON.stringify(frame);
    let id = locIds.get(key);
    if (id === undefined) {
      id = locations.length + 1;
      locIds.set(key, id);
      const chain = frame === null ? [] : Array.isArray(frame) ? frame : [frame];
      locations.push(new Location({
        id,
        mappingId: 1,
        address: 0x1000 + id * 16,
        line: chain.map((name, i) => new Line({ functionId: fn(name), line: 100 + i })),
      }));
    }
    return id;
  };
  const samples = spec.samples.map((smp) => new Sample({
    locationId: smp.stack.map(loc),
    value: smp.values,
    label: Object.entries(smp.labels ?? {}).map(([k, v]) => (typeof v === 'string' ? { key: s(k), str: s(v) } : { key: s(k), num: v })),
  }));
  const profile = new PbProfile({
    sampleType: spec.sampleTypes.map(([type, unit]) => new ValueType({ type: s(type), unit: s(unit) })),
    sample: samples,
    mapping: [new Mapping({ id: 1, memoryStart: 0x1000, memoryLimit: 0x100000, filename: s(spec.mappingFile ?? '/usr/bin/fixture'), hasFunctions: true })],
    location: locations,
    function: functions,
    stringTable: strings,
    dropFrames: spec.dropFrames ? s(spec.dropFrames) : 0,
    keepFrames: spec.keepFrames ? s(spec.keepFrames) : 0,
    timeNanos: spec.timeNanos ?? 0,
    durationNanos: spec.durationNanos ?? 0,
    periodType: spec.periodType ? new ValueType({ type: s(spec.periodType[0]), unit: s(spec.periodType[1]) }) : undefined,
    period: spec.period ?? 0,
    comment: (spec.comments ?? []).map(s),
    defaultSampleType: spec.defaultSampleType ? s(spec.defaultSampleType) : 0,
  });
  return profile.encode();
}
