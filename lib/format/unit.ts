/**
 * Values of a timeline panel in its unit, for tooltips, legends and chart axes:
 *   seconds → µs / ms / s (latencies are read in ms: the etcd FAQ's 10 ms, the 100 ms of failed
 *   heartbeats), bytes → KiB / MiB / GiB (IEC, as `--quota-backend-bytes`), rates → "/s".
 * en-US digits, fixed, so the server render and the browser produce the same text.
 */
import type { Unit } from '../timeline/types';
import { formatBytes } from './bytes';

const MISSING = '—';

/** At most `sig` significant digits, trailing zeros dropped: 148, 12.3, 1.25, 0.05. */
export function sig(v: number, digits = 3): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  // Whole numbers of 4+ digits keep all of them, grouped: 1,230 not 1.23e+3.
  if (a >= 10 ** digits) return Math.round(v).toLocaleString('en-US');
  const decimals = Math.max(0, digits - 1 - Math.floor(Math.log10(a)));
  return String(Number(v.toFixed(Math.min(decimals, 6))));
}

/** 1.2k, 34k, 1.5M: for axis ticks and chips where width matters. */
export function formatCompact(n: number): string {
  const a = Math.abs(n);
  if (a >= 1e9) return `${sig(n / 1e9)}G`;
  if (a >= 1e6) return `${sig(n / 1e6)}M`;
  if (a >= 1e4) return `${sig(n / 1e3)}k`;
  return sig(n);
}

/** A duration in seconds: 850 µs, 12.3 ms, 148 ms, 1.25 s, 95 s. */
export function formatSeconds(s: number | null | undefined): string {
  if (s === null || s === undefined || !Number.isFinite(s)) return MISSING;
  const a = Math.abs(s);
  if (a === 0) return '0 ms';
  if (a < 1e-3) return `${sig(s * 1e6)} µs`;
  if (a < 1) return `${sig(s * 1e3)} ms`;
  return `${sig(s)} s`;
}

/** A panel value, as precise as a tooltip wants it. */
export function formatUnitValue(unit: Unit, v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return MISSING;
  switch (unit) {
    case 'seconds': return formatSeconds(v);
    case 'bytes': return formatBytes(v);
    case 'ops': return `${sig(v)}/s`;
    case 'per-minute': return `${sig(v)}/min`;
    case 'percent': return `${sig(v)}%`;
    case 'bool': return v >= 0.5 ? 'yes (1)' : 'no (0)';
    case 'count': return Number.isInteger(v) ? v.toLocaleString('en-US') : sig(v);
  }
}

/** A tick label on a value axis: short, and sharing one sub-unit per axis when `max` is given. */
export function formatUnitTick(unit: Unit, v: number, max = v): string {
  if (!Number.isFinite(v)) return '';
  if (v === 0) return '0';
  switch (unit) {
    case 'seconds': {
      const m = Math.abs(max);
      if (m < 1e-3) return `${sig(v * 1e6)} µs`;
      if (m < 1) return `${sig(v * 1e3)} ms`;
      return `${sig(v)} s`;
    }
    case 'bytes': return formatBytes(v);
    case 'ops': return `${formatCompact(v)}/s`;
    case 'per-minute': return `${formatCompact(v)}/min`;
    case 'percent': return `${sig(v)}%`;
    case 'bool': return v >= 0.5 ? '1' : '0';
    case 'count': return formatCompact(v);
  }
}

/**
 * Ticks for a value axis from 0 (or a negative minimum) to a round top, about `target` intervals.
 * Byte axes step in binary sizes (16, 32, 64 MiB), the rest in 1-2-2.5-5 steps (whole for counts).
 */
export function niceTicks(unit: Unit, dataMin: number, dataMax: number, target = 4): number[] {
  let lo = Math.min(0, Number.isFinite(dataMin) ? dataMin : 0);
  let hi = Number.isFinite(dataMax) ? dataMax : 0;
  if (unit === 'bool') return [0, 1];
  // A flat line at v still gets an axis: 0..v with headroom, or 0..1 for a flat zero.
  if (hi <= lo) hi = lo === 0 ? 1 : lo + Math.abs(lo);
  // Bytes step in powers of two within the IEC unit of the maximum: a 128 MiB quota reads 0, 32, 64, 96, 128.
  let step: number;
  if (unit === 'bytes') {
    let scale = 1;
    while (hi / scale >= 1024) scale *= 1024;
    step = 2 ** Math.ceil(Math.log2((hi - lo) / scale / target) - 0.05) * scale;
  } else {
    step = niceStep((hi - lo) / target / 1.03, unit === 'count');
  }
  lo = Math.floor(lo / step) * step;
  // A value a hair over a round top (an etcd DB a few KiB past its quota) does not add a whole step.
  const top = Math.max(step, Math.ceil(hi / step - 0.02) * step);
  const ticks: number[] = [];
  for (let t = lo; t <= top + step / 2; t += step) ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

/** The smallest of 1, 2, 2.5, 5 (× 10^k) at or above `raw`; whole numbers for counts. */
export function niceStep(raw: number, integer = false): number {
  if (!(raw > 0) || !Number.isFinite(raw)) return 1;
  const k = Math.floor(Math.log10(raw));
  const base = 10 ** k;
  if (integer && raw <= 1) return 1;
  for (const m of [1, 2, 2.5, 5, 10]) {
    const s = m * base;
    if (integer && !Number.isInteger(s)) continue;
    if (s >= raw * (1 - 1e-9)) return s;
  }
  return 10 * base;
}
