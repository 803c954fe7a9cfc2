import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_AUTO_CAPTURE } from '@/lib/capture/auto-policy';
import type { ClusterSource } from '../cluster/types';
import type { ClusterEntry, Runtime } from '../runtime';
import { Store } from '../store/store';
import { captureMarkers } from '../views/timeline';
import { AutoCapture } from './auto-capture';
import { listCaptures, PprofCaptures } from './pprof-capture';

const root = path.resolve(import.meta.dirname, '../..');
const DUMP = fs.readFileSync(path.join(root, 'testdata/goroutines/kube-apiserver/v1.20.2/leak-debug2.txt'), 'utf8');
const HEAP = fs.readFileSync(path.join(root, 'testdata/pprof/kube-apiserver/v1.20.2/heap-leak.pb.gz'));

function setup() {
  const store = Store.memory();
  store.upsertCluster({ id: 'c', name: 'prod', kind: 'live', server: '' });
  const calls = { goroutines: 0, heap: 0 };
  const source = {
    describe: () => ({ id: 'c', name: 'prod', kind: 'live', server: '', components: ['kube-apiserver'], notes: [] }),
    goroutines: async () => { calls.goroutines++; return DUMP; },
    heapProfile: async () => { calls.heap++; return new Uint8Array(HEAP); },
  } as unknown as ClusterSource;
  const entry: ClusterEntry = { id: 'c', name: 'prod', kind: 'live', source };
  let clock = 0;
  const caps = new PprofCaptures(store, { now: () => clock });
  return { store, entry, caps, calls, at: (t: number) => { clock = t; } };
}

describe('automatic captures', () => {
  it('takes a dump and a heap profile when goroutines grow steadily, once per cooldown, and marks them on the timeline', async () => {
    const s = setup();
    const auto = new AutoCapture(s.store, s.caps, s.entry, DEFAULT_AUTO_CAPTURE);
    // 15 s scrapes: an idle apiserver for 10 minutes, then the leak adds 40 goroutines a minute.
    let t = 0;
    for (let i = 0; i <= 160; i++, t += 15_000) {
      const v = i < 40 ? 1690 + (i % 3) : 1690 + (i - 40) * 10;
      s.store.series.append('c', t, [{ name: 'go_goroutines', labels: {}, value: v }]);
      s.at(t);
      auto.onScrape('kube-apiserver', t);
      auto.onScrape('etcd', t); // etcd scrapes do not trigger apiserver captures
      await auto.whenIdle();
    }
    expect(s.calls).toEqual({ goroutines: 1, heap: 1 });
    const caps = listCaptures(s.store, 'c');
    expect(caps.map((c) => c.source)).toEqual(['threshold', 'threshold']);
    expect(caps[0]!.reason).toMatch(/^goroutines rose from 1,69\d to 2,\d{3} in \d+ min$/);
    // Fired after the rise passed 1,000 (i.e. 100+ scrapes into the leak), not before.
    expect(caps[0]!.t).toBeGreaterThanOrEqual((40 + 100) * 15_000);

    const markers = captureMarkers(s.store, s.entry, 0, t);
    expect(markers).toHaveLength(2);
    expect(markers.every((m) => m.kind === 'capture' && m.panels!.includes('apiserver-goroutines'))).toBe(true);
    const dump = markers.find((m) => m.label.includes('goroutine dump'))!;
    expect(dump.href).toBe(`/clusters/c/runtime?g=${caps.find((c) => c.kind === 'goroutine')!.id}`);
    expect(dump.label).toMatch(/kube-apiserver goroutine dump \([\d,]+ goroutines\), automatic: goroutines rose/);

    // The cooldown survives a restart of the dashboard (state in the store): no second capture.
    const again = new AutoCapture(s.store, s.caps, s.entry, DEFAULT_AUTO_CAPTURE);
    s.store.series.append('c', t, [{ name: 'go_goroutines', labels: {}, value: 3000 }]);
    again.onScrape('kube-apiserver', t);
    await again.whenIdle();
    expect(s.calls).toEqual({ goroutines: 1, heap: 1 });
  });

  it('captures on a schedule', async () => {
    const s = setup();
    const auto = new AutoCapture(s.store, s.caps, s.entry, { ...DEFAULT_AUTO_CAPTURE, everyMs: 10 * 60_000 });
    for (let t = 0; t <= 25 * 60_000; t += 60_000) {
      s.store.series.append('c', t, [{ name: 'go_goroutines', labels: {}, value: 1700 }]);
      s.at(t);
      auto.onScrape('kube-apiserver', t);
      await auto.whenIdle();
    }
    expect(s.calls).toEqual({ goroutines: 3, heap: 3 }); // at 0, 10 and 20 min
    expect(listCaptures(s.store, 'c').every((c) => c.source === 'schedule')).toBe(true);
  });
});

// Keeps the Runtime type import honest for future wiring tests.
export type { Runtime };
