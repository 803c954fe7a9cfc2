// The catalogue on the real 1.20.2 / etcd 3.4.23 captures (testdata/metrics), and on HAND-WRITTEN
// edge-case snippets for later versions. The snippets copy the line shapes documented in the
// shared reference control-plane-facts.md §1 (e.g. the EKS line
// `apiserver_storage_size_bytes{cluster="etcd-0"} 4.919296e+06`); they are not captures.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePrometheusText } from '../parse/prometheus-text';
import { CATALOGUE, catalogueFamilies, resolve } from './catalogue';
import { detectComponent, detectVersions } from './detect';
import { extractDbSize, extractEtcdDbStats, extractObjectCounts, extractScalar, findMetric, logicalLabels, qualifiedResource, splitGroupResource } from './extract';

const names = (xs: Array<{ metric: string; labels: Readonly<Record<string, string>> }>) => xs.map((c) => `${c.metric}{${Object.values(c.labels).join(',')}}`);

describe('resolve', () => {
  it('gives the version-matched rows in preference order', () => {
    expect(names(resolve('apiserverEtcdDbSizeBytes', { k8sVersion: 'v1.18.20' }))).toEqual([]);
    expect(names(resolve('apiserverEtcdDbSizeBytes', { k8sVersion: 'v1.20.2' }))).toEqual(['etcd_db_total_size_in_bytes{endpoint}']);
    expect(names(resolve('apiserverEtcdDbSizeBytes', { k8sVersion: '1.26.3' }))).toEqual(['apiserver_storage_db_total_size_in_bytes{endpoint}']);
    expect(names(resolve('apiserverEtcdDbSizeBytes', { k8sVersion: 'v1.28.9' }))).toEqual(['apiserver_storage_size_bytes{cluster}', 'apiserver_storage_db_total_size_in_bytes{endpoint}']);
    expect(names(resolve('apiserverEtcdDbSizeBytes', { k8sVersion: 'v1.28.10-eks-1234' }))).toEqual(['apiserver_storage_size_bytes{storage_cluster_id}', 'apiserver_storage_db_total_size_in_bytes{endpoint}']);
    expect(names(resolve('apiserverEtcdDbSizeBytes', { k8sVersion: 'v1.29.4' }))[0]).toBe('apiserver_storage_size_bytes{cluster}');
    expect(names(resolve('apiserverEtcdDbSizeBytes', { k8sVersion: 'v1.29.5' }))[0]).toBe('apiserver_storage_size_bytes{storage_cluster_id}');
    expect(names(resolve('apiserverEtcdDbSizeBytes', { k8sVersion: 'v1.37.0-beta.0' }))).toEqual(['apiserver_storage_size_bytes{storage_cluster_id}']);
  });

  it('object counts: etcd_object_counts ≤1.20, storage_objects preferred 1.21–1.24, resource_objects from 1.34', () => {
    expect(names(resolve('objectCount', { k8sVersion: 'v1.20.2' }))).toEqual(['etcd_object_counts{resource}']);
    expect(names(resolve('objectCount', { k8sVersion: 'v1.21.0' }))).toEqual(['apiserver_storage_objects{resource}', 'etcd_object_counts{resource}']);
    expect(names(resolve('objectCount', { k8sVersion: 'v1.25.0' }))).toEqual(['apiserver_storage_objects{resource}']);
    expect(names(resolve('objectCount', { k8sVersion: 'v1.34.1' }))).toEqual(['apiserver_resource_objects{group,resource}', 'apiserver_storage_objects{resource}']);
  });

  it('with an unknown version lists every name, newest first, once each', () => {
    expect(names(resolve('apiserverEtcdDbSizeBytes'))).toEqual([
      'apiserver_storage_size_bytes{storage_cluster_id}', 'apiserver_storage_size_bytes{cluster}',
      'apiserver_storage_db_total_size_in_bytes{endpoint}', 'etcd_db_total_size_in_bytes{endpoint}',
    ]);
    expect(names(resolve('objectCount'))).toEqual(['apiserver_resource_objects{group,resource}', 'apiserver_storage_objects{resource}', 'etcd_object_counts{resource}']);
    expect(resolve('objectCount').every((c) => !c.versionMatched)).toBe(true);
  });

  it('renamed labels: inflight requestKind (1.18) → request_kind; etcd request labels in 1.34', () => {
    expect(resolve('inflight', { k8sVersion: '1.18.4' })[0]?.labels).toEqual({ requestKind: 'requestKind' });
    expect(resolve('inflight', { k8sVersion: '1.19.0' })[0]?.labels).toEqual({ requestKind: 'request_kind' });
    expect(resolve('etcdRequestDuration', { k8sVersion: '1.33.2' })[0]?.labels).toEqual({ operation: 'operation', type: 'type' });
    expect(resolve('etcdRequestDuration', { k8sVersion: '1.34.0' })[0]?.labels).toEqual({ operation: 'operation', group: 'group', resource: 'resource' });
  });

  it('etcd DB size: the debugging name is the only one before 3.3.9, the fallback in 3.4, gone in 3.5', () => {
    expect(names(resolve('etcdDbTotalSize', { etcdVersion: '3.3.8' }))).toEqual(['etcd_debugging_mvcc_db_total_size_in_bytes{}']);
    expect(names(resolve('etcdDbTotalSize', { etcdVersion: '3.4.23' }))).toEqual(['etcd_mvcc_db_total_size_in_bytes{}', 'etcd_debugging_mvcc_db_total_size_in_bytes{}']);
    expect(names(resolve('etcdDbTotalSize', { etcdVersion: '3.5.9' }))).toEqual(['etcd_mvcc_db_total_size_in_bytes{}']);
    expect(resolve('etcdPeerRtt')[0]?.labels).toEqual({ to: 'To' });
  });

  it('is one table with a source on every row', () => {
    expect(CATALOGUE.every((e) => e.source.length > 0)).toBe(true);
    expect(catalogueFamilies(['goroutines', 'objectCount'])).toEqual(new Set(['go_goroutines', 'etcd_object_counts', 'apiserver_storage_objects', 'apiserver_resource_objects']));
  });
});

