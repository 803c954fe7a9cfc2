import { describe, expect, it } from 'vitest';
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
