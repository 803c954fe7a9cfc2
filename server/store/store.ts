import 'server-only';
import zlib from 'node:zlib';
import { openDatabase, openMemoryDatabase, type DB } from './db';
import { EventStore } from './events';
import { SeriesStore } from './series';

export interface ScrapeOutcome {
  cluster: string;
  component: string;
  t: number;
  ok: boolean;
  durationMs: number;
  bytes?: number;
  samples?: number;
  error?: string;
}

export interface HealthRow { endpoint: string; t: number; ok: boolean; httpStatus: number; checks: Array<{ name: string; ok: boolean; reason?: string }> }

export interface RetentionPolicy {
  /** Drop samples, scrapes, raw scrapes, health, snapshots and artifacts older than this. */
  maxAgeMs: number;
  /** Keep the database under this many bytes by dropping the oldest data first. */
  maxBytes: number;
  /** Events are kept longer than metrics by default: they are the first thing a postmortem reads. */
  eventsMaxAgeMs: number;
}

export const DEFAULT_RETENTION: RetentionPolicy = {
  maxAgeMs: 14 * 24 * 3600_000,
  maxBytes: 2 * 1024 ** 3,
  eventsMaxAgeMs: 30 * 24 * 3600_000,
};

/** The embedded store: one SQLite file, shared by the recorder (writer) and the API routes (readers). */
export class Store {
  readonly series: SeriesStore;
  readonly events: EventStore;

  constructor(readonly db: DB) {
    this.series = new SeriesStore(db);
    this.events = new EventStore(db);
  }

  static open(dataDir: string): Store { return new Store(openDatabase(dataDir)); }
  static memory(): Store { return new Store(openMemoryDatabase()); }

  close(): void { this.db.close(); }

  upsertCluster(c: { id: string; name: string; kind: string; server: string }): void {
    this.db.prepare(`INSERT INTO clusters (id, name, kind, server, created_at) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT(id) DO UPDATE SET name = excluded.name, kind = excluded.kind, server = excluded.server`)
      .run(c.id, c.name, c.kind, c.server, Date.now());
  }

  clusters(): Array<{ id: string; name: string; kind: string; server: string }> {
    return this.db.prepare<[], { id: string; name: string; kind: string; server: string }>('SELECT id, name, kind, server FROM clusters ORDER BY name').all();
  }

