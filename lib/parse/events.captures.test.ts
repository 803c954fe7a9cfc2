// normalizeEvent on real lists from kube-apiserver 1.20.2 (testdata/events/v1.20.2, made by
// scripts/fixtures/capture-events.ts): the same objects read through core/v1 and events.k8s.io/v1.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { normalizeEvent, type NormalizedEvent } from './events';

const dir = path.join(__dirname, '../../testdata/events/v1.20.2');
const load = (f: string) => (JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as { items: unknown[] }).items.map((e) => normalizeEvent(e)!);
const core = load('core-v1-list.json');
const v1 = load('events-k8s-io-v1-list.json');
const byUid = (l: NormalizedEvent[]) => new Map(l.map((e) => [e.uid, e]));

describe('real Events from kube-apiserver 1.20.2', () => {
  it('reads every item of both APIs, and both APIs agree on every field of every event', () => {
    expect(core.length).toBeGreaterThan(10);
    expect(core.every(Boolean)).toBe(true);
    expect(v1.every(Boolean)).toBe(true);
    const a = byUid(core);
    const b = byUid(v1);
    expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
    for (const [uid, e] of a) {
      const { api: _a, ...rest } = e;
      const { api: _b, ...other } = b.get(uid)!;
      expect(other, uid).toEqual(rest);
      expect(e.api).toBe('core/v1');
      expect(b.get(uid)!.api).toBe('events.k8s.io/v1');
    }
  });

  it('kube-scheduler writes through events.k8s.io: no source, no count, times from eventTime and series', () => {
    const failed = core.filter((e) => e.reason === 'FailedScheduling');
    expect(failed.length).toBeGreaterThanOrEqual(5);
    for (const e of failed) {
      // reportingComponent is the core JSON key of ReportingController (control-plane-facts §4).
      expect(e.component).toBe('default-scheduler');
      expect(e).toMatchObject({ type: 'Warning', count: 1, object: { kind: 'Pod' } });
      expect(e.lastTimestamp).toBeGreaterThanOrEqual(e.firstTimestamp);
      expect(e.firstTimestamp).toBeGreaterThan(Date.parse('2020-01-01'));
    }
    // A retry that found the Node names why it does not fit.
    expect(failed.some((e) => /^0\/1 nodes are available: /.test(e.message))).toBe(true);
    const raw = (JSON.parse(fs.readFileSync(path.join(dir, 'core-v1-list.json'), 'utf8')) as { items: Array<Record<string, unknown>> }).items;
    const withSeries = raw.find((e) => e.reason === 'FailedScheduling' && e.series)!;
    const series = withSeries.series as { lastObservedTime: string };
    expect(core.find((e) => e.uid === (withSeries.metadata as { uid: string }).uid)!.lastTimestamp).toBe(Date.parse(series.lastObservedTime));
  });

  it('legacy recorders fill source and count: the controllers\' events', () => {
    expect(core.find((e) => e.reason === 'RegisteredNode')).toMatchObject({ component: 'node-controller', type: 'Normal', object: { kind: 'Node', name: 'node-a' } });
    expect(core.find((e) => e.reason === 'ScalingReplicaSet')).toMatchObject({ component: 'deployment-controller', object: { kind: 'Deployment', namespace: 'shop' } });
    expect(core.filter((e) => e.reason === 'SuccessfulCreate')).toHaveLength(3);
  });
});
