// summarizeScrapes on the real captures (testdata/metrics: kube-apiserver v1.20.2 and etcd 3.4.23,
// four scrapes each, 15 s apart) plus hand-written edge cases, labelled as such.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePrometheusText } from '../parse/prometheus-text';
import { summarizeScrapes, windowQuantile } from './scrape-summary';
import type { ScrapeInput } from './scrape-summary';

const dir = new URL('../../testdata/metrics/', import.meta.url);
const TIMES = ['2026-11-23T01:53:25Z', '2026-11-23T01:53:40Z', '2026-11-23T01:53:55Z', '2026-11-23T01:54:10Z'];
const load = (kind: string): ScrapeInput[] => TIMES.map((t) => ({
  result: parsePrometheusText(fs.readFileSync(new URL(`${kind}/${t}.prom`, dir), 'utf8')),
  timeMs: Date.parse(t),
}));
const haveCaptures = fs.existsSync(new URL(`etcd/v3.4/${TIMES[3]}.prom`, dir));

describe.runIf(haveCaptures)('summarizeScrapes on real captures', () => {
  const etcd = load('etcd/v3.4');
  const api = load('kube-apiserver/v1.20.2');

  it('etcd alone: DB figures, leader, and WAL fsync p99 over the 45 s window', () => {
    // Given out of order on purpose: the summary orders by time.
    const s = summarizeScrapes([etcd[2]!, etcd[0]!, etcd[3]!, etcd[1]!]);
    expect(s.component).toBe('etcd');
    expect(s.versions).toEqual({ etcdVersion: '3.4.23' });
    expect(s.window).toEqual({ scrapes: 4, fromMs: Date.parse(TIMES[0]!), toMs: Date.parse(TIMES[3]!) });
    expect(s.etcd).toMatchObject({ dbSizeBytes: 393216, dbSizeInUseBytes: 389120, quotaBytes: 2147483648, dbSizeSource: 'etcd_mvcc_db_total_size_in_bytes', hasLeader: 1 });
    // Increases summed over the three consecutive pairs (01:53:25 → 01:54:10):
    //   le=0.001: 286 → 295 (+9), le=0.002: 303 → 314 (+11), le=0.004 … +Inf: 309/311 → 323/325 (+14).
    // p99: rank 0.99·14 = 13.86 → le=0.004 after 11 below: 0.002 + 0.002·(13.86−11)/(14−11) = 0.00390667 s.
    expect(s.etcd.walFsyncP99?.observations).toBe(14);
    expect(s.etcd.walFsyncP99?.seconds).toBeCloseTo(0.002 + 0.002 * (2.86 / 3), 12);
    expect(s.goroutines).toBe(602);
    expect(s.objects).toEqual([]);
    expect(s.apiserver).toBeNull();
    expect(s.notes).toEqual([]);
  });

  it('apiserver alone: DB size from etcd_db_total_size_in_bytes, objects, p99 by verb without WATCH', () => {
    const s = summarizeScrapes(api);
    expect(s.component).toBe('kube-apiserver');
    expect(s.etcd).toMatchObject({ dbSizeBytes: 393216, dbSizeSource: 'etcd_db_total_size_in_bytes', quotaBytes: null, dbSizeInUseBytes: null, hasLeader: null, walFsyncP99: null });
    expect(s.objects[0]).toEqual({ resource: 'clusterroles.rbac.authorization.k8s.io', count: 61 });
    expect(s.goroutines).toBe(1787);
    const verbs = s.apiserver!.requestP99ByVerb.map((v) => v.verb);
    expect(verbs).not.toContain('WATCH');
    // GET: 20 requests over the window, all in the lowest bucket (le=0.05): 0.05·0.99 = 0.0495 s.
    expect(s.apiserver!.requestP99ByVerb.find((v) => v.verb === 'GET')).toEqual({ verb: 'GET', seconds: expect.closeTo(0.0495, 12), observations: 20 });
    expect(s.apiserver!.inflight).toEqual([{ requestKind: 'mutating', value: 0 }, { requestKind: 'readOnly', value: 0 }]);
    expect(s.notes).toEqual([expect.stringMatching(/^etcd quota unknown/)]);
  });

  it('both components: etcd figures from etcd, objects from the apiserver', () => {
    const s = summarizeScrapes([...api, ...etcd]);
    expect(s.component).toBe('mixed');
    expect(s.components.sort()).toEqual(['etcd', 'kube-apiserver']);
    expect(s.versions).toEqual({ k8sVersion: 'v1.20.2', etcdVersion: '3.4.23' });
    expect(s.etcd.dbSizeSource).toBe('etcd_mvcc_db_total_size_in_bytes');
    expect(s.objects.length).toBe(47);
    expect(s.goroutines).toBe(1787); // the apiserver is the primary component
    expect(s.processes.find((p) => p.component === 'etcd')?.goroutines).toBe(602);
  });

  it('one etcd scrape cannot give a latency quantile, and says so', () => {
    const s = summarizeScrapes([etcd[0]!]);
    expect(s.etcd.walFsyncP99).toBeNull();
    expect(s.notes).toEqual(['etcd WAL fsync p99 not computed: needs two consecutive scrapes of the same process']);
  });
});

