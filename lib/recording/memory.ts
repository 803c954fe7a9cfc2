/**
 * Records scrapes into memory through the same recording rules as the flight recorder, and serves
 * them as a SeriesLoader: how `inspect metrics` and the tests run the timeline and the detectors on
 * scrape files exactly as the dashboard runs them on recorded history.
 */
import type { ParseResult } from '../parse/prometheus-text';
import type { SeriesData, SeriesLoader } from '../timeline/types';
import { ScrapeRecorder } from './evaluate';
import type { Component } from './types';

export type ScrapeIn = { t: number; component: Component } & ({ text: string } | { parsed: ParseResult });

export function recordInMemory(scrapes: ScrapeIn[]): SeriesLoader {
  const byName = new Map<string, Map<string, SeriesData>>();
  const recorder = new ScrapeRecorder();
  for (const s of [...scrapes].sort((a, b) => a.t - b.t)) {
    const { rows } = recorder.record(s.component, s.t, 'parsed' in s ? s.parsed : s.text);
    for (const r of rows) {
      let series = byName.get(r.name);
      if (!series) { series = new Map(); byName.set(r.name, series); }
      const key = JSON.stringify(Object.entries(r.labels).sort());
      let x = series.get(key);
      if (!x) { x = { labels: r.labels, points: [] }; series.set(key, x); }
      x.points.push({ t: s.t, v: r.value });
    }
  }
  return (name) => [...(byName.get(name)?.values() ?? [])];
}
