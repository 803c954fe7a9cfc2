import { describe, expect, it } from 'vitest';
import type { ClusterSource, RawEvent, WatchEnd, WatchEventType } from '../cluster/types';
import { Store } from '../store/store';
import { EventRecorder, rvKey } from './event-recorder';

type Api = 'core/v1' | 'events.k8s.io/v1';

function coreEvent(uid: string, o: { count?: number; last?: string; rv?: string; reason?: string } = {}): RawEvent {
  return {
    kind: 'Event', apiVersion: 'v1',
    metadata: { name: `p.${uid}`, namespace: 'ns', uid, resourceVersion: o.rv ?? '1', creationTimestamp: '2026-11-23T02:00:00Z' },
    involvedObject: { kind: 'Pod', namespace: 'ns', name: `pod-${uid}` },
    reason: o.reason ?? 'FailedScheduling', message: 'no nodes available to schedule pods', type: 'Warning',
    firstTimestamp: '2026-11-23T02:00:00Z', lastTimestamp: o.last ?? '2026-11-23T02:00:00Z', count: o.count ?? 1, source: { component: 'default-scheduler' },
  };
}

/** The same object as events.k8s.io/v1 serves it (control-plane-facts §4 conversion). */
function v1Event(uid: string, o: { count?: number; last?: string } = {}): RawEvent {
  return {
    apiVersion: 'events.k8s.io/v1', kind: 'Event',
    metadata: { name: `p.${uid}`, namespace: 'ns', uid, resourceVersion: '1', creationTimestamp: '2026-11-23T02:00:00Z' },
    regarding: { kind: 'Pod', namespace: 'ns', name: `pod-${uid}` }, reason: 'FailedScheduling', note: 'no nodes available to schedule pods', type: 'Warning',
    eventTime: '2026-11-23T02:00:00.000000Z', reportingController: 'default-scheduler', reportingInstance: 'x', action: 'Scheduling',
    ...(o.count ? { series: { count: o.count, lastObservedTime: o.last ?? '2026-11-23T02:00:00.000000Z' } } : {}),
  };
}

/** A scripted apiserver: lists from `items`, watches replay `script` then stay open until stopped. */
function fakeSource(o: { items: Record<Api, RawEvent[]>; listRv?: string; script?: Record<Api, Array<[WatchEventType, RawEvent]>>; goneAt?: string }) {
  const calls: string[] = [];
  const src = {
    id: 'fake', kind: 'live',
    describe: () => ({ id: 'fake', name: 'fake', kind: 'live', server: 'https://127.0.0.1:1', components: [], notes: [] }),
    listEvents: async (api: Api, page: { limit: number; continue?: string }) => {
      calls.push(`list ${api} limit=${page.limit}${page.continue ? ` continue=${page.continue}` : ''}`);
      const start = page.continue ? Number(page.continue) : 0;
      const items = o.items[api].slice(start, start + page.limit);
      const next = start + page.limit < o.items[api].length ? String(start + page.limit) : undefined;
      return { items, resourceVersion: o.listRv ?? '100', continue: next };
    },
    watchEvents: async (api: Api, rv: string, onEvent: (t: WatchEventType, e: RawEvent) => void, co?: { signal?: AbortSignal }) => {
      calls.push(`watch ${api} rv=${rv}`);
      let resolve!: (e: WatchEnd) => void;
      const done = new Promise<WatchEnd>((r) => { resolve = r; });
      const stop = () => resolve({ reason: 'stopped' });
      co?.signal?.addEventListener('abort', stop, { once: true });
      setTimeout(() => {
        if (o.goneAt === rv) { onEvent('ERROR', { kind: 'Status', code: 410, message: 'too old resource version' } as RawEvent); return; }
        for (const [t, e] of o.script?.[api] ?? []) onEvent(t, e);
      }, 0);
      return { stop, done };
    },
    close: async () => undefined,
  } as unknown as ClusterSource;
  return { src, calls };
}

const until = async (f: () => boolean, ms = 2000) => {
  const end = Date.now() + ms;
  while (!f()) { if (Date.now() > end) throw new Error('timed out'); await new Promise((r) => setTimeout(r, 5)); }
};

