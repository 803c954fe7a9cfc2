import { describe, expect, it } from 'vitest';
import type { Overview, ReadyzReport } from '@/lib/query/overview';
import { etcdUsage, splitResource, summarizeReadiness } from './figures';

const base: Overview = {
  now: 0, cluster: { id: 'c', name: 'c', kind: 'live', server: '', notes: [] }, version: null, readyz: null, intervalMs: 5_000,
  freshness: [], recorder: null, findings: [],
  figures: { goroutines: null, residentMemoryBytes: null, etcdDbBytes: null, etcdDbInUseBytes: null, etcdQuotaBytes: null, objects: [] },
};
const withDb = (size: number | null, quota: number | null): Overview => ({ ...base, figures: { ...base.figures, etcdDbBytes: size, etcdQuotaBytes: quota } });
const GiB = 1024 ** 3;

describe('etcdUsage', () => {
  it('grades the DB size against the quota', () => {
    expect(etcdUsage(withDb(1 * GiB, 8 * GiB))).toMatchObject({ ratio: 0.125, tone: 'ok' });
    expect(etcdUsage(withDb(6 * GiB, 8 * GiB)).tone).toBe('warn');
    expect(etcdUsage(withDb(7.9 * GiB, 8 * GiB)).tone).toBe('crit');
  });
  it('has no ratio when the quota is unknown', () => {
    expect(etcdUsage(withDb(401_408, null))).toMatchObject({ ratio: null, tone: 'neutral', source: 'apiserver' });
  });
  it('knows when the size comes from etcd itself', () => {
    const o = { ...withDb(1, 2), freshness: [{ component: 'etcd', lastAttempt: 0, lastOk: 0, ok: true, lastError: null, ageMs: 0, stale: false }] };
    expect(etcdUsage(o).source).toBe('etcd');
  });
  it('read from Prometheus (no etcd scrape at all), the size is still etcd\'s own', () => {
    const mirror = { url: 'http://prom:9090', components: ['kube-apiserver', 'etcd'], lastError: null };
    const o = { ...withDb(1, 2), recorder: { running: true, backoffOpen: false, failures: 0, nextAttemptAt: 0, mirror } };
    expect(etcdUsage(o).source).toBe('etcd');
    expect(etcdUsage({ ...withDb(1, null), figures: { ...withDb(1, null).figures, etcdDbInUseBytes: 1 } }).source).toBe('etcd');
  });
});

describe('splitResource', () => {
  it('splits the group from the resource', () => {
    expect(splitResource('clusterroles.rbac.authorization.k8s.io')).toEqual({ name: 'clusterroles', group: 'rbac.authorization.k8s.io' });
    expect(splitResource('pods')).toEqual({ name: 'pods', group: '' });
  });
});

describe('summarizeReadiness', () => {
  const r = (checks: ReadyzReport['checks'], ok: boolean): ReadyzReport => ({ t: 0, ok, httpStatus: ok ? 200 : 500, checks });
  it('lists failed checks first, with their reasons', () => {
    const s = summarizeReadiness(r([{ name: 'ping', ok: true }, { name: 'etcd', ok: false, reason: 'reason withheld' }, { name: 'log', ok: true }], false), false);
    expect(s).toMatchObject({ tone: 'crit', label: 'Not ready', detail: '1 of 3 checks failing' });
    expect(s.failed).toEqual([{ name: 'etcd', ok: false, reason: 'reason withheld' }]);
    expect(s.passing.map((c) => c.name)).toEqual(['ping', 'log']);
  });
  it('says ready when every check passes, muted when the data is stale', () => {
    const ok = r([{ name: 'ping', ok: true }], true);
    expect(summarizeReadiness(ok, false)).toMatchObject({ tone: 'ok', label: 'Ready', detail: 'all 1 check passing' });
    expect(summarizeReadiness(ok, true).tone).toBe('neutral');
  });
  it('handles a missing report', () => {
    expect(summarizeReadiness(null, false)).toMatchObject({ tone: 'neutral', label: 'Unknown' });
  });
});
