import 'server-only';
import { detect } from '@/lib/detectors/evaluate';
import type { Finding } from '@/lib/detectors/types';
import { evaluatePanel, restartMarkers } from '@/lib/timeline/timeline';
import { PANELS } from '@/lib/timeline/panels';
import { resolveRange } from '@/lib/timeline/time-range';
import type { Marker, PanelResult, PanelSpec, SeriesData, SeriesLoader } from '@/lib/timeline/types';
import { toSummary } from '../capture/pprof-capture';
import { detectionInputs } from './detection-inputs';
import type { Store } from '../store/store';
import type { ClusterEntry, Runtime } from '../runtime';

export interface TimelinePanel extends Omit<PanelSpec, 'queries'> { result: PanelResult }

export interface TimelineData {
  cluster: string;
  now: number;
  from: number;
  to: number;
  panels: TimelinePanel[];
  markers: Marker[];
  /** Findings as of the range's end; each is also a marker over the time its evidence covers. */
  findings: Finding[];
  /** Points returned over all series (what the browser will draw). */
  pointCount: number;
  /** Raw points read from the store to answer. */
  pointsRead: number;
}

/** A loader over the store for one cluster and range, memoised (several panels read the same series). */
export function storeLoader(store: Store, cluster: string, from: number, to: number, lookbackMs: number): SeriesLoader & { pointsRead: () => number } {
  const cache = new Map<string, SeriesData[]>();
  let read = 0;
  const load = ((name: string) => {
    let hit = cache.get(name);
    if (!hit) {
      hit = store.series.query(cluster, name, from, to, {}, lookbackMs).map((s) => ({ labels: s.labels, points: s.points }));
      for (const s of hit) read += s.points.length;
      cache.set(name, hit);
    }
    return hit;
  }) as SeriesLoader & { pointsRead: () => number };
  load.pointsRead = () => read;
  return load;
}

const RUNTIME_PANELS = ['apiserver-goroutines', 'apiserver-memory'];

/** Stored goroutine dumps and heap profiles in the range, on the goroutine and memory panels, each linking to its analysis. */
export function captureMarkers(store: Store, entry: ClusterEntry, from: number, to: number): Marker[] {
  const out: Marker[] = [];
  for (const row of store.artifacts(entry.id)) {
    if (row.t < from || row.t > to) continue;
    const c = toSummary(row);
    if (!c) continue;
    const what = c.kind === 'heap' ? 'heap profile' : `goroutine dump${c.total !== undefined ? ` (${c.total.toLocaleString('en-US')} goroutines)` : ''}`;
    const how = c.source === 'threshold' ? `automatic: ${c.reason ?? 'growth'}` : c.source === 'schedule' ? 'scheduled' : c.source;
    out.push({
      t: c.t, kind: 'capture', label: `${c.component} ${what}, ${how}`, panels: RUNTIME_PANELS,
      href: `/clusters/${encodeURIComponent(entry.id)}/runtime?${c.kind === 'heap' ? 'h' : 'g'}=${c.id}`,
    });
  }
  return out.sort((a, b) => a.t - b.t);
}

/** "now" of a cluster: the wall clock when live, the end of the capture for a bundle. */
export function clusterNow(entry: ClusterEntry, wall = Date.now()): number {
  return entry.kind === 'bundle' && entry.bundle ? entry.bundle.to : wall;
}

export function timeline(rt: Runtime, entry: ClusterEntry, q: { from?: string; to?: string; width?: number; panels?: string[] }): TimelineData {
  const now = clusterNow(entry);
  const { from, to } = resolveRange(q.from, q.to, now);
  const maxPoints = Math.min(4000, Math.max(50, Math.round((q.width ?? 1200) * 2)));
  // The lookback brings the last scrape before `from`, so the first interval's rate exists.
  const load = storeLoader(rt.store, entry.id, from, to, 2 * rt.config.intervalMs + 60_000);
  const specs = q.panels?.length ? PANELS.filter((p) => q.panels!.includes(p.id)) : PANELS;
  const panels = specs.map((spec) => {
    const { queries: _q, ...rest } = spec;
    return { ...rest, result: evaluatePanel(spec, load, { from, to, maxPoints }) };
  });
  const findings = detect({ load, at: to, from: Math.max(from, to - 60 * 60_000), ...detectionInputs(rt.store, entry.id, to) });
  const markers: Marker[] = [
    ...restartMarkers(load, from, to),
    ...findings.map((f) => ({ t: f.evidence.from, until: f.evidence.to, kind: 'finding' as const, label: f.summary, severity: f.severity })),
    ...captureMarkers(rt.store, entry, from, to),
  ];
  const pointCount = panels.reduce((a, p) => a + p.result.series.reduce((b, s) => b + s.points.length, 0), 0);
  return { cluster: entry.id, now, from, to, panels, markers, findings, pointCount, pointsRead: load.pointsRead() };
}
