// Values of a pprof sample type for the screen: bytes as KiB/MiB, counts compact.
import { formatBytes } from '@/lib/format/bytes';
import { formatCount } from '@/lib/format/number';

export function formatSampleValue(v: number, unit: string): string {
  if (unit === 'bytes') return formatBytes(v);
  if (unit === 'nanoseconds') return `${(v / 1e6).toFixed(v < 1e7 ? 2 : 0)} ms`;
  return formatCount(v);
}

export function formatPct(p: number): string {
  return `${p.toFixed(p >= 10 ? 1 : 2)}%`;
}
