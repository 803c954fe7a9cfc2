import 'server-only';
import type { NormalizedEvent } from '@/lib/parse/events';
import type { DB } from './db';

export interface EventQuery {
  from: number;
  to: number;
  limit: number;
  namespace?: string;
  kind?: string;
  name?: string;
  reason?: string;
  type?: string;
  component?: string;
  text?: string;
}

/** The events archive: deduplicated by uid, keeping the latest count and last-seen time. */
export class EventStore {
  private readonly upsert;

  constructor(private readonly db: DB) {
    this.upsert = db.prepare(`
      INSERT INTO events (cluster_id, uid, api, namespace, kind, name, reason, type, component, message, first_ts, last_ts, count, resource_version, body)
      VALUES (@cluster, @uid, @api, @namespace, @kind, @name, @reason, @type, @component, @message, @first, @last, @count, @rv, @body)
      ON CONFLICT(cluster_id, uid) DO UPDATE SET
        count = MAX(events.count, excluded.count),
        last_ts = MAX(events.last_ts, excluded.last_ts),
        first_ts = MIN(events.first_ts, excluded.first_ts),
        message = excluded.message,
        resource_version = excluded.resource_version,
        body = excluded.body
      WHERE excluded.last_ts >= events.last_ts OR excluded.count > events.count`);
  }

  /** Stores a batch in one transaction (an event storm costs one commit per batch, not per event). */
  put(cluster: string, events: NormalizedEvent[]): void {
    this.db.transaction(() => {
      for (const e of events) {
        this.upsert.run({
          cluster, uid: e.uid, api: e.api, namespace: e.object.namespace || e.namespace, kind: e.object.kind, name: e.object.name,
          reason: e.reason, type: e.type, component: e.component, message: e.message,
          first: e.firstTimestamp, last: e.lastTimestamp, count: e.count, rv: e.resourceVersion, body: JSON.stringify(e),
        });
      }
    })();
  }

  query(cluster: string, q: EventQuery): NormalizedEvent[] {
    const where = ['cluster_id = @cluster', 'last_ts BETWEEN @from AND @to'];
    const p: Record<string, string | number> = { cluster, from: q.from, to: q.to, limit: Math.min(100_000, Math.max(1, q.limit)) };
    for (const k of ['namespace', 'kind', 'name', 'reason', 'type', 'component'] as const) {
      const v = q[k];
      if (v) { where.push(`${k} = @${k}`); p[k] = v; }
    }
    if (q.text) { where.push("(message LIKE @text ESCAPE '\\' OR name LIKE @text ESCAPE '\\')"); p.text = `%${q.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`; }
    return this.db.prepare<Record<string, string | number>, { body: string }>(
      `SELECT body FROM events WHERE ${where.join(' AND ')} ORDER BY last_ts ASC LIMIT @limit`,
    ).all(p).map((r) => JSON.parse(r.body) as NormalizedEvent);
  }

  count(cluster: string): number {
    return this.db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM events WHERE cluster_id = ?').get(cluster)!.n;
  }
}
