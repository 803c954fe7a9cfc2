import { describe, expect, it } from 'vitest';
import { PANELS, panelById } from '../timeline/panels';
import type { Query } from '../timeline/types';
import { matrixToSeries, panelsFromProm, planTimeline, type PromMatrix } from './panels';
import { DEFAULT_PROM_LABELS, matchersOf, promCanAnswer, stepAndWindow, toPromQL } from './promql';

const opts = { labels: DEFAULT_PROM_LABELS, scrapeIntervalSeconds: 15 };
const q0 = (id: string, i = 0): Query => panelById(id)!.queries[i]!;

describe('toPromQL', () => {
  it('WAL fsync p99: histogram_quantile over the rate of the etcd job\'s buckets', () => {
    expect(toPromQL(q0('etcd-wal-fsync'), 30, opts)).toBe(
      'histogram_quantile(0.99, sum by (le) (rate(etcd_disk_wal_fsync_duration_seconds_bucket{job="etcd"}[30s])))');
  });

  it('DB size: the etcd gauge first, the apiserver\'s view of it after (every catalogue name, joined with or)', () => {
    const e = toPromQL(q0('etcd-db-size'), 30, opts)!;
    // A gauge each etcd member has: per member, then the largest (a sum of members is no member's size).
    expect(e.startsWith('(max by () (sum by (job, instance) (etcd_mvcc_db_total_size_in_bytes{job="etcd"}))) or ')).toBe(true);
    expect(e).toContain('etcd_debugging_mvcc_db_total_size_in_bytes{job="etcd"}');
    expect(e).toContain('apiserver_storage_size_bytes{job="apiserver"}');
    expect(e).toContain('etcd_db_total_size_in_bytes{job="apiserver"}');
    expect(toPromQL(q0('etcd-db-size', 2), 30, opts)).toBe('min by () (sum by (job, instance) (etcd_server_quota_backend_bytes{job="etcd"}))');
  });

  it('request rates by verb; 5xx by code with the match as a matcher', () => {
    expect(toPromQL(q0('apiserver-requests'), 60, opts)).toBe('sum by (verb) (rate(apiserver_request_total{job="apiserver"}[60s]))');
    expect(toPromQL(q0('apiserver-errors', 1), 60, opts)).toBe('sum by (code) (rate(apiserver_request_total{job="apiserver",code="503"}[60s]))');
  });

  it('latency p99 by verb leaves long-running verbs out once (the rule\'s and the panel\'s exclusion merged)', () => {
    expect(toPromQL(q0('apiserver-latency'), 30, opts)).toBe(
      'histogram_quantile(0.99, sum by (verb, le) (rate(apiserver_request_duration_seconds_bucket{job="apiserver",verb!~"WATCH|CONNECT"}[30s])))');
  });

  it('increase per window for leader changes', () => {
    expect(toPromQL(q0('etcd-leader', 1), 30, opts)).toBe('sum by () (increase(etcd_server_leader_changes_seen_total{job="etcd"}[30s]))');
  });

  it('renamed labels come back under their logical names (request_kind → requestKind, To → to)', () => {
    const inflight = toPromQL(q0('apiserver-inflight'), 30, opts)!;
    // Both names of the label on one metric name: each candidate wants its own present, so a 1.20
    // series (request_kind) is not matched again by the older candidate as a series without the label.
    expect(inflight).toBe('(sum by (requestKind) (label_replace(max by (request_kind) (sum by (job, instance, request_kind) (apiserver_current_inflight_requests{job="apiserver",request_kind!=""})), "requestKind", "$1", "request_kind", "(.*)")))'
      + ' or (max by (requestKind) (sum by (job, instance, requestKind) (apiserver_current_inflight_requests{job="apiserver",requestKind!=""})))');
    const rtt = toPromQL(q0('etcd-peer-rtt'), 30, opts)!;
    expect(rtt).toBe('sum by (to) (label_replace(histogram_quantile(0.99, sum by (To, le) (rate(etcd_network_peer_round_trip_time_seconds_bucket{job="etcd"}[30s]))), "to", "$1", "To", "(.*)"))');
  });

  it('the derived p99 by verb and resource is a histogram_quantile by both', () => {
    expect(toPromQL(q0('apiserver-latency-resource'), 30, opts)).toBe(
      'histogram_quantile(0.99, sum by (verb, resource, le) (rate(apiserver_request_duration_seconds_bucket{job="apiserver",verb!~"WATCH|CONNECT"}[30s])))');
  });

  it('custom label selectors (e.g. a Thanos cluster label) go into every selector', () => {
    const e = toPromQL(q0('etcd-wal-fsync'), 30, { ...opts, labels: { apiserver: '{job="kube-apiserver"}', etcd: '{job="etcd", cluster=~"eu-.*"}' } });
    expect(e).toContain('etcd_disk_wal_fsync_duration_seconds_bucket{job="etcd",cluster=~"eu-.*"}[30s]');
  });

  it('the census is not in Prometheus', () => {
    expect(toPromQL({ kind: 'gauge', series: 'kf_census_objects', legend: '' }, 30, opts)).toBeNull();
    expect(promCanAnswer({ kind: 'gauge', series: 'kf_census_objects', legend: '' })).toBe(false);
  });

  it('every query of every non-special panel has a PromQL', () => {
    for (const p of PANELS.filter((x) => !x.special)) for (const q of p.queries) expect(toPromQL(q, 30, opts), p.id).not.toBeNull();
  });
});

