// Compare two profiles of the same kind (e.g. two heap captures) function by function.
//
// The deltas are what `go tool pprof -top -diff_base=BASE NEW` computes: pprof negates the base
// profile's values and merges it into the new one (`internal/driver/fetch.go`: pbase.Scale(-1),
// profile.Merge), so a function's flat/cum in that merged profile are new − base (cum still counted
// once per sample). We join by printable function name, so profiles from different binaries (whose
// location ids and addresses differ) compare by function, as pprof does at functions granularity.
import { type Profile, type ValueType, resolveSampleIndex } from '../parse/pprof';
import { buildFrameIndex, compareGoStrings, computeFrameStats, sampleTotal } from './profile-graph';

export type DiffStatus = 'appeared' | 'disappeared' | 'changed' | 'unchanged';

export interface DiffRow {
  function: string;
  baseFlat: number;
  newFlat: number;
  flatDelta: number;
  baseCum: number;
  newCum: number;
  cumDelta: number;
  /** appeared: absent (zero) in base, present in new; disappeared: the reverse. */
  status: DiffStatus;
}

export interface ProfileDiff {
  sampleType: ValueType;
  baseSampleIndex: number;
  newSampleIndex: number;
  baseTotal: number;
  newTotal: number;
  totalDelta: number;
  /** Sorted by |flatDelta| desc, then |cumDelta| desc, then name. Unchanged functions omitted unless asked. */
  rows: DiffRow[];
}

export interface DiffOptions {
  /** Sample type (name or index) to compare; default: the new profile's default, matched by name in base. */
  sampleIndex?: number | string;
  includeUnchanged?: boolean;
}

export function diffProfiles(base: Profile, next: Profile, options: DiffOptions = {}): ProfileDiff {
  const ni = resolveSampleIndex(next, options.sampleIndex);
  const sampleType = next.sampleTypes[ni]!;
  // Match the sample type by name: the two profiles may list types in different orders.
  const bi = base.sampleTypes.findIndex((t) => t.type === sampleType.type);
  if (bi < 0) {
    throw new RangeError(`base profile has no sample type "${sampleType.type}" (it has: ${base.sampleTypes.map((t) => t.type).join(', ')})`);
  }
  const baseUnit = base.sampleTypes[bi]!.unit;
  if (baseUnit !== sampleType.unit) throw new RangeError(`sample type "${sampleType.type}" is in ${baseUnit} in the base profile but ${sampleType.unit} in the new one`);

  const byName = new Map<string, DiffRow>();
  const row = (name: string): DiffRow => {
    let r = byName.get(name);
    if (!r) {
      r = { function: name, baseFlat: 0, newFlat: 0, flatDelta: 0, baseCum: 0, newCum: 0, cumDelta: 0, status: 'unchanged' };
      byName.set(name, r);
    }
    return r;
  };
  const collect = (p: Profile, si: number, side: 'base' | 'new'): void => {
    const index = buildFrameIndex(p);
    const { flat, cum } = computeFrameStats(p, index, si);
    index.names.forEach((name, f) => {
      if (flat[f] === 0 && cum[f] === 0) return;
      const r = row(name);
      if (side === 'base') { r.baseFlat += flat[f]!; r.baseCum += cum[f]!; } else { r.newFlat += flat[f]!; r.newCum += cum[f]!; }
    });
  };
  collect(base, bi, 'base');
  collect(next, ni, 'new');

  const rows: DiffRow[] = [];
  for (const r of byName.values()) {
    r.flatDelta = r.newFlat - r.baseFlat;
    r.cumDelta = r.newCum - r.baseCum;
    const inBase = r.baseFlat !== 0 || r.baseCum !== 0;
    const inNew = r.newFlat !== 0 || r.newCum !== 0;
    r.status = !inBase ? 'appeared' : !inNew ? 'disappeared' : r.flatDelta !== 0 || r.cumDelta !== 0 ? 'changed' : 'unchanged';
    if (r.status !== 'unchanged' || options.includeUnchanged) rows.push(r);
  }
  rows.sort((a, b) =>
    Math.abs(b.flatDelta) - Math.abs(a.flatDelta) ||
    Math.abs(b.cumDelta) - Math.abs(a.cumDelta) ||
    compareGoStrings(a.function, b.function));
  const baseTotal = sampleTotal(base, bi);
  const newTotal = sampleTotal(next, ni);
  return { sampleType, baseSampleIndex: bi, newSampleIndex: ni, baseTotal, newTotal, totalDelta: newTotal - baseTotal, rows };
}
