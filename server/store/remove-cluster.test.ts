// Removing a cluster's data (an uploaded bundle removed by an admin): every table with a cluster_id
// column is emptied of it, found from the schema as the code does, so a table added later is held
// to the same rule; no sample or chunk is orphaned; the other cluster keeps every row; the same id
// imported again reads its data afresh (the series ids cached for it are forgotten).
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ingestAuditFile } from '../audit/service';
import { importBundle } from '../bundle/import';
import { openBundle } from '../bundle/open';
import { IncidentStore } from '../incidents/store';
import { Store } from './store';

const BUNDLE = path.join(__dirname, '../../testdata/bundles/node-eviction.tar.gz');
const AUDIT = path.join(__dirname, '../../testdata/audit/v1.20.2/catchall-requestresponse.jsonl.gz');

async function imported(store: Store, id: string) {
  const b = await openBundle(BUNDLE);
  try { await importBundle(store, b, id); return b.manifest; } finally { b.dispose(); }
}

/** Rows per table with a cluster_id, for one cluster. */
function census(store: Store, cluster: string): Record<string, number> {
  const tables = store.db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all().map((t) => t.name);
  const out: Record<string, number> = {};
  for (const t of tables) {
    const cols = store.db.prepare<[], { name: string }>(`SELECT name FROM pragma_table_info('${t}')`).all().map((c) => c.name);
    if (cols.includes('cluster_id')) out[t] = store.db.prepare<[string], { n: number }>(`SELECT COUNT(*) AS n FROM ${t} WHERE cluster_id = ?`).get(cluster)!.n;
  }
  out.samples = store.db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM samples WHERE series_id IN (SELECT id FROM series WHERE cluster_id = ?)').get(cluster)!.n;
  out.clusters = store.db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM clusters WHERE id = ?').get(cluster)!.n;
  return out;
}

describe('Store.removeCluster', () => {
  it('takes every row of one cluster and none of another', async () => {
    const store = Store.memory();
    const m = await imported(store, 'bundle-a');
    await imported(store, 'bundle-b');
    for (const id of ['bundle-a', 'bundle-b']) await ingestAuditFile(store, id, AUDIT, 'audit.log.gz', 'upload');
    const before = census(store, 'bundle-b');
    const a = census(store, 'bundle-a');
    expect(a.samples).toBeGreaterThan(1000);
    expect(a.events).toBeGreaterThan(0);
    expect(a.artifacts).toBeGreaterThan(0);
    expect(a.series).toBeGreaterThan(10);
    expect(a.audit_sources).toBe(1);
    expect(a.audit_requests).toBeGreaterThan(0);

    const { rows } = store.removeCluster('bundle-a');
    expect(rows).toBeGreaterThan(a.samples!);
    expect(Object.entries(census(store, 'bundle-a')).filter(([, n]) => n > 0)).toEqual([]);
    expect(census(store, 'bundle-b')).toEqual(before);
    const orphans = store.db.prepare<[], { n: number }>('SELECT (SELECT COUNT(*) FROM samples WHERE series_id NOT IN (SELECT id FROM series)) + (SELECT COUNT(*) FROM chunks WHERE series_id NOT IN (SELECT id FROM series)) AS n').get()!.n;
    expect(orphans).toBe(0);
    const auditOrphans = store.db.prepare<[], { n: number }>('SELECT (SELECT COUNT(*) FROM audit_rollup WHERE source_id NOT IN (SELECT id FROM audit_sources)) + (SELECT COUNT(*) FROM audit_errors WHERE source_id NOT IN (SELECT id FROM audit_sources)) AS n').get()!.n;
    expect(auditOrphans).toBe(0);

    // Imported again under the same id: its series are new rows, not the ids cached before.
    await imported(store, 'bundle-a');
    await ingestAuditFile(store, 'bundle-a', AUDIT, 'audit.log.gz', 'upload');
    expect(census(store, 'bundle-a')).toEqual(a);
    const from = Date.parse(m.timeRange.from);
    const to = Date.parse(m.timeRange.to);
    expect(store.series.query('bundle-a', 'apiserver_current_inflight_requests', from, to).flatMap((s) => s.points).length).toBeGreaterThan(10);
  });

  it('names the incidents that use a cluster', async () => {
    const store = Store.memory();
    await imported(store, 'bundle-a');
    const incidents = new IncidentStore(store.db);
    expect(store.incidentsUsing('bundle-a')).toEqual([]);
    const i = incidents.create({ title: 'apiserver OOM', severity: 'sev1', clusters: ['bundle-a'], from: 0, by: 'rita', t: 1 });
    expect(store.incidentsUsing('bundle-a')).toEqual([{ id: i.id, title: 'apiserver OOM' }]);
    expect(store.incidentsUsing('bundle-b')).toEqual([]);
  });
});
