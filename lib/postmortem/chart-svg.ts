// A time-series panel as a standalone SVG document: lines, dashed reference series (quota) and
// threshold lines, the incident window and finding ranges as bands, annotations as numbered
// markers, UTC time and unit-labelled value axes, and a legend. Pure and deterministic (fixed
// number formatting, no clock, no DOM): the same points give the same bytes, for the PDF (inline
// SVG prints as vectors) and the Markdown export (charts/<panel>.svg).
import { formatTimeTick, timeStep, utcTimeTicks } from '../format/time-axis';
import { formatUnitTick, formatUnitValue, niceTicks } from '../format/unit';
import type { Threshold, TimelineSeries, Unit } from '../timeline/types';

export interface ChartMarker {
  t: number;
  until?: number | null;
  /** Short label drawn at the marker (e.g. "1"); the caption explains it. */
  label: string;
  kind: 'annotation' | 'finding' | 'step';
  tone?: 'info' | 'warning' | 'critical' | 'ok';
}

export interface ChartSvgOptions {
  from: number;
  to: number;
  unit: Unit;
  series: TimelineSeries[];
  thresholds?: Threshold[];
  /** The impact window, shaded. */
  window?: { from: number; to: number };
  markers?: ChartMarker[];
  title?: string;
  width?: number;
  height?: number;
  empty?: string;
}

export const PALETTE = ['#2563eb', '#d97706', '#059669', '#7c3aed', '#db2777', '#0891b2', '#65a30d', '#9a3412'];
const TONE: Record<NonNullable<ChartMarker['tone']>, string> = { info: '#475569', warning: '#b45309', critical: '#b91c1c', ok: '#047857' };
const THRESHOLD_COLOR = { info: '#64748b', warning: '#d97706', critical: '#dc2626' } as const;
const FONT = "font-family=\"'Helvetica Neue', Helvetica, Arial, sans-serif\"";

export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Fixed two decimals: enough for print, stable across engines. */
const n = (v: number) => (Math.round(v * 100) / 100).toString();

function legendRows(items: Array<{ label: string; color: string; dash: boolean }>, width: number, x0: number): Array<Array<{ label: string; color: string; dash: boolean; x: number }>> {
  const rows: Array<Array<{ label: string; color: string; dash: boolean; x: number }>> = [[]];
  let x = x0;
  for (const it of items) {
    const label = it.label.length > 48 ? `${it.label.slice(0, 47)}…` : it.label;
    // ~6.2 px per character at 11 px: a measure good enough to wrap a legend.
    const w = 26 + label.length * 6.2 + 16;
    if (x + w > width - 8 && rows[rows.length - 1]!.length) { rows.push([]); x = x0; }
    rows[rows.length - 1]!.push({ ...it, label, x });
    x += w;
  }
  return rows;
}

