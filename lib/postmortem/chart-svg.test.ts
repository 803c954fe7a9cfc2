import { describe, expect, it } from 'vitest';
import { chartSvg, escapeXml, seriesPeaks } from './chart-svg';

const T = Date.UTC(2026, 10, 23, 4, 0, 0);
const base = {
  from: T, to: T + 10 * 60_000, unit: 'seconds' as const,
  series: [
    { name: 'p99', labels: {}, style: 'line' as const, points: [[T, 0.004], [T + 60_000, 0.05], [T + 120_000, null], [T + 180_000, 0.02]] as Array<[number, number | null]> },
  ],
  thresholds: [
    { value: 0.01, label: '10 ms: recommended p99', severity: 'warning' as const },
    { value: 1, label: '1 s: far above', severity: 'critical' as const },
  ],
};

describe('chartSvg', () => {
  it('is a standalone, deterministic SVG with axes, UTC time labels and a legend', () => {
    const a = chartSvg(base);
    expect(a).toBe(chartSvg(base));
    expect(a.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(a.endsWith('</svg>')).toBe(true);
    expect(a).toContain('>04:04<');
    expect(a).toContain('>40 ms<');
    expect(a).toContain('>p99<');
  });

  it('breaks lines at gaps, draws near thresholds and names far ones in the legend only', () => {
    const a = chartSvg(base);
    const path = /<path d="([^"]+)"/.exec(a)![1]!;
    expect(path.match(/M/g)).toHaveLength(2);
    expect(a).toContain('stroke-dasharray="6 4"');
    expect(a).toContain('(above the chart) 1 s: far above');
    expect(a.match(/stroke-dasharray="6 4"/g)).toHaveLength(1);
  });

  it('shades the window, draws finding bands and numbered markers, and escapes text', () => {
    const a = chartSvg({ ...base, window: { from: T + 60_000, to: T + 300_000 }, markers: [{ t: T + 90_000, label: '1', kind: 'annotation' }, { t: T + 95_000, label: '2', kind: 'annotation' }, { t: T, until: T + 200_000, label: '', kind: 'finding', tone: 'critical' }], title: 'a <b> & "c"' });
    expect(a).toContain('fill="#fee2e2"');
    expect(a.match(/<circle/g)).toHaveLength(2);
    // Close markers step down a row.
    const cys = [...a.matchAll(/<circle cx="[^"]+" cy="([^"]+)"/g)].map((x) => Number(x[1]));
    expect(cys[1]).toBeGreaterThan(cys[0]!);
    expect(a).toContain('a &lt;b&gt; &amp; &quot;c&quot;');
  });

  it('says why an empty chart is empty', () => {
    expect(chartSvg({ ...base, series: [], empty: 'No etcd metrics' })).toContain('No etcd metrics');
  });

  it('peaks skip reference series', () => {
    expect(seriesPeaks([...base.series, { name: 'quota', labels: {}, style: 'reference', points: [[T, 9]] }], 'seconds')).toEqual(['p99 peak 50 ms']);
    expect(escapeXml(`<'&">`)).toBe('&lt;&#39;&amp;&quot;&gt;');
  });
});
