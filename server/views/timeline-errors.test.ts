import { describe, expect, it } from 'vitest';
import { AuditStore } from '../audit/store';
import { Store } from '../store/store';
import { withErrorMessages } from './timeline';

describe('the 5xx panel names the most frequent server-error message from the audit log', () => {
  it('adds it as a stat when the range has 5xx errors in an ingested audit log, and nothing otherwise', () => {
    const store = Store.memory();
    store.upsertCluster({ id: 'c', name: 'c', kind: 'live', server: '' });
    const audit = new AuditStore(store.db);
    const src = audit.createSource({ clusterId: 'c', kind: 'upload', name: 'audit.log', file: null, totalBytes: null, status: 'done' });
    const msg = 'etcdserver: mvcc: database space exceeded';
    audit.writeBatch(src, 'c', [], [
      { minute: 60_000, code: 500, pattern: msg, message: msg, count: 40 },
      { minute: 120_000, code: 500, pattern: msg, message: msg, count: 2 },
      { minute: 60_000, code: 404, pattern: 'configmaps "…" not found', message: 'configmaps "x" not found', count: 500 },
      { minute: 60_000, code: 503, pattern: 'the server is currently unable to handle the request', message: 'the server is currently unable to handle the request', count: 3 },
    ], []);
    const empty = { id: 'apiserver-errors', series: [], stats: [] };
    const r = withErrorMessages(store, 'c', empty, 0, 10 * 60_000);
    expect(r.stats).toEqual([{ label: 'most frequent', value: `500 "${msg}" ×42 (audit log)`, severity: 'critical' }]);
    expect(withErrorMessages(store, 'c', empty, 5 * 60_000, 10 * 60_000).stats).toEqual([]);
    store.close();
  });
});
