import { describe, expect, it } from 'vitest';
import { DERIVED_RULES } from '../recording/derived';
import { RECORDING_RULES } from '../recording/rules';
import { mirroredRows, mirrorQuery, mirrorRules, nextWindow, RECORD_LABEL } from './mirror';
import { DEFAULT_PROM_LABELS } from './promql';

const opts = { labels: DEFAULT_PROM_LABELS, scrapeIntervalSeconds: 30 };

describe('mirrorRules / mirrorQuery', () => {
  it('has every recording rule and derived rule, once, as its plain per-scrape value', () => {
    const rules = mirrorRules(opts);
    expect(rules.map((r) => r.record).sort()).toEqual([...RECORDING_RULES.map((r) => r.record), ...DERIVED_RULES.map((d) => d.record)].sort());
    const by = new Map(rules.map((r) => [r.record, r.expr]));
    // Counters: summed over everything the rule does not keep (instances too).
    expect(by.get('apiserver_request_total')).toBe('sum by (verb, code) (apiserver_request_total{job="apiserver"})');
    // Histograms: the cumulative buckets, by le, with the rule's exclusions.
    expect(by.get('apiserver_request_duration_seconds_bucket')).toBe('sum by (verb, le) (apiserver_request_duration_seconds_bucket{job="apiserver",verb!~"WATCH|CONNECT"})');
    expect(by.get('etcd_disk_wal_fsync_duration_seconds_bucket')).toBe('sum by (le) (etcd_disk_wal_fsync_duration_seconds_bucket{job="etcd"})');
    // Gauges each instance has on its own: the worst instance, not a sum of members.
    expect(by.get('etcd_debugging_mvcc_current_revision')).toBe('max by () (sum by (job, instance) (etcd_debugging_mvcc_current_revision{job="etcd"}))');
    expect(by.get('etcd_server_has_leader')).toBe('min by () (sum by (job, instance) (etcd_server_has_leader{job="etcd"}))');
    // The derived p99 by verb and resource: per interval (two scrapes in the window).
    expect(by.get('kf_request_p99_seconds')).toBe('histogram_quantile(0.99, sum by (verb, resource, le) (rate(apiserver_request_duration_seconds_bucket{job="apiserver",verb!~"WATCH|CONNECT"}[60s])))');
  });

  it('joins the rules into one expression, each labelled with its record name', () => {
    const q = mirrorQuery(opts);
    for (const r of mirrorRules(opts)) expect(q).toContain(`label_replace(${r.expr}, "${RECORD_LABEL}", "${r.record}", "", "")`);
    expect(q.split(' or label_replace(').length).toBe(mirrorRules(opts).length);
    // Only the components asked for.
    expect(mirrorQuery(opts, ['etcd'])).not.toContain('job="apiserver"');
  });

  it('uses the configured selectors', () => {
    const q = mirrorQuery({ labels: { apiserver: '{job="kube-apiserver",cluster="eu"}', etcd: '{job=~"etcd.*"}' }, scrapeIntervalSeconds: 15 });
    expect(q).toContain('go_goroutines{job="kube-apiserver",cluster="eu"}');
    expect(q).toContain('etcd_server_has_leader{job=~"etcd.*"}');
    expect(q).toContain('[30s]');
  });
});

describe('mirroredRows', () => {
  it('turns the answer into store rows by component and step, without kf_record or __name__', () => {
    const r = mirroredRows([
      { metric: { [RECORD_LABEL]: 'apiserver_request_total', verb: 'GET', code: '200' }, values: [[1000, '5'], [1030, '7']] },
      { metric: { [RECORD_LABEL]: 'etcd_disk_wal_fsync_duration_seconds_bucket', le: '+Inf' }, values: [[1030, '12']] },
      { metric: { [RECORD_LABEL]: 'kf_request_p99_seconds', verb: 'LIST', resource: 'pods' }, values: [[1000, 'NaN'], [1030, '0.25']] },
      { metric: { [RECORD_LABEL]: 'something_else' }, values: [[1000, '1']] },
      { metric: { __name__: 'up' }, values: [[1000, '1']] },
    ]);
    expect(r.series).toBe(3);
    expect(r.ignored).toBe(2);
    expect(r.points).toBe(4); // the NaN (no requests in the window) is no row, as the recorder records none
    expect([...r.byComponent.get('kube-apiserver')!]).toEqual([
      [1_000_000, [{ name: 'apiserver_request_total', labels: { verb: 'GET', code: '200' }, value: 5 }]],
      [1_030_000, [{ name: 'apiserver_request_total', labels: { verb: 'GET', code: '200' }, value: 7 }, { name: 'kf_request_p99_seconds', labels: { verb: 'LIST', resource: 'pods' }, value: 0.25 }]],
    ]);
    expect([...r.byComponent.get('etcd')!]).toEqual([[1_030_000, [{ name: 'etcd_disk_wal_fsync_duration_seconds_bucket', labels: { le: '+Inf' }, value: 12 }]]]);
    expect(r.newest).toEqual(new Map([['kube-apiserver', 1_030_000], ['etcd', 1_030_000]]));
  });
});

describe('nextWindow', () => {
  const o = { stepMs: 30_000, lagMs: 30_000, backfillMs: 3600_000, maxSteps: 240 };
  const now = Date.parse('2026-12-03T10:00:10Z');
  it('first read: the backfill, aligned to the step, up to the last step Prometheus has scraped past', () => {
    expect(nextWindow(null, now, o)).toEqual({ start: Date.parse('2026-12-03T09:00:30Z'), end: Date.parse('2026-12-03T09:59:30Z'), present: true });
  });
  it('then the steps after the cursor; nothing until a whole step is due', () => {
    expect(nextWindow(Date.parse('2026-12-03T09:59:00Z'), now, o)).toEqual({ start: Date.parse('2026-12-03T09:59:30Z'), end: Date.parse('2026-12-03T09:59:30Z'), present: true });
    expect(nextWindow(Date.parse('2026-12-03T09:59:30Z'), now, o)).toBeNull();
    // A cursor between steps (the recorder's own scrape): the next whole step after it.
    expect(nextWindow(Date.parse('2026-12-03T09:58:45Z'), now, o)).toEqual({ start: Date.parse('2026-12-03T09:59:00Z'), end: Date.parse('2026-12-03T09:59:30Z'), present: true });
  });
  it('a long way behind: no earlier than the backfill, at most maxSteps a read', () => {
    expect(nextWindow(Date.parse('2026-12-01T00:00:00Z'), now, o)!.start).toBe(Date.parse('2026-12-03T09:00:30Z'));
    const w = nextWindow(null, now, { ...o, maxSteps: 10 })!;
    expect((w.end - w.start) / o.stepMs).toBe(9);
    expect(w.present).toBe(false); // a backfill chunk in the past: Prometheus' coverage is not judged by it
  });
});
