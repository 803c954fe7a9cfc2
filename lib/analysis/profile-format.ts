// pprof's human-readable values and its `-top` text layout.
// Sources: google/pprof `internal/measurement/measurement.go` (Scale, ScaledLabel, Percentage, the
// unit tables) and `internal/report/report.go` (selectOutputUnit, ProfileLabels, reportLabels,
// printText), as vendored in Go 1.19.
import type { Profile } from '../parse/pprof';
import type { TopTable } from './profile';

interface Unit { name: string; aliases: string[]; factor: number }
interface UnitType { units: Unit[]; defaultUnit: Unit }

const NS = 1;
const UNIT_TYPES: UnitType[] = [
  {
    units: [
      { name: 'B', aliases: ['b', 'byte'], factor: 1 },
      { name: 'kB', aliases: ['kb', 'kbyte', 'kilobyte'], factor: 2 ** 10 },
      { name: 'MB', aliases: ['mb', 'mbyte', 'megabyte'], factor: 2 ** 20 },
      { name: 'GB', aliases: ['gb', 'gbyte', 'gigabyte'], factor: 2 ** 30 },
      { name: 'TB', aliases: ['tb', 'tbyte', 'terabyte'], factor: 2 ** 40 },
      { name: 'PB', aliases: ['pb', 'pbyte', 'petabyte'], factor: 2 ** 50 },
    ],
    defaultUnit: { name: 'B', aliases: ['b', 'byte'], factor: 1 },
  },
  {
    units: [
      { name: 'ns', aliases: ['ns', 'nanosecond'], factor: NS },
      { name: 'us', aliases: ['μs', 'us', 'microsecond'], factor: 1e3 * NS },
      { name: 'ms', aliases: ['ms', 'millisecond'], factor: 1e6 * NS },
      { name: 's', aliases: ['s', 'sec', 'second'], factor: 1e9 * NS },
      { name: 'hrs', aliases: ['hour', 'hr'], factor: 3600e9 * NS },
    ],
    defaultUnit: { name: 's', aliases: [], factor: 1e9 * NS },
  },
  {
    units: [
      { name: 'n*GCU', aliases: ['nanogcu'], factor: 1e-9 },
      { name: 'u*GCU', aliases: ['microgcu'], factor: 1e-6 },
      { name: 'm*GCU', aliases: ['milligcu'], factor: 1e-3 },
      { name: 'GCU', aliases: ['gcu'], factor: 1 },
      { name: 'k*GCU', aliases: ['kilogcu'], factor: 1e3 },
      { name: 'M*GCU', aliases: ['megagcu'], factor: 1e6 },
      { name: 'G*GCU', aliases: ['gigagcu'], factor: 1e9 },
      { name: 'T*GCU', aliases: ['teragcu'], factor: 1e12 },
      { name: 'P*GCU', aliases: ['petagcu'], factor: 1e15 },
    ],
    defaultUnit: { name: 'GCU', aliases: [], factor: 1 },
  },
];

function sniffUnit(ut: UnitType, unit: string): Unit | undefined {
  let u = unit.toLowerCase();
  if (u.length > 2) u = u.replace(/s$/, '');
  return ut.units.find((x) => x.aliases.includes(u));
}

/** measurement.Scale: converts `value` in `fromUnit` to `toUnit` ("minimum"/"auto" picks one). */
export function scaleValue(value: number, fromUnit: string, toUnit: string): [number, string] {
  if (value < 0) {
    const [v, u] = scaleValue(-value, fromUnit, toUnit);
    return [-v, u];
  }
  for (const ut of UNIT_TYPES) {
    const from = sniffUnit(ut, fromUnit);
    if (!from) continue;
    const v = value * from.factor;
    if (toUnit === 'minimum' || toUnit === 'auto') {
      let f = 0;
      let name = '';
      for (const u of ut.units) {
        if (u.factor >= f && v / u.factor >= 1) {
          f = u.factor;
          name = u.name;
        }
      }
      if (f !== 0) return [v / f, name];
      return [v / ut.defaultUnit.factor, ut.defaultUnit.name];
    }
    const to = sniffUnit(ut, toUnit);
    if (!to) return [v / ut.defaultUnit.factor, ut.defaultUnit.name];
    return [v / to.factor, to.name];
  }
  if (['count', 'sample', 'unit', 'minimum', 'auto'].includes(toUnit)) return [value, ''];
  return [value, toUnit];
}

/** Go's fmt "%.2f": exact decimal rounding, ties to even (JS toFixed rounds ties up). */
export function goFixed2(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const eighths = v * 8;
  // A double is exactly halfway between two hundredths iff 8v is an odd integer.
  if (Number.isInteger(eighths) && Math.abs(eighths) % 2 === 1 && Math.abs(eighths) < 2 ** 50) {
    const hundredths = Math.abs(eighths) * 12.5;
    let r = Math.floor(hundredths);
    if (r % 2 === 1) r += 1;
    const sign = v < 0 ? '-' : '';
    return `${sign}${Math.floor(r / 100)}.${String(r % 100).padStart(2, '0')}`;
  }
  return v.toFixed(2);
}

/** measurement.ScaledLabel. */
export function scaledLabel(value: number, fromUnit: string, toUnit: string): string {
  const [v, u] = scaleValue(value, fromUnit, toUnit);
  let sv = goFixed2(v);
  if (sv.endsWith('.00')) sv = sv.slice(0, -3);
  if (sv === '0' || sv === '-0') return '0';
  return sv + u;
}

