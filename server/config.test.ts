import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfig } from './config';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kf-config-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const withFile = (yaml: string) => {
  const f = path.join(dir, `c${Math.random().toString(36).slice(2)}.yaml`);
  fs.writeFileSync(f, yaml);
  return loadConfig({ KF_CONFIG: f, KUBECONFIG: path.join(dir, 'none') } as unknown as NodeJS.ProcessEnv);
};

describe('KF_CONFIG', () => {
  it('per-cluster node lifecycle flags become the detectors\' settings', () => {
    const c = withFile([
      'clusters:',
      '  - context: prod',
      '    nodeLifecycle: { nodeMonitorGracePeriodSeconds: 20, nodeEvictionRate: 0.5, defaultTolerationSeconds: 60 }',
      '  - context: dev',
    ].join('\n'));
    expect(c.clusterOverrides.get('prod')?.nodeLifecycle).toEqual({ gracePeriodMs: 20_000, evictionRate: 0.5, defaultTolerationSeconds: 60 });
    expect(c.clusterOverrides.get('dev')?.nodeLifecycle).toBeUndefined();
  });

  it('prometheus: the recorder fills only what Prometheus lacks by default, with an hour of backfill; `all` and the selectors are read', () => {
    const c = withFile([
      'clusters:',
      '  - context: prod',
      '    prometheus: { url: "https://prometheus.monitoring:9090" }',
      '  - context: lab',
      '    prometheus: { url: "http://127.0.0.1:9090", recorder: all, backfillMinutes: 0, labels: { etcd: \'{job="kube-etcd"}\' } }',
    ].join('\n'));
    expect(c.clusterOverrides.get('prod')?.prometheus).toMatchObject({ recorder: 'fill', backfillMinutes: 60, scrapeIntervalSeconds: 30, labels: { apiserver: '{job="apiserver"}', etcd: '{job="etcd"}' } });
    expect(c.clusterOverrides.get('lab')?.prometheus).toMatchObject({ recorder: 'all', backfillMinutes: 0, labels: { apiserver: '{job="apiserver"}', etcd: '{job="kube-etcd"}' } });
    expect(() => withFile('clusters:\n  - context: p\n    prometheus: { url: "http://p:9090", recorder: scrape }')).toThrow(/clusters\.0\.prometheus\.recorder/);
    expect(() => withFile('clusters:\n  - context: p\n    prometheus: { url: "http://p:9090", labels: { etcd: "job=etcd" } }')).toThrow(/label selector/);
  });

  it('refuses unknown or out-of-range settings, naming the field', () => {
    expect(() => withFile('clusters:\n  - context: p\n    nodeLifecycle: { gracePeriod: 20 }')).toThrow(/clusters\.0\.nodeLifecycle/);
    expect(() => withFile('clusters:\n  - context: p\n    nodeLifecycle: { unhealthyZoneThreshold: 2 }')).toThrow(/unhealthyZoneThreshold/);
  });
});
