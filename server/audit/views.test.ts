import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClusterEntry, Runtime } from '../runtime';
import { Store } from '../store/store';
import { ingestAuditFile } from './service';
import { AuditStore } from './store';
import { auditSummary } from './views';

const LOG = path.resolve(__dirname, '../../testdata/audit/v1.20.2/catchall-requestresponse.jsonl.gz');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kf-audit-views-'));
let store: Store;
let rt: Runtime;
let data: { from: number; to: number };
const bundleAt = (to: number): ClusterEntry => ({ id: 'c1', name: 'c1', kind: 'bundle', bundle: { path: 'x', from: to - 3_600_000, to, warnings: [] } });

beforeAll(async () => {
  store = Store.open(path.join(tmp, 'a'));
  store.upsertCluster({ id: 'c1', name: 'c1', kind: 'bundle', server: 'x' });
  await ingestAuditFile(store, 'c1', LOG, 'catchall.jsonl.gz');
  data = new AuditStore(store.db).range('c1')!;
  rt = { store } as unknown as Runtime;
});
afterAll(() => { store.close(); fs.rmSync(tmp, { recursive: true, force: true }); });

describe('audit summary ranges', () => {
  it('without a range: all the ingested data', () => {
    const all = auditSummary(rt, bundleAt(data.to), { by: 'events', top: 5 });
    expect(all.range).toEqual({ from: Math.floor(data.from / 60_000) * 60_000, to: data.to });
    expect(all.total.events).toBeGreaterThan(0);
  });

  it('relative expressions count from the cluster\'s "now" (a bundle: the end of its capture)', () => {
    const end = data.to + 10 * 60_000;
    const last = auditSummary(rt, bundleAt(end), { from: 'now-15m', to: 'now', by: 'events', top: 5 });
    expect(last.now).toBe(end);
    expect(last.range).toEqual({ from: Math.floor((end - 15 * 60_000) / 60_000) * 60_000, to: end });
    // Ten minutes after the data ends, the last five minutes hold nothing.
    expect(auditSummary(rt, bundleAt(end), { from: 'now-5m', to: 'now', by: 'events', top: 5 }).total.events).toBe(0);
  });

  it('epoch-ms and ISO bounds; unreadable or inverted ranges are a 400', () => {
    const r = auditSummary(rt, bundleAt(data.to), { from: String(data.from), to: new Date(data.to).toISOString(), by: 'events', top: 5 });
    expect(r.range!.to).toBe(Math.floor(data.to / 1000) * 1000);
    expect(() => auditSummary(rt, bundleAt(data.to), { from: 'yesterday', to: 'now', by: 'events', top: 5 })).toThrow(/cannot read the time "yesterday"/);
    expect(() => auditSummary(rt, bundleAt(data.to), { from: 'now', to: 'now-1h', by: 'events', top: 5 })).toThrow(/to must be after from/);
  });
});
