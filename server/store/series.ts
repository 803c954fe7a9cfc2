import 'server-only';
import { decodeChunk, encodeChunk } from './chunk';
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

  /** Forgets the ids cached for a cluster whose series were deleted (Store.removeCluster). */
  forget(cluster: string): void {
    const prefix = `${cluster}\u0000`;
    for (const k of this.ids.keys()) if (k.startsWith(prefix)) this.ids.delete(k);
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
   * Compacted chunks and recent rows are merged; chunks always hold the older samples.
   */
  query(cluster: string, name: string, from: number, to: number, match: Labels = {}, lookbackMs = 0): StoredSeries[] {
    const series = this.db.prepare<[string, string], { id: number; labels: string }>(
      'SELECT id, labels FROM series WHERE cluster_id = ? AND name = ?',
    ).all(cluster, name);
    const rows = this.db.prepare<[number, number, number], [number, number]>('SELECT t, v FROM samples WHERE series_id = ? AND t BETWEEN ? AND ? ORDER BY t').raw(true);
    const chunks = this.db.prepare<[number, number, number], { data: Buffer }>('SELECT data FROM chunks WHERE series_id = ? AND t1 >= ? AND t0 <= ? ORDER BY t0');
    const lo = from - lookbackMs;
    const out: StoredSeries[] = [];
    for (const s of series) {
      const labels = JSON.parse(s.labels) as Labels;
      if (!Object.entries(match).every(([k, v]) => labels[k] === v)) continue;
      const points: Point[] = [];
      for (const c of chunks.all(s.id, lo, to)) {
        const { t, v } = decodeChunk(c.data);
        for (let i = 0; i < t.length; i++) if (t[i]! >= lo && t[i]! <= to) points.push({ t: t[i]!, v: v[i]! });
      }
      for (const [t, v] of rows.all(s.id, lo, to)) points.push({ t, v });
      out.push({ id: s.id, name, labels, points });
    }
    return out;
  }

  /**
   * Packs samples older than `before` into chunks aligned to `spanMs` (only whole spans), one
   * transaction per series, so a crash leaves each series either compacted or not, never half.
   */
  compact(before: number, spanMs = 2 * 3600_000): { chunks: number; samples: number } {
    const cutoff = Math.floor(before / spanMs) * spanMs;
    const ids = this.db.prepare<[number], { series_id: number }>('SELECT DISTINCT series_id FROM samples WHERE t < ?').all(cutoff);
    const read = this.db.prepare<[number, number], [number, number]>('SELECT t, v FROM samples WHERE series_id = ? AND t < ? ORDER BY t').raw(true);
    const existing = this.db.prepare<[number, number], { data: Buffer }>('SELECT data FROM chunks WHERE series_id = ? AND t0 = ?');
    const put = this.db.prepare('INSERT OR REPLACE INTO chunks (series_id, t0, t1, n, data) VALUES (?, ?, ?, ?, ?)');
    const del = this.db.prepare('DELETE FROM samples WHERE series_id = ? AND t < ?');
    let nChunks = 0;
    let nSamples = 0;
    for (const { series_id: id } of ids) {
      this.db.transaction(() => {
        const rows = read.all(id, cutoff);
        const windows = new Map<number, Array<[number, number]>>();
        for (const r of rows) {
          const w = Math.floor(r[0] / spanMs) * spanMs;
          let list = windows.get(w);
          if (!list) { list = []; windows.set(w, list); }
          list.push(r);
        }
        for (const [w, list] of windows) {
          // A late sample for an already compacted window merges into its chunk.
          const prev = existing.get(id, w);
          const merged = new Map<number, number>();
          if (prev) { const d = decodeChunk(prev.data); for (let i = 0; i < d.t.length; i++) merged.set(d.t[i]!, d.v[i]!); }
          for (const [t, v] of list) merged.set(t, v);
          const ts = [...merged.keys()].sort((a, b) => a - b);
          put.run(id, w, ts[ts.length - 1]!, ts.length, encodeChunk(ts, ts.map((t) => merged.get(t)!)));
          nChunks++;
        }
        nSamples += del.run(id, cutoff).changes;
      })();
    }
    return { chunks: nChunks, samples: nSamples };
  }

  /** The newest point of each series `name` (for "now" figures), from recent rows or else the last chunk. */
  /** The newest sample time of any series of these names (null: none recorded). */
  latestTime(cluster: string, names: string[]): number | null {
    let best: number | null = null;
    for (const name of names) for (const r of this.latest(cluster, name)) if (best === null || r.t > best) best = r.t;
    return best;
  }

  latest(cluster: string, name: string): Array<{ labels: Labels; t: number; v: number }> {
    const series = this.db.prepare<[string, string], { id: number; labels: string }>('SELECT id, labels FROM series WHERE cluster_id = ? AND name = ?').all(cluster, name);
    const lastRow = this.db.prepare<[number], { t: number; v: number }>('SELECT t, v FROM samples WHERE series_id = ? ORDER BY t DESC LIMIT 1');
    const lastChunk = this.db.prepare<[number], { data: Buffer }>('SELECT data FROM chunks WHERE series_id = ? ORDER BY t0 DESC LIMIT 1');
    const out: Array<{ labels: Labels; t: number; v: number }> = [];
    for (const s of series) {
      let p: { t: number; v: number } | undefined = lastRow.get(s.id);
      if (!p) {
        const c = lastChunk.get(s.id);
        if (c) { const d = decodeChunk(c.data); const i = d.t.length - 1; if (i >= 0) p = { t: d.t[i]!, v: d.v[i]! }; }
      }
      if (p) out.push({ labels: JSON.parse(s.labels) as Labels, t: p.t, v: p.v });
    }
    return out;
  }

  /** Samples stored (rows and compacted), for one cluster or all. */
  count(cluster?: string): number {
    const where = cluster ? 'WHERE series_id IN (SELECT id FROM series WHERE cluster_id = ?)' : '';
    const args = cluster ? [cluster] : [];
    const rows = (this.db.prepare(`SELECT COUNT(*) AS n FROM samples ${where}`).get(...args) as { n: number }).n;
    const packed = (this.db.prepare(`SELECT COALESCE(SUM(n), 0) AS n FROM chunks ${where}`).get(...args) as { n: number }).n;
    return rows + packed;
  }
}
