// Hand-made census series (labelled as such): the out-of-space runbook's deletes, seen on the
// objects panel of the incident's window.
import { describe, expect, it } from 'vitest';
import { panelById } from './panels';
import { objectsPanel } from './special';
import type { SeriesData } from './types';

const T = Date.parse('2026-11-23T03:00:00Z');
const minutes = Array.from({ length: 11 }, (_, i) => T + i * 60_000);
const series = (resource: string, v: (i: number) => number): SeriesData => ({ labels: { resource }, points: minutes.map((t, i) => ({ t, v: v(i) })) });

describe('objects panel', () => {
  const census = [
    ...Array.from({ length: 9 }, (_, k) => series(`small-${k}`, () => 50 + k)),
    // 2,100 Kyverno reports until minute 6, then deleted by the runbook.
    series('ephemeralreports.reports.kyverno.io', (i) => (i <= 6 ? 300 * i : 0)),
  ];
  const load = (n: string) => (n === 'kf_census_objects' ? census : []);
  const spec = panelById('objects')!;

  it('keeps a line for what peaked in the range and was deleted since; "largest" is the largest now', () => {
    const r = objectsPanel(spec, load, { from: T, to: minutes[10]!, maxPoints: 200 });
    expect(r.series).toHaveLength(8);
    expect(r.series[0]!.name).toBe('ephemeralreports.reports.kyverno.io');
    expect(r.stats.find((s) => s.label === 'largest')?.value).toBe('small-8 (58)');
  });

  it('ranks by the peak inside the range only', () => {
    const late = objectsPanel(spec, load, { from: minutes[8]!, to: minutes[10]!, maxPoints: 200 });
    expect(late.series.map((s) => s.name)).not.toContain('ephemeralreports.reports.kyverno.io');
  });
});