describe('summarizeScrapes: hand-written edge cases', () => {
  const etcdScrape = (t: number, fsync: [number, number, number], extra: string[] = []): ScrapeInput => ({
    timeMs: t,
    result: parsePrometheusText([
      'etcd_server_version{server_version="3.5.9"} 1',
      '# TYPE etcd_disk_wal_fsync_duration_seconds histogram',
      `etcd_disk_wal_fsync_duration_seconds_bucket{le="0.008"} ${fsync[0]}`,
      `etcd_disk_wal_fsync_duration_seconds_bucket{le="0.128"} ${fsync[1]}`,
      `etcd_disk_wal_fsync_duration_seconds_bucket{le="+Inf"} ${fsync[2]}`,
      `etcd_disk_wal_fsync_duration_seconds_count ${fsync[2]}`,
      ...extra,
    ].join('\n')),
  });

  it('slow disk and no leader, with a restart between the 2nd and 3rd scrape', () => {
    const s = summarizeScrapes([
      etcdScrape(0, [100, 100, 100]),
      // +0 ≤8ms, +50 in (8ms,128ms]
      etcdScrape(15_000, [100, 150, 150]),
      // restart: counters start again; all of it is new: 0 ≤8ms, 10 in (8,128]
      etcdScrape(30_000, [0, 10, 10], ['etcd_server_has_leader 0', 'etcd_mvcc_db_total_size_in_bytes 2.1e+09', 'etcd_server_quota_backend_bytes 2.147483648e+09']),
    ]);
    // DB 2.1e9 / 2 GiB quota = 97.8 % → critical.
    // Window sum: le=0.008: 0, le=0.128: 60, +Inf: 60. p99: rank 59.4 in le=0.128 after 0 below:
    // 0.008 + 0.12·59.4/60 = 0.12680 s → critical.
    expect(s.etcd.walFsyncP99).toEqual({ seconds: expect.closeTo(0.008 + 0.12 * 0.99, 12), observations: 60 });
  });

  it('no fsyncs between scrapes → no quantile, and a note saying why', () => {
    const s = summarizeScrapes([etcdScrape(0, [5, 5, 5]), etcdScrape(15_000, [5, 5, 5])]);
    expect(s.etcd.walFsyncP99).toEqual({ seconds: null, observations: 0 });
    expect(s.notes).toEqual([expect.stringMatching(/^etcd WAL fsync p99 not computed/)]);
  });

  it('windowQuantile reports why it has nothing', () => {
    expect(windowQuantile(0.99, [], 'etcdWalFsync').reason).toMatch(/two consecutive scrapes/);
    expect(windowQuantile(0.99, [etcdScrape(0, [1, 1, 1]), { timeMs: 1, result: parsePrometheusText('go_goroutines 1\n') }], 'etcdWalFsync').reason).toBe('metric not present');
  });

  it('no input at all', () => {
    const s = summarizeScrapes([]);
    expect(s.component).toBe('unknown');
    expect(s.goroutines).toBeNull();
    expect(s.notes).toEqual([]);
  });
});