describe('matchersOf', () => {
  it('accepts matcher lists and refuses anything else (no PromQL injection through the config)', () => {
    expect(matchersOf('{job="etcd"}')).toEqual(['job="etcd"']);
    expect(matchersOf('{ job = "a,b", env!~"dev|test" }')).toEqual(['job = "a,b"', 'env!~"dev|test"']);
    expect(matchersOf('{}')).toEqual([]);
    expect(() => matchersOf('job="etcd"')).toThrow(/must look like/);
    expect(() => matchersOf('{job="x"}) or vector(1) or foo{a="b"}')).toThrow();
    expect(() => matchersOf('{job="x"} or up{a="b"}')).toThrow();
  });
});

describe('stepAndWindow', () => {
  it('a step of the range over the points, never under the scrape interval; a window of at least two scrapes', () => {
    expect(stepAndWindow(0, 3_600_000, 2400, 15)).toEqual({ step: 15, window: 30 });
    expect(stepAndWindow(0, 7 * 86_400_000, 2400, 15)).toEqual({ step: 252, window: 252 });
    expect(stepAndWindow(0, 300_000, 2400, 5)).toEqual({ step: 5, window: 10 });
  });
});

describe('answers to panels', () => {
  const range = { from: 1_000_000, to: 1_060_000, maxPoints: 100 };
  it('NaN (no observations in the window) is a gap, not a zero; legends, labels and scale follow the query', () => {
    const m: PromMatrix = [{ metric: { verb: 'GET' }, values: [[1000, '0.5'], [1015, 'NaN'], [1030, '0.25'], [1045, '+Inf']] }];
    const s = matrixToSeries({ kind: 'quantile', series: 'x', q: 0.99, legend: 'p99 {verb}', scale: 2 }, m, range);
    expect(s).toEqual([{ name: 'p99 GET', labels: { verb: 'GET' }, style: 'line', points: [[1_000_000, 1], [1_030_000, 0.5], [1_045_000, null]] }]);
  });

  it('plans each distinct PromQL once; db-usage stats come from the product\'s own function on the fetched gauges', () => {
    const specs = [panelById('etcd-db-size')!, panelById('objects')!, panelById('etcd-wal-fsync')!];
    const plan = planTimeline(specs, range, opts);
    expect(plan.queries.length).toBe(4 + 2);
    const sizeKey = plan.panels[0]!.gauges.find((g) => g.name === 'etcd_mvcc_db_total_size_in_bytes')!.key;
    const quotaKey = plan.panels[0]!.gauges.find((g) => g.name === 'etcd_server_quota_backend_bytes')!.key;
    const results = new Map<string, PromMatrix>([
      [sizeKey, [{ metric: {}, values: [[1000, '1000'], [1030, '1500'], [1060, '2048']] }]],
      [quotaKey, [{ metric: {}, values: [[1000, '4096'], [1060, '4096']] }]],
    ]);
    const failed = new Map([[plan.panels[2]!.queries[0]!.key!, 'HTTP 503']]);
    const out = panelsFromProm(plan, results, failed, range);
    expect(out.get('etcd-db-size')!.stats.find((s) => s.label === 'of quota')?.value).toBe('50.0% of 4.0 KiB');
    expect(out.get('etcd-db-size')!.series.map((s) => s.name)).toEqual(['DB size', 'quota']);
    expect(out.has('objects')).toBe(false); // the census: from the recorder
    expect(out.get('etcd-wal-fsync')!.empty).toBe('Prometheus did not answer: HTTP 503');
  });
});
