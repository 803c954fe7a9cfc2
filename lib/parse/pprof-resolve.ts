// Resolution step of the pprof reader: raw columns (`RawTop`) → the validated `Profile` model.
// Checks follow pprof `profile/encode.go postDecode` and `profile/profile.go CheckValid`: string
// indices in range, string_table[0] == "", no zero or duplicate ids, every referenced location and
// function defined, len(sample.value) == len(sample_type).
import type { ValueType as PbValueType } from 'pprof-format';
import { ProfileParseError } from './pprof-error';
import type { Profile, ProfileFunction, ProfileLine, ProfileLocation, ProfileMapping, ValueType } from './pprof-model';
import { type RawTop, toBig, toInt64Number, toUint } from './pprof-decode';

/** Sample stacks: location ids → location indices (a small function so the JIT optimizes it alone). */
function resolveStackIds(ids: Float64Array, locationIds: Float64Array, index: IdIndex): Uint32Array {
  const out = new Uint32Array(ids.length);
  const nLoc = locationIds.length;
  for (let k = 0; k < ids.length; k++) {
    const id = ids[k]!;
    // Go numbers locations 1..N in order (runtime/pprof proto.go), so index = id - 1 is the common case.
    const li = id >= 1 && id <= nLoc && locationIds[id - 1] === id ? id - 1 : index.get(id);
    if (li < 0) throw new ProfileParseError('reference', `a sample refers to location id ${id}, which is not defined`);
    out[k] = li;
  }
  return out;
}

/** Maps ids to array indices; dense 1..N ids (what Go writes) avoid a Map. */
class IdIndex {
  private readonly dense: Int32Array | undefined;
  private readonly map = new Map<number, number>();
  constructor(ids: number[], what: string) {
    const n = ids.length;
    let dense = true;
    for (let i = 0; i < n; i++) {
      const id = ids[i]!;
      if (id === 0) throw new ProfileParseError('zero-id', `found ${what} with reserved id 0`);
      if (id !== i + 1) dense = false;
    }
    if (dense) {
      this.dense = new Int32Array(n + 1).fill(-1);
      for (let i = 0; i < n; i++) this.dense[i + 1] = i;
    } else {
      for (let i = 0; i < n; i++) {
        const id = ids[i]!;
        if (this.map.has(id)) throw new ProfileParseError('duplicate-id', `multiple ${what}s with id ${id}`);
        this.map.set(id, i);
      }
    }
  }
  get(id: number): number {
    if (this.dense) return id < this.dense.length ? this.dense[id]! : -1;
    return this.map.get(id) ?? -1;
  }
}

