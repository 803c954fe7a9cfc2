/** Whole counts with thousands separators (en-US, fixed so server and browser render the same text). */
const whole = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });

export function formatCount(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return '—';
  return whole.format(n);
}