// ---- Real captures -------------------------------------------------------------------------
const dir = new URL('../../testdata/metrics/', import.meta.url);
const read = (rel: string) => parsePrometheusText(fs.readFileSync(new URL(rel, dir), 'utf8'));
const haveCaptures = fs.existsSync(new URL('kube-apiserver/v1.20.2/2026-11-23T01:54:10Z.prom', dir));

describe.runIf(haveCaptures)('real kube-apiserver v1.20.2 and etcd 3.4.23 captures', () => {
  const api = read('kube-apiserver/v1.20.2/2026-11-23T01:54:10Z.prom');
  const apiFirst = read('kube-apiserver/v1.20.2/2026-11-23T01:53:25Z.prom');
  const etcd = read('etcd/v3.4/2026-11-23T01:54:10Z.prom');

  it('detects component and version', () => {
    expect(detectComponent(api)).toBe('kube-apiserver');
    expect(detectComponent(etcd)).toBe('etcd');
    expect(detectVersions(api)).toEqual({ k8sVersion: 'v1.20.2' });
    expect(detectVersions(etcd)).toEqual({ etcdVersion: '3.4.23' });
  });

  it('1.20 resolves the DB size to etcd_db_total_size_in_bytes{endpoint}', () => {
    // Line in the capture: etcd_db_total_size_in_bytes{endpoint="https://127.0.0.1:45205"} 393216
    for (const version of ['v1.20.2', undefined]) {
      const d = extractDbSize(api, version === undefined ? {} : { k8sVersion: version });
      expect(d).toEqual({ bytes: 393216, metric: 'etcd_db_total_size_in_bytes', series: [{ storage: 'https://127.0.0.1:45205', bytes: 393216 }] });
    }
  });

  it('1.20 resolves object counts to etcd_object_counts and splits "resource.group"', () => {
    const m = findMetric(api, 'objectCount', 'v1.20.2');
    expect(m?.candidate.metric).toBe('etcd_object_counts');
    expect(m?.candidate.versionMatched).toBe(true);
    const counts = extractObjectCounts(api);
    expect(counts).toHaveLength(47);
    // etcd_object_counts{resource="clusterroles.rbac.authorization.k8s.io"} 61 (largest in this scrape)
    expect(counts[0]).toEqual({ resource: 'clusterroles', group: 'rbac.authorization.k8s.io', count: 61 });
    expect(counts.find((c) => c.resource === 'namespaces')).toEqual({ resource: 'namespaces', group: '', count: 4 });
    // Sorted largest first.
    for (let i = 1; i < counts.length; i++) expect((counts[i - 1]!.count ?? -1) >= (counts[i]!.count ?? -1)).toBe(true);
    // The first scrape came before the apiserver's first count poll: most resources still read 0.
    expect(extractObjectCounts(apiFirst).filter((c) => (c.count ?? 0) > 0).map(qualifiedResource)).toEqual(['namespaces', 'services']);
  });

  it('reads process and inflight figures', () => {
    expect(extractScalar(api, 'goroutines')).toBeGreaterThan(1000);
    expect(extractScalar(api, 'residentMemory')).toBeGreaterThan(100e6);
    const m = findMetric(api, 'inflight')!;
    expect(m.family.samples.map((s) => logicalLabels(s, m))).toEqual([{ requestKind: 'mutating' }, { requestKind: 'readOnly' }]);
    expect(findMetric(api, 'etcdRequestDuration')?.candidate.labels).toEqual({ operation: 'operation', type: 'type' });
  });

  it('etcd 3.4.23: own DB size, in-use size and quota', () => {
    // etcd_mvcc_db_total_size_in_bytes 393216, …_in_use_in_bytes 389120, quota 2.147483648e+09 (default 2 GiB)
    expect(extractEtcdDbStats(etcd)).toEqual({ dbSizeBytes: 393216, dbSizeInUseBytes: 389120, quotaBytes: 2147483648, dbSizeMetric: 'etcd_mvcc_db_total_size_in_bytes' });
    expect(extractScalar(etcd, 'etcdHasLeader')).toBe(1);
    // The apiserver extractors find nothing in an etcd scrape.
    expect(extractDbSize(etcd)).toBeNull();
    expect(extractObjectCounts(etcd)).toEqual([]);
  });
});

