import { describe, expect, it } from 'vitest';
import { detect } from '@/lib/detectors/evaluate';
import type { NormalizedEvent } from '@/lib/parse/events';
import { Store } from '../store/store';
import { detectionInputs } from './detection-inputs';

describe('detection inputs: pods of down nodes', () => {
  it('uses the pods listed in the same round as the nodes snapshot (or later), not an older list', () => {
    const store = Store.memory();
    store.upsertCluster({ id: 'c', name: 'c', kind: 'live', server: '' });
    const t = 1_800_000_000_000;
    const pods = { nodes: ['n3'], pods: [{ namespace: 'app', name: 'web', node: 'n3', tolerationSeconds: 30 }], skipped: 0 };
    store.saveSnapshot('c', 'pods', t - 15_000, pods);
    store.saveSnapshot('c', 'nodes', t, [{ name: 'n3', ready: 'Unknown', taints: [] }]);
    expect(detectionInputs(store, 'c', t).pods).toBeUndefined();
    store.saveSnapshot('c', 'pods', t, pods);
    const inputs = detectionInputs(store, 'c', t + 1_000, { gracePeriodMs: 20_000 });
    expect(inputs).toMatchObject({ pods: pods.pods, podNodes: ['n3'], nodeLifecycle: { gracePeriodMs: 20_000 } });
    store.close();
  });
});

describe('detection inputs: event activity', () => {
  it('a crash loop folded into a few Events\' counts is a storm: occurrences, not rows', () => {
    const store = Store.memory();
    store.upsertCluster({ id: 'c', name: 'c', kind: 'live', server: '' });
    const t0 = 1_800_000_000_000;
    const ev = (uid: string, t: number, count: number): NormalizedEvent => ({
      uid, api: 'core/v1', namespace: 'payments', name: `${uid}.x`, resourceVersion: String(count),
      object: { kind: 'Pod', namespace: 'payments', name: `api-${uid}` }, reason: 'BackOff', type: 'Warning',
      message: 'Back-off restarting failed container', component: 'kubelet', host: '', firstTimestamp: t0, lastTimestamp: t, count,
    });
    // Three pods, each one Event whose count climbs by 200 every 10 s for five minutes (3,600/min in
    // all). Counted by rows, as before, that was 3 events in five minutes: no storm.
    for (let s = 0; s <= 300; s += 10) store.events.put('c', ['a', 'b', 'c'].map((u) => ev(u, t0 + s * 1000, 1 + s * 20)));
    const at = t0 + 300_000;
    expect(store.events.count('c')).toBe(3);
    const inputs = detectionInputs(store, 'c', at);
    const activity = inputs.events!.activity(at - 5 * 60_000, at);
    // Each Event's first sighting, then its 6,000 repeats.
    expect(activity.perMinute.reduce((a, p) => a + p.v, 0)).toBe(3 * (1 + 300 * 20));
    const f = detect({ load: () => [], at, from: at - 5 * 60_000, ...inputs }).find((x) => x.detector === 'event-storm');
    expect(f?.severity).toBe('critical');
    expect(f?.summary).toBe('Event storm: 3601 events/min, mostly BackOff on Pod');
    store.close();
  });
});
