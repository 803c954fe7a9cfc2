import 'server-only';
import type { DB } from './db';

export type Labels = Record<string, string>;
export interface SampleRow { name: string; labels: Labels; value: number }
export interface Point { t: number; v: number }
export interface StoredSeries { id: number; name: string; labels: Labels; points: Point[] }

/** Canonical label encoding: keys sorted, so the same label set always maps to the same series. */
export function encodeLabels(labels: Labels): string {
  const keys = Object.keys(labels).sort();
  const o: Labels = {};
  for (const k of keys) o[k] = labels[k]!;
  return JSON.stringify(o);
}

/** Recorded time series: append in one transaction per scrape, read by name and label matchers. */
export class SeriesStore {
  private readonly ids = new Map<string, number>();
  private readonly insSeries;
  private readonly getSeries;
  private readonly insSample;

  constructor(private readonly db: DB) {
    this.insSeries = db.prepare('INSERT INTO series (cluster_id, name, labels) VALUES (?, ?, ?) ON CONFLICT DO NOTHING');
    this.getSeries = db.prepare<[string, string, string], { id: number }>('SELECT id FROM series WHERE cluster_id = ? AND name = ? AND labels = ?');
    this.insSample = db.prepare('INSERT OR REPLACE INTO samples (series_id, t, v) VALUES (?, ?, ?)');
  }

  private seriesId(cluster: string, name: string, labels: string): number {
    const key = `${cluster}\u0000${name}\u0000${labels}`;
    const hit = this.ids.get(key);
    if (hit !== undefined) return hit;
    this.insSeries.run(cluster, name, labels);
    const id = this.getSeries.get(cluster, name, labels)!.id;
    this.ids.set(key, id);
    return id;
  }

  /** Appends one scrape's rows at time `t`, atomically: either all rows of a scrape are stored or none. */
  append(cluster: string, t: number, rows: SampleRow[]): void {
    this.db.transaction(() => {
      for (const r of rows) {
        // SQLite stores ±Inf as REAL, but NaN as NULL (which the NOT NULL column refuses): skip NaN.
        if (Number.isNaN(r.value)) continue;
        this.insSample.run(this.seriesId(cluster, r.name, encodeLabels(r.labels)), t, r.value);
      }
    })();
  }

  /** Series names recorded for a cluster, with their series counts. */
  names(cluster: string): Array<{ name: string; series: number }> {
    return this.db.prepare<[string], { name: string; series: number }>(
      'SELECT name, COUNT(*) AS series FROM series WHERE cluster_id = ? GROUP BY name ORDER BY name',
    ).all(cluster);
  }

  /**
   * Reads the series `name` whose labels match every `match` entry (exact), within [from, to].
   * `lookbackMs` also returns the last point before `from`, so rates at the window's start work.
   */
  query(cluster: string, name: string, from: number, to: number, match: Labels = {}, lookbackMs = 0): StoredSeries[] {
    const series = this.db.prepare<[string, string], { id: number; labels: string }>(
      'SELECT id, labels FROM series WHERE cluster_id = ? AND name = ?',
    ).all(cluster, name);
    const pts = this.db.prepare<[number, number, number], Point>('SELECT t, v FROM samples WHERE series_id = ? AND t BETWEEN ? AND ? ORDER BY t');
    const out: StoredSeries[] = [];
    for (const s of series) {
      const labels = JSON.parse(s.labels) as Labels;
      if (!Object.entries(match).every(([k, v]) => labels[k] === v)) continue;
      out.push({ id: s.id, name, labels, points: pts.all(s.id, from - lookbackMs, to) });
    }
    return out;
  }

  /** The newest point of each series `name` (for "now" figures on the overview). */
  latest(cluster: string, name: string): Array<{ labels: Labels; t: number; v: number }> {
    return this.db.prepare<[string, string], { labels: string; t: number; v: number }>(`
      SELECT s.labels AS labels, x.t AS t, x.v AS v FROM series s
      JOIN samples x ON x.series_id = s.id
      WHERE s.cluster_id = ? AND s.name = ?
        AND x.t = (SELECT MAX(t) FROM samples WHERE series_id = s.id)`,
    ).all(cluster, name).map((r) => ({ labels: JSON.parse(r.labels) as Labels, t: r.t, v: r.v }));
  }

  count(cluster?: string): number {
    return cluster
      ? (this.db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM samples WHERE series_id IN (SELECT id FROM series WHERE cluster_id = ?)').get(cluster)!.n)
      : (this.db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM samples').get()!.n);
  }
}
