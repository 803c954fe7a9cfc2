/**
 * Byte sizes in IEC units (KiB, MiB, GiB), the units etcd's `--quota-backend-bytes` and the Go
 * runtime report in. Three significant digits at most, so a tile never changes width wildly:
 * 1.5 KiB, 27.4 MiB, 274 MiB, 8 GiB.
 */
const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'] as const;

export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) return '—';
  const sign = bytes < 0 ? '-' : '';
  let v = Math.abs(bytes);
  let i = 0;
  while (v >= 1024 && i < UNITS.length - 1) { v /= 1024; i++; }
  if (i === 0) return `${sign}${Math.round(v)} B`;
  // Round first, so 1023.96 KiB becomes "1 MiB" rather than "1024 KiB".
  let digits = v < 10 ? 1 : v < 100 ? 1 : 0;
  let rounded = Number(v.toFixed(digits));
  if (rounded >= 1024 && i < UNITS.length - 1) { rounded = 1; i++; digits = 0; }
  const text = Number.isInteger(rounded) ? String(rounded) : rounded.toFixed(digits);
  return `${sign}${text} ${UNITS[i]}`;
}

/** A ratio in [0, 1] as a percent; tiny non-zero values say "<0.1%" rather than a misleading "0%". */
export function formatPercent(ratio: number | null | undefined): string {
  if (ratio === null || ratio === undefined || !Number.isFinite(ratio)) return '—';
  const p = ratio * 100;
  if (p > 0 && p < 0.1) return '<0.1%';
  return `${p < 10 ? p.toFixed(1) : Math.round(p)}%`;
}
