import { afterEach, describe, expect, it, vi } from 'vitest';
import type { IncidentChange } from '@/lib/incidents/types';
import { Store } from '../store/store';
import { IncidentHub, sseResponse, type HubClient } from './hub';
import { IncidentStore } from './store';

function fakeClient(backlog = () => 0) {
  const frames: string[] = [];
  let closed = false;
  const c: HubClient = { write: (f) => { frames.push(f); }, backlog, close: () => { closed = true; } };
  return { c, frames, seqs: () => frames.filter((f) => f.startsWith('id:')).map((f) => Number(/^id: (\d+)/.exec(f)![1])), closed: () => closed };
}

function setup(o: { maxBacklog?: number; heartbeatMs?: number } = {}) {
  const store = Store.memory();
  let hub: IncidentHub | null = null;
  const s = new IncidentStore(store.db, (id, c) => hub?.publish(id, c));
  hub = new IncidentHub({ changesSince: (id, seq) => s.changesSince(id, seq), ...o });
  const inc = s.create({ title: 't', severity: 'sev2', clusters: ['c1'], from: 0, by: 'a', t: 1 });
  const note = (text: string) => s.addAnnotation({ incidentId: inc.id, cluster: 'c1', from: 5, to: null, kind: 'observation', text, author: 'a', createdAt: 2 });
  return { store, s, hub, inc, note };
}

afterEach(() => { vi.useRealTimers(); });

describe('incident hub', () => {
  it('fans one change out to 50 screens, once each, in order', () => {
    const { hub, inc, note, store } = setup();
    const clients = Array.from({ length: 50 }, () => fakeClient());
    for (const { c } of clients) hub.subscribe(inc.id, c, 1);
    expect(hub.subscribers(inc.id)).toBe(50);
    note('one'); note('two');
    for (const k of clients) expect(k.seqs()).toEqual([2, 3]);
    hub.close();
    store.close();
  });

  it('catches a screen up after a drop (Last-Event-ID), without duplicates', () => {
    const { hub, inc, note, store } = setup();
    const first = fakeClient();
    const off = hub.subscribe(inc.id, first.c, 0);
    note('a');
    off(); // the connection drops
    note('b'); note('c');
    expect(first.seqs()).toEqual([1, 2]);
    const again = fakeClient();
    hub.subscribe(inc.id, again.c, 2);
    note('d');
    expect(again.seqs()).toEqual([3, 4, 5]);
    expect(again.frames.find((f) => f.startsWith('id: 3'))).toContain('"text":"b"');
    hub.close();
    store.close();
  });

  it('drops a slow screen instead of buffering for it', () => {
    const { hub, inc, note, store } = setup({ maxBacklog: 3 });
    let queued = 0;
    const slow = fakeClient(() => queued);
    slow.c.write = (f) => { queued++; slow.frames.push(f); };
    const fast = fakeClient();
    hub.subscribe(inc.id, slow.c, 1);
    hub.subscribe(inc.id, fast.c, 1);
    for (let k = 0; k < 6; k++) note(`n${k}`);
    expect(slow.seqs()).toEqual([2, 3, 4]);
    expect(slow.closed()).toBe(true);
    expect(hub.dropped).toBe(1);
    expect(fast.seqs()).toEqual([2, 3, 4, 5, 6, 7]);
    expect(hub.subscribers(inc.id)).toBe(1);
    hub.close();
    store.close();
  });

  it('kick: runs the incident\'s poll once soon after stored data, coalescing kicks, and only while a screen is open', () => {
    vi.useFakeTimers();
    const store = Store.memory();
    const runs: string[] = [];
    const hub = new IncidentHub({ changesSince: () => [], poll: { everyMs: 60_000, run: (id) => runs.push(id) } });
    hub.kick('inc-1');
    vi.advanceTimersByTime(100);
    expect(runs).toEqual([]); // nobody watches: nothing to do
    const off = hub.subscribe('inc-1', fakeClient().c, 0);
    expect(hub.activeIncidents()).toEqual(['inc-1']);
    hub.kick('inc-1'); hub.kick('inc-1'); hub.kick('inc-1'); // apiserver and etcd rounds stored together
    expect(runs).toEqual([]); // never inside the recorder's turn
    vi.advanceTimersByTime(60);
    expect(runs).toEqual(['inc-1']);
    hub.kick('inc-1');
    off();
    vi.advanceTimersByTime(100);
    expect(runs).toEqual(['inc-1']); // the last screen closed before it ran
    hub.close();
    store.close();
  });

  it('sends heartbeat comments while idle', () => {
    vi.useFakeTimers();
    const { hub, inc, store } = setup({ heartbeatMs: 15_000 });
    const k = fakeClient();
    hub.subscribe(inc.id, k.c, 1);
    vi.advanceTimersByTime(31_000);
    expect(k.frames.filter((f) => f === ': heartbeat\n\n')).toHaveLength(2);
    hub.close();
    store.close();
  });

  it('serves text/event-stream with id = seq, and ends at once with `once`', async () => {
    const { hub, inc, note, store } = setup();
    note('x');
    const res = sseResponse(hub, inc.id, 0, new AbortController().signal, true);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const text = await res.text();
    expect(text.startsWith('retry: 1000\n\n')).toBe(true);
    const changes = text.split('\n\n').filter((b) => b.startsWith('id:')).map((b) => JSON.parse(b.split('\ndata: ')[1]!) as IncidentChange);
    expect(changes.map((c) => [c.seq, c.type])).toEqual([[1, 'incident'], [2, 'annotation']]);
    expect(hub.subscribers()).toBe(0);
    store.close();
  });
});
