// Hand-made census series (labelled as such): the out-of-space runbook's deletes, seen on the
// objects panel of the incident's window. Then the growth panel on the real NOSPACE recording.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordedBundle, type RecordedBundle } from '../../test/support/recorded-bundle';
import { panelById } from './panels';
import { objectGrowthPanel, objectsPanel, perMinute } from './special';
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

describe('object growth per minute', () => {
  it('is the change between samples per minute, whatever the spacing', () => {
    expect(perMinute([{ t: 0, v: 10 }, { t: 60_000, v: 70 }, { t: 90_000, v: 70 }, { t: 210_000, v: 10 }])).toEqual([
      { t: 60_000, v: 60 }, { t: 90_000, v: 0 }, { t: 210_000, v: -30 },
    ]);
    expect(perMinute([{ t: 0, v: 1 }])).toEqual([]);
  });

  it('hand-made: the flood is a plateau of +300/min and the runbook\'s delete a dip, beside resources that never grew', () => {
    const census = [
      ...Array.from({ length: 9 }, (_, k) => series(`small-${k}`, () => 5000 + k)),
      series('ephemeralreports.reports.kyverno.io', (i) => (i <= 6 ? 300 * i : 0)),
    ];
    const r = objectGrowthPanel(panelById('objects-growth')!, (n) => (n === 'kf_census_objects' ? census : []), { from: T, to: minutes[10]!, maxPoints: 200 });
    expect(r.series.map((s) => s.name)).toEqual(['ephemeralreports.reports.kyverno.io']);
    const v = r.series[0]!.points.map(([, y]) => y);
    expect(v.slice(0, 6)).toEqual([300, 300, 300, 300, 300, 300]);
    expect(v[6]).toBe(-1800);
    expect(r.stats.find((s) => s.label === 'peak')?.value).toBe('ephemeralreports.reports.kyverno.io +300/min at 03:01 UTC');
    expect(r.stats.find((s) => s.label === 'fastest growing')?.value).toBe('nothing is growing now');
  });

  describe('on the real out-of-space recording', () => {
    let b: RecordedBundle;
    beforeAll(async () => { b = await recordedBundle('etcd-nospace'); }, 60_000);
    afterAll(() => b?.close());
    it('names the Kyverno reports as the top grower, at the flood\'s rate', () => {
      const r = objectGrowthPanel(panelById('objects-growth')!, b.load, { from: b.from, to: b.to, maxPoints: 400 });
      expect(r.series[0]!.name).toBe('ephemeralreports.reports.kyverno.io');
      const peak = Math.max(...r.series[0]!.points.map(([, y]) => y ?? -Infinity));
      // The recording's flood: about 2,000 reports in a few minutes, hundreds per minute.
      expect(peak).toBeGreaterThan(200);
      expect(r.stats.find((s) => s.label === 'peak')?.value).toMatch(/^ephemeralreports\.reports\.kyverno\.io \+\d/);
      for (const s of r.series.slice(1)) expect(Math.max(...s.points.map(([, y]) => y ?? -Infinity))).toBeLessThan(peak);
    });
  });
});