export function chartSvg(o: ChartSvgOptions): string {
  const W = o.width ?? 720;
  const series = o.series.filter((s) => s.points.length);
  const items = [
    ...series.map((s, i) => ({ label: s.name, color: s.style === 'reference' ? '#111827' : PALETTE[i % PALETTE.length]!, dash: s.style === 'reference' })),
  ];
  let dataMax = -Infinity;
  let dataMin = Infinity;
  for (const s of series) for (const [, v] of s.points) if (v !== null && Number.isFinite(v)) { dataMax = Math.max(dataMax, v); dataMin = Math.min(dataMin, v); }
  // A threshold far above the data would flatten it: those are named in the legend, not drawn.
  const thresholds = (o.thresholds ?? []).map((t) => ({ ...t, drawn: !(dataMax > -Infinity) || t.value <= dataMax * 2.5 }));
  for (const t of thresholds) items.push({ label: `${t.drawn ? '' : '(above the chart) '}${t.label}`, color: THRESHOLD_COLOR[t.severity], dash: true });
  const left = 70;
  const right = 16;
  const top = o.title ? 30 : 12;
  const legend = legendRows(items, W, left);
  const legendH = legend.length * 16 + 6;
  const H = o.height ?? (top + 190 + 26 + legendH);
  const plotBottom = H - legendH - 26;
  const pw = W - left - right;
  const ph = plotBottom - top;
  const x = (t: number) => left + ((t - o.from) / Math.max(1, o.to - o.from)) * pw;
  const yTicks = niceTicks(o.unit, dataMin === Infinity ? 0 : dataMin, Math.max(dataMax === -Infinity ? 0 : dataMax, ...thresholds.filter((t) => t.drawn).map((t) => t.value)), 4);
  const yLo = yTicks[0]!;
  const yHi = yTicks[yTicks.length - 1]!;
  const y = (v: number) => plotBottom - ((v - yLo) / Math.max(1e-300, yHi - yLo)) * ph;
  const clampX = (t: number) => Math.min(left + pw, Math.max(left, x(t)));
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" ${FONT} font-size="11" role="img"${o.title ? ` aria-label="${escapeXml(o.title)}"` : ''}>`);
  out.push(`<rect x="0" y="0" width="${W}" height="${H}" fill="#ffffff"/>`);
  if (o.title) out.push(`<text x="${left}" y="18" font-size="13" font-weight="600" fill="#111827">${escapeXml(o.title)}</text>`);
  // Bands: the impact window, then finding ranges.
  if (o.window) {
    const a = clampX(o.window.from);
    const b = clampX(o.window.to);
    if (b > a) out.push(`<rect x="${n(a)}" y="${top}" width="${n(b - a)}" height="${n(ph)}" fill="#fee2e2" fill-opacity="0.45"/>`);
  }
  for (const m of o.markers ?? []) {
    if (m.until == null || m.until <= m.t) continue;
    const a = clampX(m.t);
    const b = clampX(m.until);
    // Finding ranges sit on the time axis, out of the way of the lines and the markers.
    if (b > a) out.push(`<rect x="${n(a)}" y="${n(plotBottom - 5)}" width="${n(b - a)}" height="5" fill="${TONE[m.tone ?? 'warning']}" fill-opacity="0.6"/>`);
  }
  // Grid and value axis.
  for (const v of yTicks) {
    const yy = y(v);
    out.push(`<line x1="${left}" x2="${left + pw}" y1="${n(yy)}" y2="${n(yy)}" stroke="#e5e7eb" stroke-width="1"/>`);
    out.push(`<text x="${left - 6}" y="${n(yy + 3.5)}" text-anchor="end" fill="#4b5563">${escapeXml(formatUnitTick(o.unit, v, yHi))}</text>`);
  }
  // Time axis.
  const step = timeStep(o.from, o.to, 7);
  for (const t of utcTimeTicks(o.from, o.to, 7)) {
    const xx = x(t);
    out.push(`<line x1="${n(xx)}" x2="${n(xx)}" y1="${plotBottom}" y2="${plotBottom + 4}" stroke="#6b7280"/>`);
    out.push(`<text x="${n(xx)}" y="${plotBottom + 16}" text-anchor="middle" fill="#4b5563">${escapeXml(formatTimeTick(t, step))}</text>`);
  }
  out.push(`<text x="${left - 6}" y="${plotBottom + 16}" text-anchor="end" fill="#9ca3af" font-size="9">UTC</text>`);
  out.push(`<line x1="${left}" x2="${left + pw}" y1="${plotBottom}" y2="${plotBottom}" stroke="#6b7280"/>`);
  out.push(`<line x1="${left}" x2="${left}" y1="${top}" y2="${plotBottom}" stroke="#6b7280"/>`);
  if (!series.length) {
    out.push(`<text x="${n(left + pw / 2)}" y="${n(top + ph / 2)}" text-anchor="middle" fill="#6b7280">${escapeXml(o.empty ?? 'No data recorded in this range.')}</text>`);
  }
  // Threshold lines, labelled at the right end.
  for (const t of thresholds) {
    if (!t.drawn) continue;
    const yy = y(t.value);
    const c = THRESHOLD_COLOR[t.severity];
    out.push(`<line x1="${left}" x2="${left + pw}" y1="${n(yy)}" y2="${n(yy)}" stroke="${c}" stroke-width="1.2" stroke-dasharray="6 4"/>`);
    out.push(`<text x="${left + pw - 4}" y="${n(yy - 4)}" text-anchor="end" fill="${c}" font-size="10">${escapeXml(t.label)}</text>`);
  }
  // Series: a path per run of non-null points.
  series.forEach((s, i) => {
    const color = items[i]!.color;
    const d: string[] = [];
    let pen = false;
    for (const [t, v] of s.points) {
      if (v === null || !Number.isFinite(v) || t < o.from || t > o.to) { pen = false; continue; }
      d.push(`${pen ? 'L' : 'M'}${n(x(t))} ${n(y(v))}`);
      pen = true;
    }
    if (d.length) out.push(`<path d="${d.join('')}" fill="none" stroke="${color}" stroke-width="${s.style === 'reference' ? 1.4 : 1.6}"${s.style === 'reference' ? ' stroke-dasharray="3 3"' : ''} stroke-linejoin="round"/>`);
  });
  // Point markers: a dotted line and a numbered tag at the top; tags closer than their width step
  // down a row (three rows, then back to the first) so close notes stay readable.
  const lastX = [-Infinity, -Infinity, -Infinity];
  for (const m of [...(o.markers ?? [])].sort((a, b) => a.t - b.t)) {
    if (m.kind === 'finding' || m.t < o.from || m.t > o.to) continue;
    const xx = x(m.t);
    const c = TONE[m.tone ?? 'info'];
    let row = lastX.findIndex((lx) => xx - lx >= 15);
    if (row < 0) row = 0;
    lastX[row] = xx;
    const cy = top + 8 + row * 15;
    out.push(`<line x1="${n(xx)}" x2="${n(xx)}" y1="${cy}" y2="${plotBottom}" stroke="${c}" stroke-width="1" stroke-dasharray="2 3"/>`);
    out.push(`<circle cx="${n(xx)}" cy="${cy}" r="7" fill="${c}"/>`);
    out.push(`<text x="${n(xx)}" y="${cy + 3.5}" text-anchor="middle" font-size="9" font-weight="700" fill="#ffffff">${escapeXml(m.label)}</text>`);
  }
  // Legend.
  legend.forEach((row, r) => {
    const yy = plotBottom + 30 + r * 16;
    for (const it of row) {
      out.push(`<line x1="${n(it.x)}" x2="${n(it.x + 20)}" y1="${yy - 4}" y2="${yy - 4}" stroke="${it.color}" stroke-width="2"${it.dash ? ' stroke-dasharray="4 3"' : ''}/>`);
      out.push(`<text x="${n(it.x + 26)}" y="${yy}" fill="#1f2937">${escapeXml(it.label)}</text>`);
    }
  });
  out.push('</svg>');
  return out.join('\n');
}

/** The peak of each series, for a chart's caption ("p99 peak 148 ms"). */
export function seriesPeaks(series: TimelineSeries[], unit: Unit): string[] {
  return series.filter((s) => s.style !== 'reference').map((s) => {
    let peak: number | null = null;
    for (const [, v] of s.points) if (v !== null && Number.isFinite(v) && (peak === null || v > peak)) peak = v;
    return `${s.name} peak ${formatUnitValue(unit, peak)}`;
  });
}
