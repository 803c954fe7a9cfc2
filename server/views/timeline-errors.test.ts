import { describe, expect, it } from 'vitest';
import { AuditStore } from '../audit/store';
import { Store } from '../store/store';
import { auditErrorSeries, withErrorMessages } from './timeline';

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
    // The log's 5xx per second, over the minutes it has errors in (no rollups here: no coverage known).
    expect(r.series).toEqual([{ name: '5xx in audit log', labels: { source: 'audit' }, style: 'line', points: [[60_000, 43 / 60], [120_000, 2 / 60]] }]);
    expect(withErrorMessages(store, 'c', empty, 5 * 60_000, 10 * 60_000)).toEqual(empty);
    store.close();
  });
});

describe('audit-log 5xx as a series', () => {
  const rows = [
    { minute: 120_000, code: 500, count: 60 },
    { minute: 120_000, code: 404, count: 600 },
    { minute: 240_000, code: 503, count: 30 },
  ];
  it('zero where the log covers minutes without errors, nothing outside what it covers', () => {
    const s = auditErrorSeries(rows, { from: 60_000, to: 300_000 }, 0, 600_000, 100)!;
    expect(s.points).toEqual([[60_000, 0], [120_000, 1], [180_000, 0], [240_000, 0.5]]);
  });
  it('whole-minute steps when the range has more minutes than points, as rates per second', () => {
    const s = auditErrorSeries(rows, { from: 0, to: 600_000 }, 0, 600_000, 2)!;
    expect(s.points).toEqual([[0, 90 / 300], [300_000, 0]]);
    expect(auditErrorSeries(rows, { from: 0, to: 600_000 }, 0, 600_000, 3)!.points).toEqual([[0, 60 / 240], [240_000, 30 / 240], [480_000, 0]]);
  });
  it('nothing without server errors, or outside the range', () => {
    expect(auditErrorSeries([{ minute: 0, code: 404, count: 5 }], { from: 0, to: 60_000 }, 0, 60_000, 10)).toBeNull();
    expect(auditErrorSeries(rows, { from: 60_000, to: 300_000 }, 300_000, 600_000, 10)).toBeNull();
  });
});