export function resolveProfile(t: RawTop): Profile {
  const { strings } = t;
  if (strings.length === 0) throw new ProfileParseError('string-table', 'string_table is empty; string_table[0] must be ""');
  if (strings[0] !== '') throw new ProfileParseError('string-table', `string_table[0] must be "" (found ${JSON.stringify(strings[0]!.slice(0, 40))})`);
  const str = (idx: number | bigint, what: string): string => {
    const i = typeof idx === 'bigint' ? (idx < 0n || idx >= BigInt(strings.length) ? -1 : Number(idx)) : idx;
    const s = i >= 0 ? strings[i] : undefined;
    if (s === undefined) throw new ProfileParseError('string-table', `${what} refers to string ${idx}, but the string table has ${strings.length} entries`);
    return s;
  };
  const valueType = (v: PbValueType, what: string): ValueType => ({ type: str(v.type, `${what}.type`), unit: str(v.unit, `${what}.unit`) });

  const sampleTypes = t.sampleTypes.map((v, i) => valueType(v, `sample_type[${i}]`));
  if (t.sampleCount > 0 && t.valuesPerSample !== sampleTypes.length) {
    throw new ProfileParseError('sample-values', `mismatch: sample has ${t.valuesPerSample} values vs. ${sampleTypes.length} types`);
  }

  const functions: ProfileFunction[] = t.functions.map((f, i) => ({
    id: toUint(f.id, 'function id'),
    name: str(f.name, `function[${i}].name`),
    systemName: str(f.systemName, `function[${i}].system_name`),
    filename: str(f.filename, `function[${i}].filename`),
    startLine: toInt64Number(f.startLine, 'function start_line'),
  }));
  const mappings: ProfileMapping[] = t.mappings.map((m, i) => ({
    id: toUint(m.id, 'mapping id'),
    memoryStart: toBig(m.memoryStart),
    memoryLimit: toBig(m.memoryLimit),
    fileOffset: toBig(m.fileOffset),
    filename: str(m.filename, `mapping[${i}].filename`),
    buildId: str(m.buildId, `mapping[${i}].build_id`),
    hasFunctions: m.hasFunctions,
    hasFilenames: m.hasFilenames,
    hasLineNumbers: m.hasLineNumbers,
    hasInlineFrames: m.hasInlineFrames,
  }));
  const functionIndex = new IdIndex(functions.map((f) => f.id), 'function');
  const mappingIndex = new IdIndex(mappings.map((m) => m.id), 'mapping');
  const locationIds = t.locations.map((l) => toUint(l.id, 'location id'));
  const locationIndex = new IdIndex(locationIds, 'location');

  const locations: ProfileLocation[] = t.locations.map((l, i) => {
    const mappingId = toUint(l.mappingId, 'mapping_id');
    const lines = l.line.map((ln): ProfileLine => {
      const fid = toUint(ln.functionId, 'function_id');
      const fi = fid === 0 ? -1 : functionIndex.get(fid);
      if (fi < 0) throw new ProfileParseError('reference', `location id ${locationIds[i]} has a line with ${fid === 0 ? 'no function (function_id 0)' : `unknown function id ${fid}`}`);
      return { functionIndex: fi, line: toInt64Number(ln.line, 'line') };
    });
    return {
      id: locationIds[i]!,
      // pprof keeps a location whose mapping is unknown; it just has no mapping.
      mappingIndex: mappingId === 0 ? -1 : mappingIndex.get(mappingId),
      address: toBig(l.address),
      lines,
      isFolded: l.isFolded,
    };
  });

  const stackLocations = resolveStackIds(t.stackIds.view(), Float64Array.from(locationIds), locationIndex);

  // Labels: same precedence as pprof `encode.go postDecode`: a string label if str != 0, else a
  // numeric label if num or num_unit is set, else the label is ignored.
  const raw = t.labelRaw.view();
  const rawOffsets = t.labelOffsets.view();
  const labelOffsets = new Uint32Array(t.sampleCount + 1);
  const labelKey: string[] = [];
  const labelStr: string[] = [];
  const labelNum: number[] = [];
  const labelUnit: string[] = [];
  for (let i = 0; i < t.sampleCount; i++) {
    labelOffsets[i] = labelKey.length;
    for (let k = rawOffsets[i]!; k < rawOffsets[i + 1]!; k++) {
      const key = raw[4 * k]!;
      const sv = raw[4 * k + 1]!;
      const num = raw[4 * k + 2]!;
      const unit = raw[4 * k + 3]!;
      if (sv === 0 && num === 0 && unit === 0) continue;
      labelKey.push(str(key, 'label.key'));
      labelStr.push(sv !== 0 ? str(sv, 'label.str') : '');
      labelNum.push(sv !== 0 ? 0 : num);
      labelUnit.push(sv === 0 && unit !== 0 ? str(unit, 'label.num_unit') : '');
    }
  }
  labelOffsets[t.sampleCount] = labelKey.length;

  const defaultSampleType = str(t.defaultSampleType, 'default_sample_type');
  const byName = defaultSampleType === '' ? -1 : sampleTypes.findIndex((s) => s.type === defaultSampleType);
  return {
    sampleTypes,
    defaultSampleIndex: byName >= 0 ? byName : Math.max(0, sampleTypes.length - 1),
    defaultSampleType,
    periodType: t.periodType ? valueType(t.periodType, 'period_type') : { type: '', unit: '' },
    period: toInt64Number(t.period, 'period'),
    timeNanos: t.timeNanos,
    durationNanos: toInt64Number(t.durationNanos, 'duration_nanos'),
    comments: t.comments.map((c) => str(c, 'comment')),
    dropFrames: str(t.dropFrames, 'drop_frames'),
    keepFrames: str(t.keepFrames, 'keep_frames'),
    docUrl: str(t.docUrl, 'doc_url'),
    mappings,
    locations,
    functions,
    samples: {
      count: t.sampleCount,
      stackOffsets: Uint32Array.from(t.stackOffsets.view()),
      stackLocations,
      values: t.values.view().slice(),
      labelOffsets,
      labelKey,
      labelStr,
      labelNum: Float64Array.from(labelNum),
      labelUnit,
    },
  };
}