  recordScrape(s: ScrapeOutcome): void {
    this.db.prepare('INSERT OR REPLACE INTO scrapes (cluster_id, component, t, ok, duration_ms, bytes, samples, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(s.cluster, s.component, s.t, s.ok ? 1 : 0, Math.round(s.durationMs), s.bytes ?? 0, s.samples ?? 0, s.error ?? null);
  }

  /** The last attempt and the last success per component: what "freshness" and "stale for 3m" are made of. */
  freshness(cluster: string): Array<{ component: string; lastAttempt: number; lastOk: number | null; lastError: string | null; ok: boolean }> {
    return this.db.prepare<[string], { component: string; lastAttempt: number; lastOk: number | null; lastError: string | null; ok: number }>(`
      SELECT component,
        MAX(t) AS lastAttempt,
        (SELECT MAX(t) FROM scrapes s2 WHERE s2.cluster_id = s.cluster_id AND s2.component = s.component AND s2.ok = 1) AS lastOk,
        (SELECT error FROM scrapes s3 WHERE s3.cluster_id = s.cluster_id AND s3.component = s.component ORDER BY t DESC LIMIT 1) AS lastError,
        (SELECT ok FROM scrapes s4 WHERE s4.cluster_id = s.cluster_id AND s4.component = s.component ORDER BY t DESC LIMIT 1) AS ok
      FROM scrapes s WHERE cluster_id = ? GROUP BY component`).all(cluster)
      .map((r) => ({ ...r, ok: r.ok === 1 }));
  }

  scrapes(cluster: string, component: string, from: number, to: number): ScrapeOutcome[] {
    return this.db.prepare<[string, string, number, number], { t: number; ok: number; duration_ms: number; bytes: number; samples: number; error: string | null }>(
      'SELECT t, ok, duration_ms, bytes, samples, error FROM scrapes WHERE cluster_id = ? AND component = ? AND t BETWEEN ? AND ? ORDER BY t',
    ).all(cluster, component, from, to).map((r) => ({
      cluster, component, t: r.t, ok: r.ok === 1, durationMs: r.duration_ms, bytes: r.bytes, samples: r.samples, error: r.error ?? undefined,
    }));
  }

  saveRawScrape(cluster: string, component: string, t: number, text: string): void {
    this.db.prepare('INSERT OR REPLACE INTO raw_scrapes (cluster_id, component, t, body) VALUES (?, ?, ?, ?)')
      .run(cluster, component, t, zlib.gzipSync(text, { level: 6 }));
  }

  lastRawScrapeTime(cluster: string, component: string): number | null {
    return this.db.prepare<[string, string], { t: number | null }>('SELECT MAX(t) AS t FROM raw_scrapes WHERE cluster_id = ? AND component = ?').get(cluster, component)!.t;
  }

  rawScrapes(cluster: string, component: string, from: number, to: number): Array<{ t: number; text: string }> {
    return this.db.prepare<[string, string, number, number], { t: number; body: Buffer }>(
      'SELECT t, body FROM raw_scrapes WHERE cluster_id = ? AND component = ? AND t BETWEEN ? AND ? ORDER BY t',
    ).all(cluster, component, from, to).map((r) => ({ t: r.t, text: zlib.gunzipSync(r.body).toString('utf8') }));
  }

  saveHealth(cluster: string, h: HealthRow): void {
    this.db.prepare('INSERT OR REPLACE INTO health (cluster_id, endpoint, t, ok, http_status, checks) VALUES (?, ?, ?, ?, ?, ?)')
      .run(cluster, h.endpoint, h.t, h.ok ? 1 : 0, h.httpStatus, JSON.stringify(h.checks));
  }

  latestHealth(cluster: string, endpoint: string): HealthRow | null {
    const r = this.db.prepare<[string, string], { t: number; ok: number; http_status: number; checks: string }>(
      'SELECT t, ok, http_status, checks FROM health WHERE cluster_id = ? AND endpoint = ? ORDER BY t DESC LIMIT 1',
    ).get(cluster, endpoint);
    return r ? { endpoint, t: r.t, ok: r.ok === 1, httpStatus: r.http_status, checks: JSON.parse(r.checks) as HealthRow['checks'] } : null;
  }

  saveSnapshot(cluster: string, kind: string, t: number, body: unknown): void {
    this.db.prepare('INSERT OR REPLACE INTO snapshots (cluster_id, kind, t, body) VALUES (?, ?, ?, ?)').run(cluster, kind, t, JSON.stringify(body));
  }

  /**
   * A census (one-item LISTs per resource): the snapshot, and each counted resource as the
   * `kf_census_objects` series the objects panels read (a count the server did not give is not 0).
   * The one way a census is stored: the recorder, "count now" and bundle import.
   */
  saveCensus(cluster: string, t: number, census: { entries?: Array<{ group: string; resource: string; count: number | null }> }): void {
    this.saveSnapshot(cluster, 'census', t, census);
    this.series.append(cluster, t, (census.entries ?? []).filter((e) => e.count !== null).map((e) => ({
      name: 'kf_census_objects', labels: { resource: e.group ? `${e.resource}.${e.group}` : e.resource }, value: e.count!,
    })));
  }

  latestSnapshot<T>(cluster: string, kind: string): { t: number; body: T } | null {
    const r = this.db.prepare<[string, string], { t: number; body: string }>(
      'SELECT t, body FROM snapshots WHERE cluster_id = ? AND kind = ? ORDER BY t DESC LIMIT 1',
    ).get(cluster, kind);
    return r ? { t: r.t, body: JSON.parse(r.body) as T } : null;
  }

  snapshots<T>(cluster: string, kind: string, from: number, to: number): Array<{ t: number; body: T }> {
    return this.db.prepare<[string, string, number, number], { t: number; body: string }>(
      'SELECT t, body FROM snapshots WHERE cluster_id = ? AND kind = ? AND t BETWEEN ? AND ? ORDER BY t',
    ).all(cluster, kind, from, to).map((r) => ({ t: r.t, body: JSON.parse(r.body) as T }));
  }

  getState(cluster: string, key: string): string | null {
    return this.db.prepare<[string, string], { value: string }>('SELECT value FROM recorder_state WHERE cluster_id = ? AND key = ?').get(cluster, key)?.value ?? null;
  }

  setState(cluster: string, key: string, value: string): void {
    this.db.prepare('INSERT OR REPLACE INTO recorder_state (cluster_id, key, value) VALUES (?, ?, ?)').run(cluster, key, value);
  }

  saveArtifact(a: { cluster: string; kind: string; component: string; t: number; meta?: unknown; body: Uint8Array }): number {
    const r = this.db.prepare('INSERT INTO artifacts (cluster_id, kind, component, t, size, meta, body) VALUES (?, ?, ?, ?, ?, ?, ?)')
      .run(a.cluster, a.kind, a.component, a.t, a.body.length, JSON.stringify(a.meta ?? {}), asBuffer(a.body));
    return Number(r.lastInsertRowid);
  }

  artifacts(cluster: string, kind?: string): Array<{ id: number; kind: string; component: string; t: number; size: number; meta: unknown }> {
    const rows = kind
      ? this.db.prepare<[string, string], { id: number; kind: string; component: string; t: number; size: number; meta: string }>(
        'SELECT id, kind, component, t, size, meta FROM artifacts WHERE cluster_id = ? AND kind = ? ORDER BY t DESC').all(cluster, kind)
      : this.db.prepare<[string], { id: number; kind: string; component: string; t: number; size: number; meta: string }>(
        'SELECT id, kind, component, t, size, meta FROM artifacts WHERE cluster_id = ? ORDER BY t DESC').all(cluster);
    return rows.map((r) => ({ ...r, meta: JSON.parse(r.meta) as unknown }));
  }

  artifactBody(cluster: string, id: number): Buffer | null {
    return this.db.prepare<[string, number], { body: Buffer }>('SELECT body FROM artifacts WHERE cluster_id = ? AND id = ?').get(cluster, id)?.body ?? null;
  }

  /** Size of the database file (pages in use × page size). */
  /** Incidents that span a cluster or hold its annotations, findings or captures. */
  incidentsUsing(cluster: string): Array<{ id: string; title: string }> {
    return this.db.prepare<[string, string, string, string], { id: string; title: string }>(`
      SELECT id, title FROM incidents
      WHERE EXISTS (SELECT 1 FROM json_each(incidents.clusters) WHERE value = ?)
         OR id IN (SELECT incident_id FROM incident_annotations WHERE cluster_id = ?)
         OR id IN (SELECT incident_id FROM incident_findings WHERE cluster_id = ?)
         OR id IN (SELECT incident_id FROM incident_captures WHERE cluster_id = ?)
      ORDER BY created_at`).all(cluster, cluster, cluster, cluster);
  }

  /**
   * Everything kept for one cluster, in one transaction: its series and their samples and chunks,
   * its audit sources and what was derived from them, and every row of every table with a
   * `cluster_id` column (found from the schema, so a table added later is covered). Incidents are
   * not touched: the caller refuses while one uses the cluster (`incidentsUsing`).
   */
  removeCluster(cluster: string): { rows: number } {
    const tables = this.db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all()
      .map((t) => t.name)
      .filter((t) => !t.startsWith('incident') && this.db.prepare<[], { name: string }>(`SELECT name FROM pragma_table_info('${t}')`).all().some((c) => c.name === 'cluster_id'));
    let rows = 0;
    this.db.transaction(() => {
      const run = (sql: string) => { rows += this.db.prepare(sql).run(cluster).changes; };
      for (const t of ['samples', 'chunks']) run(`DELETE FROM ${t} WHERE series_id IN (SELECT id FROM series WHERE cluster_id = ?)`);
      for (const t of ['audit_rollup', 'audit_errors']) run(`DELETE FROM ${t} WHERE source_id IN (SELECT id FROM audit_sources WHERE cluster_id = ?)`);
      // Parents last (what refers to them is gone by then, or goes with them by ON DELETE CASCADE).
      const parents = new Set(['series', 'audit_sources', 'runbook_runs']);
      for (const t of [...tables.filter((x) => !parents.has(x)), ...tables.filter((x) => parents.has(x))]) run(`DELETE FROM ${t} WHERE cluster_id = ?`);
      run('DELETE FROM clusters WHERE id = ?');
    })();
    this.series.forget(cluster);
    return { rows };
  }

  sizeBytes(): number {
    const pages = this.db.pragma('page_count', { simple: true }) as number;
    const free = this.db.pragma('freelist_count', { simple: true }) as number;
    const size = this.db.pragma('page_size', { simple: true }) as number;
    return (pages - free) * size;
  }

  /**
   * Enforces retention on live recordings (a bundle is evidence its owner imported on purpose, kept
   * whatever its age): first by age (events by their own, longer, age), then, while over the size
   * budget, drops the oldest tenth of the remaining time span of samples, raw scrapes and profiles,
   * and then of events. Deleted pages are reused by SQLite.
   */
  enforceRetention(p: RetentionPolicy, now = Date.now()): { deletedSamples: number; deletedEvents: number } {
    let deletedSamples = 0;
    let deletedEvents = 0;
    const live = "SELECT id FROM clusters WHERE kind = 'live'";
    const liveSeries = `SELECT id FROM series WHERE cluster_id IN (${live})`;
    // Events and their occurrences go together.
    const dropEventsBefore = (cut: number) => {
      deletedEvents += this.db.prepare(`DELETE FROM events WHERE last_ts < ? AND cluster_id IN (${live})`).run(cut).changes;
      this.db.prepare(`DELETE FROM event_occurrences WHERE t < ? AND cluster_id IN (${live})`).run(cut);
    };
    const dropBefore = (cut: number, withEvents: number | null) => {
      deletedSamples += this.db.prepare(`DELETE FROM samples WHERE t < ? AND series_id IN (${liveSeries})`).run(cut).changes;
      this.db.prepare(`DELETE FROM chunks WHERE t1 < ? AND series_id IN (${liveSeries})`).run(cut);
      for (const tbl of ['scrapes', 'raw_scrapes', 'health', 'snapshots', 'artifacts']) this.db.prepare(`DELETE FROM ${tbl} WHERE t < ? AND cluster_id IN (${live})`).run(cut);
      if (withEvents !== null) dropEventsBefore(withEvents);
    };
    this.db.transaction(() => dropBefore(now - p.maxAgeMs, now - p.eventsMaxAgeMs))();
    for (let i = 0; i < 20 && this.sizeBytes() > p.maxBytes; i++) {
      const span = this.db.prepare<[], { lo: number | null; hi: number | null }>(`
        SELECT MIN(lo) AS lo, MAX(hi) AS hi FROM (
          SELECT MIN(t) AS lo, MAX(t) AS hi FROM samples WHERE series_id IN (${liveSeries})
          UNION ALL SELECT MIN(t0), MAX(t1) FROM chunks WHERE series_id IN (${liveSeries}))`).get()!;
      if (span.lo === null || span.hi === null || span.lo >= span.hi) break;
      const cut = span.lo + Math.max(1, Math.floor((span.hi - span.lo) / 10));
      this.db.transaction(() => dropBefore(cut, null))();
    }
    // Still over budget with metrics trimmed (or none recorded): the oldest tenth of the live events'
    // span goes next. Events outlive metrics by age, but not at the price of filling the disk.
    for (let i = 0; i < 20 && this.sizeBytes() > p.maxBytes; i++) {
      const span = this.db.prepare<[], { lo: number | null; hi: number | null }>(
        `SELECT MIN(last_ts) AS lo, MAX(last_ts) AS hi FROM events WHERE cluster_id IN (${live})`).get()!;
      if (span.lo === null || span.hi === null) break;
      const cut = span.lo + Math.max(1, Math.floor((span.hi - span.lo) / 10));
      dropEventsBefore(cut);
    }
    return { deletedSamples, deletedEvents };
  }
}

/** A Buffer view of the bytes, without copying them (an artifact can be 128 MiB). */
function asBuffer(b: Uint8Array): Buffer {
  return Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength);
}
