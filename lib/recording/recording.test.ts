import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bucketDeltas, quantileBy } from '../analysis/histogram';
import { parsePrometheusText } from '../parse/prometheus-text';
import { recordScrape, ScrapeRecorder } from './evaluate';

const dir = path.join(__dirname, '../../testdata/metrics/kube-apiserver/v1.20.2');
const api = fs.readdirSync(dir).filter((f) => f.endsWith('.prom')).sort()
  .map((f) => ({ t: Date.parse(f.replace('.prom', '')), text: fs.readFileSync(path.join(dir, f), 'utf8') }));

const rowsNamed = (rows: Array<{ name: string; labels: Record<string, string>; value: number }>, name: string) => rows.filter((r) => r.name === name);

describe('recording rules resolve through the catalogue', () => {
  it('reads 1.20.2 object counts from etcd_object_counts, under the logical label names', () => {
    const { rows } = recordScrape(api[0]!.text, 'kube-apiserver');
    const objects = rowsNamed(rows, 'kf_objects');
    expect(objects.length).toBeGreaterThan(20);
    const cm = objects.find((r) => r.labels.resource === 'configmaps');
    const real = /^etcd_object_counts\{resource="configmaps"\} (\d+)$/m.exec(api[0]!.text);
    expect(cm?.value).toBe(Number(real![1]));
    // 1.20 inflight uses request_kind; recorded under the catalogue's logical name.
    const inflight = rowsNamed(rows, 'apiserver_current_inflight_requests').map((r) => r.labels.requestKind).sort();
    expect(inflight).toEqual(['mutating', 'readOnly']);
  });

  it('reads the later names: apiserver_storage_size_bytes with storage_cluster_id or cluster, apiserver_resource_objects', () => {
    const newer = recordScrape([
      'apiserver_storage_size_bytes{storage_cluster_id="etcd-0"} 1.2e8',
      'apiserver_storage_size_bytes{storage_cluster_id="etcd-1"} 3e6',
      'apiserver_resource_objects{group="apps",resource="deployments"} 12',
      'apiserver_resource_objects{group="",resource="pods"} 40',
      'apiserver_resource_objects{group="",resource="secrets"} -1',
      'apiserver_storage_objects{resource="pods"} 40',
      '',
    ].join('\n'), 'kube-apiserver').rows;
    expect(rowsNamed(newer, 'kf_apiserver_etcd_db_bytes')).toEqual([
      { name: 'kf_apiserver_etcd_db_bytes', labels: { storage: 'etcd-0' }, value: 1.2e8 },
      { name: 'kf_apiserver_etcd_db_bytes', labels: { storage: 'etcd-1' }, value: 3e6 },
    ]);
    // The newest family wins; -1 (fetch error) is dropped, not recorded as a count.
    expect(rowsNamed(newer, 'kf_objects')).toEqual([
      { name: 'kf_objects', labels: { resource: 'deployments', group: 'apps' }, value: 12 },
      { name: 'kf_objects', labels: { resource: 'pods' }, value: 40 },
    ]);
    const v128 = recordScrape('apiserver_storage_size_bytes{cluster="etcd-0"} 5e7\n', 'kube-apiserver').rows;
    expect(rowsNamed(v128, 'kf_apiserver_etcd_db_bytes')).toEqual([{ name: 'kf_apiserver_etcd_db_bytes', labels: { storage: 'etcd-0' }, value: 5e7 }]);
    const v118 = recordScrape('apiserver_current_inflight_requests{requestKind="readOnly"} 3\n', 'kube-apiserver').rows;
    expect(rowsNamed(v118, 'apiserver_current_inflight_requests')).toEqual([{ name: 'apiserver_current_inflight_requests', labels: { requestKind: 'readOnly' }, value: 3 }]);
  });
});

const hist = (pairs: Array<[string, string, number[]]>, les = ['0.1', '0.5', '+Inf']) => '# TYPE apiserver_request_duration_seconds histogram\n' + pairs.flatMap(([verb, resource, counts]) =>
  les.map((le, i) => `apiserver_request_duration_seconds_bucket{component="apiserver",dry_run="",group="",resource="${resource}",scope="cluster",subresource="",verb="${verb}",version="v1",le="${le}"} ${counts[i]}`)).join('\n') + '\n';

describe('derived p99 by verb and resource', () => {
  it('is histogram_quantile over the interval\'s bucket increases, per pair, long-running verbs left out', () => {
    const r = new ScrapeRecorder();
    expect(rowsNamed(r.record('kube-apiserver', 0, hist([['LIST', 'pods', [10, 10, 10]], ['GET', 'nodes', [5, 5, 5]], ['WATCH', 'pods', [0, 0, 9]]])).rows, 'kf_request_p99_seconds')).toEqual([]);
    const rows = rowsNamed(r.record('kube-apiserver', 15_000, hist([
      ['LIST', 'pods', [10, 110, 110]], // 100 new observations, all in (0.1, 0.5]: p99 = 0.1 + 0.4 × 99/100
      ['GET', 'nodes', [5, 5, 5]], // nothing served this interval: no value, not 0
      ['WATCH', 'pods', [0, 0, 20]],
      ['POST', 'configmaps', [4, 4, 4]], // first seen: created by this interval's requests, counted in full
    ])).rows, 'kf_request_p99_seconds');
    expect(rows).toHaveLength(2);
    expect(rows.find((x) => x.labels.verb === 'LIST')).toMatchObject({ labels: { verb: 'LIST', resource: 'pods' } });
    expect(rows.find((x) => x.labels.verb === 'LIST')!.value).toBeCloseTo(0.496, 12);
    expect(rows.find((x) => x.labels.verb === 'POST')!.value).toBeCloseTo(0.0990, 12);
  });

  it('after a restart (counters fell) the current histogram is the interval; after a long gap, nothing', () => {
    const r = new ScrapeRecorder();
    r.record('kube-apiserver', 0, hist([['LIST', 'pods', [100, 100, 100]]]));
    const reset = rowsNamed(r.record('kube-apiserver', 15_000, hist([['LIST', 'pods', [0, 10, 10]]])).rows, 'kf_request_p99_seconds');
    expect(reset[0]!.value).toBeCloseTo(0.1 + 0.4 * 0.99, 12);
    expect(rowsNamed(r.record('kube-apiserver', 15_000 + 11 * 60_000, hist([['LIST', 'pods', [0, 20, 20]]])).rows, 'kf_request_p99_seconds')).toEqual([]);
  });

  it('matches a direct computation on two real 1.20.2 scrapes', () => {
    const r = new ScrapeRecorder();
    r.record('kube-apiserver', api[0]!.t, api[0]!.text);
    const rows = rowsNamed(r.record('kube-apiserver', api[1]!.t, api[1]!.text).rows, 'kf_request_p99_seconds');
    expect(rows.length).toBeGreaterThan(0);
    const fam = (t: string) => parsePrometheusText(t).families.get('apiserver_request_duration_seconds')!.samples
      .filter((s) => s.name.endsWith('_bucket') && s.labels.verb !== 'WATCH' && s.labels.verb !== 'CONNECT');
    const direct = quantileBy(0.99, bucketDeltas(fam(api[0]!.text), fam(api[1]!.text), { newSeries: 'include' }), ['verb', 'resource'])
      .filter((g) => g.observations > 0);
    expect(rows).toHaveLength(direct.length);
    for (const g of direct) {
      const mine = rows.find((x) => (x.labels.verb ?? '') === g.labels.verb && (x.labels.resource ?? '') === g.labels.resource);
      expect(mine?.value).toBeCloseTo(g.value, 9);
    }
  });
});