describe('EventRecorder', () => {
  it('lists with a limit on both APIs, then watches; the same uid from both APIs is one row with the latest count', async () => {
    const store = Store.memory();
    const many = Array.from({ length: 1200 }, (_, i) => coreEvent(`u${i}`));
    const f = fakeSource({
      items: { 'core/v1': many, 'events.k8s.io/v1': [v1Event('u0'), v1Event('u1')] },
      script: {
        'core/v1': [['MODIFIED', coreEvent('u0', { count: 3, last: '2026-11-23T02:03:00Z', rv: '101' })]],
        'events.k8s.io/v1': [['MODIFIED', v1Event('u1', { count: 7, last: '2026-11-23T02:05:00Z' })], ['BOOKMARK', { metadata: { resourceVersion: '105' } }]],
      },
    });
    const r = new EventRecorder(f.src, store, { flushMs: 20 });
    r.start();
    await until(() => r.status().resourceVersions['events.k8s.io/v1'] === '105' && r.status().resourceVersions['core/v1'] === '101');
    await r.stop();
    expect(f.calls.filter((c) => c.startsWith('list')).every((c) => / limit=500/.test(c))).toBe(true);
    expect(f.calls).toContain('list core/v1 limit=500 continue=1000');
    expect(f.calls).toContain('watch core/v1 rv=100');
    expect(store.events.count('fake')).toBe(1200);
    const got = store.events.query('fake', { from: 0, to: Date.parse('2027-01-01'), limit: 10, name: 'pod-u0' })[0]!;
    expect(got).toMatchObject({ count: 3, lastTimestamp: Date.parse('2026-11-23T02:03:00Z') });
    const u1 = store.events.query('fake', { from: 0, to: Date.parse('2027-01-01'), limit: 10, name: 'pod-u1' })[0]!;
    expect(u1).toMatchObject({ count: 7, lastTimestamp: Date.parse('2026-11-23T02:05:00Z') });
    // Resume points are in the store, committed with the events they cover.
    expect(store.getState('fake', rvKey('core/v1'))).toBe('101');
    expect(store.getState('fake', rvKey('events.k8s.io/v1'))).toBe('105');
    expect(r.status()).toMatchObject({ dropped: 0, invalid: 0 });
  });

  it('resumes from the stored resourceVersion without a list; relists on 410 Gone without duplicates', async () => {
    const store = Store.memory();
    store.upsertCluster({ id: 'fake', name: 'fake', kind: 'live', server: '' });
    store.events.put('fake', []);
    store.setState('fake', rvKey('core/v1'), '50');
    const f = fakeSource({ items: { 'core/v1': [coreEvent('a'), coreEvent('b')], 'events.k8s.io/v1': [] }, goneAt: '50', listRv: '77' });
    const r = new EventRecorder(f.src, store, { flushMs: 20, apis: ['core/v1'] });
    r.start();
    await until(() => store.getState('fake', rvKey('core/v1')) === '77');
    await r.stop();
    expect(f.calls.slice(0, 3)).toEqual(['watch core/v1 rv=50', 'list core/v1 limit=500', 'watch core/v1 rv=77']);
    expect(store.events.count('fake')).toBe(2);

    // A restart resumes at 77 (no list), and a replayed event stays one row.
    const g = fakeSource({ items: { 'core/v1': [], 'events.k8s.io/v1': [] }, script: { 'core/v1': [['MODIFIED', coreEvent('a', { count: 2, last: '2026-11-23T02:01:00Z', rv: '80' })]], 'events.k8s.io/v1': [] } });
    const r2 = new EventRecorder(g.src, store, { flushMs: 20, apis: ['core/v1'] });
    r2.start();
    await until(() => store.getState('fake', rvKey('core/v1')) === '80');
    await r2.stop();
    expect(g.calls).toEqual(['watch core/v1 rv=77']);
    expect(store.events.count('fake')).toBe(2);
  });

  it('batches: a storm of notifications for few events is coalesced in memory and committed in few transactions', async () => {
    const store = Store.memory();
    const script: Array<[WatchEventType, RawEvent]> = [];
    for (let i = 1; i <= 5000; i++) script.push(['MODIFIED', coreEvent(`e${i % 50}`, { count: i, last: new Date(Date.parse('2026-11-23T02:00:00Z') + i * 1000).toISOString(), rv: String(200 + i) })]);
    const f = fakeSource({ items: { 'core/v1': [], 'events.k8s.io/v1': [] }, script: { 'core/v1': script, 'events.k8s.io/v1': [] } });
    const flushes: number[] = [];
    const r = new EventRecorder(f.src, store, { flushMs: 50, apis: ['core/v1'], onFlush: (x) => flushes.push(x.events) });
    r.start();
    await until(() => r.status().resourceVersions['core/v1'] === '5200');
    await r.stop();
    expect(store.events.count('fake')).toBe(50);
    expect(flushes.length).toBeLessThanOrEqual(3);
    expect(r.status().coalesced).toBe(4950);
    const last = store.events.query('fake', { from: 0, to: Date.parse('2027-01-01'), limit: 100, name: 'pod-e0' })[0]!;
    expect(last.count).toBe(5000);
  });

  it('keeps memory bounded when the store refuses writes: drops the oldest buffered events and forgets the resume point', async () => {
    const store = Store.memory();
    const script: Array<[WatchEventType, RawEvent]> = Array.from({ length: 3000 }, (_, i) => ['ADDED', coreEvent(`x${i}`, { rv: String(300 + i) })]);
    const f = fakeSource({ items: { 'core/v1': [], 'events.k8s.io/v1': [] }, script: { 'core/v1': script, 'events.k8s.io/v1': [] } });
    const r = new EventRecorder(f.src, store, { flushMs: 10_000, maxBatch: 100, maxBuffer: 1000, apis: ['core/v1'] });
    const put = store.events.put.bind(store.events);
    let full = true;
    store.events.put = (c, e) => { if (full) throw new Error('database or disk is full'); put(c, e); };
    r.start();
    await until(() => r.status().received === 3000);
    expect(r.status().dropped).toBe(2000);
    expect(r.status().lastError).toBe('database or disk is full');
    full = false;
    await r.stop();
    expect(store.events.count('fake')).toBe(1000);
    // The newest 1000 survived; no resume point past lost events.
    expect(store.events.query('fake', { from: 0, to: Date.parse('2027-01-01'), limit: 1, name: 'pod-x2999' })).toHaveLength(1);
    expect(store.getState('fake', rvKey('core/v1'))).toBe('');
  });
});