// ---- Hand-written edge cases for versions we have no capture of ------------------------------
describe('hand-written snippets (line shapes from control-plane-facts.md §1)', () => {
  it('1.26–1.27: apiserver_storage_db_total_size_in_bytes{endpoint}', () => {
    const r = parsePrometheusText([
      '# HELP apiserver_storage_db_total_size_in_bytes [ALPHA] Total size of the storage database file physically allocated in bytes.',
      '# TYPE apiserver_storage_db_total_size_in_bytes gauge',
      'apiserver_storage_db_total_size_in_bytes{endpoint="https://10.0.0.1:2379"} 7.5497472e+07',
      'apiserver_storage_db_total_size_in_bytes{endpoint="https://10.0.0.2:2379"} 7.6e+07',
      'kubernetes_build_info{git_version="v1.27.3"} 1',
    ].join('\n'));
    expect(extractDbSize(r)).toEqual({
      bytes: 76e6, metric: 'apiserver_storage_db_total_size_in_bytes',
      series: [{ storage: 'https://10.0.0.1:2379', bytes: 75497472 }, { storage: 'https://10.0.0.2:2379', bytes: 76e6 }],
    });
  });

  const v128 = [
    '# HELP apiserver_storage_db_total_size_in_bytes [ALPHA] (Deprecated since 1.28.0) Total size of the storage database file physically allocated in bytes.',
    '# TYPE apiserver_storage_db_total_size_in_bytes gauge',
    'apiserver_storage_db_total_size_in_bytes{endpoint="https://10.0.0.1:2379"} 4.919296e+06',
    '# HELP apiserver_storage_size_bytes [ALPHA] Size of the storage database file physically allocated in bytes.',
    '# TYPE apiserver_storage_size_bytes gauge',
  ];

  it('1.28.0–1.28.9: both names; the new apiserver_storage_size_bytes{cluster} wins', () => {
    const r = parsePrometheusText([...v128, 'apiserver_storage_size_bytes{cluster="etcd-0"} 4.919296e+06', 'kubernetes_build_info{git_version="v1.28.3"} 1'].join('\n'));
    expect(extractDbSize(r)).toEqual({ bytes: 4919296, metric: 'apiserver_storage_size_bytes', series: [{ storage: 'etcd-0', bytes: 4919296 }] });
    expect(findMetric(r, 'apiserverEtcdDbSizeBytes')?.candidate.labels).toEqual({ storage: 'cluster' });
  });

  it('1.28.10+: apiserver_storage_size_bytes{storage_cluster_id}, two storage clusters', () => {
    const r = parsePrometheusText([...v128, 'apiserver_storage_size_bytes{storage_cluster_id="etcd-0"} 5.0e+06', 'apiserver_storage_size_bytes{storage_cluster_id="etcd-1"} 1.2e+07', 'kubernetes_build_info{git_version="v1.28.10"} 1'].join('\n'));
    expect(extractDbSize(r)).toEqual({ bytes: 12e6, metric: 'apiserver_storage_size_bytes', series: [{ storage: 'etcd-0', bytes: 5e6 }, { storage: 'etcd-1', bytes: 12e6 }] });
  });

  it('unknown version: the label actually present decides between cluster and storage_cluster_id', () => {
    const withCluster = parsePrometheusText('apiserver_storage_size_bytes{cluster="etcd-0"} 1024\n');
    expect(findMetric(withCluster, 'apiserverEtcdDbSizeBytes')?.candidate.labels).toEqual({ storage: 'cluster' });
    expect(extractDbSize(withCluster)?.series).toEqual([{ storage: 'etcd-0', bytes: 1024 }]);
    const withId = parsePrometheusText('apiserver_storage_size_bytes{storage_cluster_id="etcd-0"} 2048\n');
    expect(extractDbSize(withId)?.series).toEqual([{ storage: 'etcd-0', bytes: 2048 }]);
  });

  it('a wrong version still finds the name the scrape has (last-resort fallback)', () => {
    const r = parsePrometheusText('etcd_db_total_size_in_bytes{endpoint="http://127.0.0.1:2379"} 100\n');
    const m = findMetric(r, 'apiserverEtcdDbSizeBytes', 'v1.30.0');
    expect(m?.candidate.metric).toBe('etcd_db_total_size_in_bytes');
    expect(m?.candidate.versionMatched).toBe(false);
  });

  it('negative DB sizes are unknown, not zero', () => {
    expect(extractDbSize(parsePrometheusText('apiserver_storage_size_bytes{storage_cluster_id="etcd-0"} -1\n'))).toBeNull();
  });

  it('1.21–1.24: prefers apiserver_storage_objects, falls back to etcd_object_counts', () => {
    const both = parsePrometheusText([
      'kubernetes_build_info{git_version="v1.22.17"} 1',
      '# HELP apiserver_storage_objects [STABLE] Number of stored objects at the time of last check split by kind.',
      '# TYPE apiserver_storage_objects gauge',
      'apiserver_storage_objects{resource="deployments.apps"} 12',
      'apiserver_storage_objects{resource="pods"} 40',
      '# HELP etcd_object_counts [ALPHA] (Deprecated since 1.22.0) Number of stored objects at the time of last check split by kind.',
      '# TYPE etcd_object_counts gauge',
      'etcd_object_counts{resource="pods"} 39',
    ].join('\n'));
    expect(extractObjectCounts(both)).toEqual([{ resource: 'pods', group: '', count: 40 }, { resource: 'deployments', group: 'apps', count: 12 }]);
    const onlyOld = parsePrometheusText('kubernetes_build_info{git_version="v1.21.1"} 1\netcd_object_counts{resource="pods"} 39\n');
    expect(extractObjectCounts(onlyOld)).toEqual([{ resource: 'pods', group: '', count: 39 }]);
  });

  it('1.29+: -1 from apiserver_storage_objects means unknown', () => {
    const r = parsePrometheusText('apiserver_storage_objects{resource="leases.coordination.k8s.io"} -1\napiserver_storage_objects{resource="secrets"} 3\n');
    expect(extractObjectCounts(r, 'v1.30.2')).toEqual([{ resource: 'secrets', group: '', count: 3 }, { resource: 'leases', group: 'coordination.k8s.io', count: null }]);
  });

  it('1.34+: apiserver_resource_objects{group,resource} preferred over apiserver_storage_objects', () => {
    const r = parsePrometheusText([
      'kubernetes_build_info{git_version="v1.34.1"} 1',
      '# HELP apiserver_resource_objects [ALPHA] Number of stored objects at the time of last check split by kind.',
      '# TYPE apiserver_resource_objects gauge',
      'apiserver_resource_objects{group="apps",resource="deployments"} 12',
      'apiserver_resource_objects{group="",resource="pods"} 40',
      'apiserver_resource_objects{group="example.com",resource="widgets"} 2048',
      '# HELP apiserver_storage_objects [STABLE] [DEPRECATED, consider using apiserver_resource_objects instead] Number of stored objects at the time of last check split by kind.',
      '# TYPE apiserver_storage_objects gauge',
      'apiserver_storage_objects{resource="pods"} 40',
    ].join('\n'));
    expect(findMetric(r, 'objectCount')?.candidate.metric).toBe('apiserver_resource_objects');
    expect(extractObjectCounts(r).map(qualifiedResource)).toEqual(['widgets.example.com', 'pods', 'deployments.apps']);
  });

  it('1.18: inflight uses the requestKind label', () => {
    const r = parsePrometheusText('kubernetes_build_info{git_version="v1.18.4"} 1\napiserver_current_inflight_requests{requestKind="readOnly"} 3\n');
    const m = findMetric(r, 'inflight')!;
    expect(logicalLabels(m.family.samples[0]!, m)).toEqual({ requestKind: 'readOnly' });
  });

  it('etcd 3.3.0–3.3.8: only etcd_debugging_mvcc_db_total_size_in_bytes, no in-use or quota metric', () => {
    const r = parsePrometheusText('etcd_server_version{server_version="3.3.5"} 1\netcd_debugging_mvcc_db_total_size_in_bytes 2.5e+07\netcd_server_has_leader 1\n');
    expect(extractEtcdDbStats(r)).toEqual({ dbSizeBytes: 25e6, dbSizeInUseBytes: null, quotaBytes: null, dbSizeMetric: 'etcd_debugging_mvcc_db_total_size_in_bytes' });
  });

  it('detectComponent for scheduler, controller-manager and unknown scrapes', () => {
    expect(detectComponent(parsePrometheusText('scheduler_pending_pods{queue="active"} 0\n'))).toBe('kube-scheduler');
    expect(detectComponent(parsePrometheusText('node_collector_zone_health{zone=""} 100\n'))).toBe('kube-controller-manager');
    expect(detectComponent(parsePrometheusText('workqueue_adds_total{name="deployment"} 7\n'))).toBe('kube-controller-manager');
    // The apiserver has workqueues too, named after its own controllers.
    expect(detectComponent(parsePrometheusText('workqueue_adds_total{name="APIServiceRegistrationController"} 7\n'))).toBe('unknown');
    expect(detectComponent(parsePrometheusText('go_goroutines 5\n'))).toBe('unknown');
  });

  it('splitGroupResource / qualifiedResource', () => {
    expect(splitGroupResource('apiservices.apiregistration.k8s.io')).toEqual({ resource: 'apiservices', group: 'apiregistration.k8s.io' });
    expect(splitGroupResource('pods')).toEqual({ resource: 'pods', group: '' });
    expect(qualifiedResource({ resource: 'pods', group: '' })).toBe('pods');
  });
});