/** Go "%.2g" (used by pprof for percentages below 1%). */
function goG2(r: number): string {
  if (r === 0) return '0';
  const [mant, expStr] = r.toExponential(1).split('e') as [string, string];
  const exp = Number(expStr);
  if (exp < -4 || exp >= 2) {
    const m = mant.replace(/\.?0+$/, '');
    const e = Math.abs(exp);
    return `${m}e${exp < 0 ? '-' : '+'}${e < 10 ? '0' : ''}${e}`;
  }
  const fixed = Number(`${mant}e${exp}`).toFixed(Math.max(0, 1 - exp));
  return fixed.includes('.') ? fixed.replace(/\.?0+$/, '') : fixed;
}

/** measurement.Percentage: "%5.2f%%", "  100%", or "%5.2g%%" below 1%. */
export function formatPercentage(value: number, total: number): string {
  const ratio = total !== 0 ? Math.abs(value / total) * 100 : 0;
  if (ratio >= 99.95 && ratio <= 100.05) return '  100%';
  if (ratio >= 1) return `${goFixed2(ratio).padStart(5)}%`;
  return `${goG2(ratio).padStart(5)}%`;
}

/**
 * report.go selectOutputUnit for OutputUnit "minimum" (pprof's default): the unit of the smallest
 * non-zero row value, bumped when that is under 1% of the total.
 */
export function selectOutputUnit(table: TopTable, requested = 'minimum'): string {
  const sampleUnit = table.sampleType.unit.toLowerCase();
  if (requested !== 'minimum' || table.rows.length === 0) return requested === 'minimum' ? sampleUnit : requested;
  let minValue = 0;
  for (const r of table.rows) {
    let m = Math.abs(r.flat);
    if (m === 0) m = Math.abs(r.cum);
    if (m > 0 && (minValue === 0 || m < minValue)) minValue = m;
  }
  const maxValue = table.total;
  if (minValue === 0) minValue = maxValue;
  const [, minUnit] = scaleValue(minValue, sampleUnit, 'minimum');
  const [, maxUnit] = scaleValue(maxValue, sampleUnit, 'minimum');
  let unit = minUnit;
  if (minUnit !== maxUnit && minValue * 100 < maxValue) [, unit] = scaleValue(100 * minValue, sampleUnit, 'minimum');
  return unit !== '' ? unit : sampleUnit;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Go layout "Jan 2, 2006 at 3:04pm (MST)", in UTC (lib/ has no time zone of its own). */
export function formatProfileTime(timeNanos: bigint): string {
  const d = new Date(Number(timeNanos / 1_000_000n));
  const h = d.getUTCHours();
  const h12 = h % 12 === 0 ? 12 : h % 12;
  return `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()} at ${h12}:${String(d.getUTCMinutes()).padStart(2, '0')}${h < 12 ? 'am' : 'pm'} (UTC)`;
}

export interface TopTextOptions {
  /** pprof -unit: "minimum" (default), "B", "MB", "s", … */
  unit?: string;
  /** Print the File/Type/Time header lines (pprof does unless -compact_labels). Default true. */
  header?: boolean;
}

/** The text `go tool pprof -top` prints for the same table. */
export function formatTopText(profile: Profile, table: TopTable, options: TopTextOptions = {}): string {
  const sampleUnit = table.sampleType.unit.toLowerCase();
  const outUnit = selectOutputUnit(table, options.unit ?? 'minimum');
  const fmt = (v: number): string => scaledLabel(v, sampleUnit, outUnit);
  const lines: string[] = [];
  if (options.header ?? true) {
    const m0 = profile.mappings[0];
    if (m0 && m0.filename !== '') lines.push(`File: ${m0.filename.slice(m0.filename.lastIndexOf('/') + 1)}`);
    if (m0 && m0.buildId !== '') lines.push(`Build ID: ${m0.buildId}`);
    for (const c of profile.comments) if (!c.startsWith('#')) lines.push(c);
    lines.push(`Type: ${table.sampleType.type}`);
    if (profile.timeNanos !== 0n) lines.push(`Time: ${formatProfileTime(profile.timeNanos)}`);
    if (profile.durationNanos !== 0) {
      const [tn, tu] = scaleValue(table.total, sampleUnit, 'nanoseconds');
      const ratio = tu === 'ns' && tn !== 0 ? `(${formatPercentage(Math.trunc(tn), profile.durationNanos)})` : '';
      lines.push(`Duration: ${scaledLabel(profile.durationNanos, 'nanoseconds', 'auto')}, Total samples = ${fmt(table.total)} ${ratio}`);
    }
  }
  lines.push(`Showing nodes accounting for ${fmt(table.shownFlat)}, ${formatPercentage(table.shownFlat, table.total).trim()} of ${fmt(table.total)} total`);
  if (table.total !== 0) {
    if (table.droppedNodes > 0) lines.push(`Dropped ${table.droppedNodes} node${table.droppedNodes > 1 ? 's' : ''} (cum <= ${fmt(table.droppedCutoff)})`);
    if (table.rows.length > 0 && table.rows.length < table.nodesAfterCutoff) lines.push(`Showing top ${table.rows.length} nodes out of ${table.nodesAfterCutoff}`);
  }
  lines.push(`${'flat'.padStart(10)} ${'flat'.padStart(5)}% ${'sum'.padStart(5)}% ${'cum'.padStart(10)} ${'cum'.padStart(5)}%`);
  let sum = 0;
  for (const r of table.rows) {
    sum += r.flat;
    lines.push(`${fmt(r.flat).padStart(10)} ${formatPercentage(r.flat, table.total)} ${formatPercentage(sum, table.total)} ${fmt(r.cum).padStart(10)} ${formatPercentage(r.cum, table.total)}  ${r.function}${r.inline ? ` (${r.inline})` : ''}`);
  }
  return `${lines.join('\n')}\n`;
}
