import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MASKED_MESSAGE } from '@/lib/events/redact';
import type { NormalizedEvent } from '@/lib/parse/events';
import { Store } from '../store/store';
import { writeExportDir } from './export';
import { importBundle } from './import';
import { openBundle } from './open';

const BUNDLES = path.join(__dirname, '../../testdata/bundles');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kf-export-test-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function imported(file: string, store: Store, id: string) {
  const b = await openBundle(file);
  try { await importBundle(store, b, id); return b.manifest; } finally { b.dispose(); }
}

function allSeries(store: Store, id: string, from: number, to: number): Map<string, Array<[number, number]>> {
  const out = new Map<string, Array<[number, number]>>();
  for (const { name } of store.series.names(id)) {
    for (const s of store.series.query(id, name, from, to)) out.set(`${name}${JSON.stringify(Object.entries(s.labels).sort())}`, s.points.map((p) => [p.t, p.v]));
  }
  return out;
}

describe('export → import round trip', () => {
  it('the leak bundle, exported from the store and imported again, gives the same series, events, profiles and census', async () => {
    const a = Store.memory();
    const m = await imported(path.join(BUNDLES, 'apiserver-goroutine-leak.tar.gz'), a, 'a');
    const from = Date.parse(m.timeRange.from) - 60_000;
    const to = Date.parse(m.timeRange.to) + 60_000;
    // A Secret's event, stored as the recorder would: its message must not leave in the export.
    const secret: NormalizedEvent = {
      uid: 'secret-1', api: 'core/v1', namespace: 'default', name: 's.1', resourceVersion: '1', object: { kind: 'Secret', namespace: 'default', name: 'db' },
      reason: 'FailedDecode', type: 'Warning', message: 'data: aHVudGVyMg==', component: 'x', host: '', firstTimestamp: from + 61_000, lastTimestamp: from + 61_000, count: 1,
    };
    a.events.put('a', [secret]);
    const dir = path.join(tmp, 'leak');
    const { summary } = writeExportDir(a, { cluster: 'a', name: 'leak', from, to }, dir);
    expect(summary.series).toBeGreaterThan(50);
    expect(summary.artifacts).toBeGreaterThan(0);
    expect(fs.readFileSync(path.join(dir, 'events.jsonl'), 'utf8')).not.toContain('aHVudGVyMg');

    const b = Store.memory();
    await imported(dir, b, 'b');
    const before = allSeries(a, 'a', from, to);
    const after = allSeries(b, 'b', from, to);
    expect(after.size).toBe(before.size);
    for (const [k, pts] of before) expect(after.get(k), k).toEqual(pts);
    expect(b.events.count('b')).toBe(a.events.count('a'));
    expect(b.events.query('b', { from, to, limit: 10, kind: 'Secret' })[0]?.message).toBe(MASKED_MESSAGE);
    const arts = (s: Store, id: string) => s.artifacts(id).map((x) => `${x.kind} ${x.component} ${x.t} ${x.size}`).sort();
    expect(arts(b, 'b')).toEqual(arts(a, 'a'));
    expect(b.snapshots('b', 'census', from, to).length).toBe(a.snapshots('a', 'census', from, to).length);
    // A sub-range keeps only its points.
    const mid = from + (to - from) / 2;
    const half = path.join(tmp, 'half');
    writeExportDir(a, { cluster: 'a', name: 'leak', from: mid, to }, half);
    const c = Store.memory();
    await imported(half, c, 'c');
    const goroutines = c.series.query('c', 'go_goroutines', 0, Infinity)[0]!.points;
    expect(goroutines[0]!.t).toBeGreaterThanOrEqual(mid);
    expect(goroutines).toEqual(a.series.query('a', 'go_goroutines', mid, to)[0]!.points);
  });
});
