import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { MASKED_MESSAGE } from '@/lib/events/redact';
import type { NormalizedEvent } from '@/lib/parse/events';
import { AuditStore } from '../audit/store';
import { ingestAuditFile } from '../audit/service';
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
    const { summary } = await writeExportDir(a, { cluster: 'a', name: 'leak', from, to }, dir);
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
    await writeExportDir(a, { cluster: 'a', name: 'leak', from: mid, to }, half);
    const c = Store.memory();
    await imported(half, c, 'c');
    const goroutines = c.series.query('c', 'go_goroutines', 0, Infinity)[0]!.points;
    expect(goroutines[0]!.t).toBeGreaterThanOrEqual(mid);
    expect(goroutines).toEqual(a.series.query('a', 'go_goroutines', mid, to)[0]!.points);
  });

  it('a cluster recorded from Prometheus (series, no raw scrape) names both components in the manifest', async () => {
    const s = Store.memory();
    const t = Date.parse('2026-12-03T10:00:00Z');
    s.upsertCluster({ id: 'p', name: 'p', kind: 'live', server: 'https://127.0.0.1:6443' });
    for (let i = 0; i < 3; i++) {
      s.series.append('p', t + i * 30_000, [
        { name: 'go_goroutines', labels: {}, value: 400 + i },
        { name: 'etcd_mvcc_db_total_size_in_bytes', labels: {}, value: 1e6 * (i + 1) },
      ]);
    }
    s.recordScrape({ cluster: 'p', component: 'kube-apiserver', t, ok: true, durationMs: 3 }); // the /readyz probe
    s.recordScrape({ cluster: 'p', component: 'prometheus', t, ok: true, durationMs: 9 });
    const { manifest, summary } = await writeExportDir(s, { cluster: 'p', name: 'from-prometheus', from: t - 60_000, to: t + 120_000 }, path.join(tmp, 'prom'));
    expect(summary).toMatchObject({ series: 2, points: 6, rawScrapes: 0 });
    expect(manifest.captured.metrics).toEqual(['kube-apiserver', 'etcd']);
  });
});

describe('export: the audit log', () => {
  const FIXTURE = path.join(__dirname, '../../testdata/audit/v1.20.2/catchall-requestresponse.jsonl.gz');
  /** MicroTime → µs, exactly (Date.parse drops the microseconds). */
  const us = (s: string) => { const m = /^(.*?)(?:\.(\d+))?Z$/.exec(s)!; return Date.parse(`${m[1]}Z`) * 1000 + Number((m[2] ?? '').padEnd(6, '0').slice(0, 6)); };
  const raw = zlib.gunzipSync(fs.readFileSync(FIXTURE)).toString('utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as {
    requestReceivedTimestamp: string; objectRef?: { resource?: string }; requestObject?: { data?: Record<string, string> }; responseObject?: { data?: Record<string, string>; items?: Array<{ data?: Record<string, string> }> };
  });

  it('carries the events received in range, Secret bodies redacted, and imports back to the same counts', async () => {
    const dataDir = path.join(tmp, 'audit-store');
    fs.mkdirSync(dataDir);
    const a = Store.open(dataDir);
    try {
      a.upsertCluster({ id: 'a', name: 'rr', kind: 'live', server: '' });
      const src = await ingestAuditFile(a, 'a', FIXTURE, 'audit.log.gz', 'upload');
      expect(src?.status).toBe('done');
      // A sub-range of the log (04:38:49.5 – 04:39:06.2): whole seconds, checked to the microsecond.
      const from = Date.parse('2026-11-23T04:38:55Z');
      const to = Date.parse('2026-11-23T04:39:01Z');
      const inRange = raw.filter((e) => us(e.requestReceivedTimestamp) >= from * 1000 && us(e.requestReceivedTimestamp) <= to * 1000);
      expect(inRange.length).toBeGreaterThan(100);
      expect(inRange.length).toBeLessThan(raw.length);

      const dir = path.join(tmp, 'audit-export');
      const { manifest, summary } = await writeExportDir(a, { cluster: 'a', name: 'rr', from, to }, dir);
      expect(manifest.captured.audit).toBe(true);
      expect(summary.auditEvents).toBe(inRange.length);
      const files = fs.readdirSync(path.join(dir, 'audit'));
      expect(files).toEqual([`${src!.id}-audit.jsonl`]);
      const text = fs.readFileSync(path.join(dir, 'audit', files[0]!), 'utf8');
      const lines = text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as { requestReceivedTimestamp: string; auditID: string; stage: string });
      expect(lines.map((e) => `${e.auditID} ${e.stage}`)).toEqual(inRange.map((e) => `${(e as unknown as { auditID: string }).auditID} ${(e as unknown as { stage: string }).stage}`));
      // Not one Secret value of the original log leaves in the export.
      const secretValues = raw.filter((e) => e.objectRef?.resource === 'secrets')
        .flatMap((e) => [e.requestObject?.data, e.responseObject?.data, ...(e.responseObject?.items ?? []).map((i) => i.data)])
        .flatMap((d) => Object.values(d ?? {})).filter((v) => v.length >= 8);
      expect(secretValues.length).toBeGreaterThan(0);
      for (const v of secretValues) expect(text.includes(v)).toBe(false);
      expect(fs.statSync(path.join(dir, 'audit', files[0]!)).mode & 0o777).toBe(0o600);

      // Imported again: the same requests.
      const b = Store.memory();
      await imported(dir, b, 'b');
      const back = new AuditStore(b.db).sources('b');
      expect(back.map((s) => [s.status, s.events])).toEqual([['done', inRange.length]]);
    } finally { a.close(); }
  });

  it('a range outside the log exports no audit file', async () => {
    const dataDir = path.join(tmp, 'audit-store-2');
    fs.mkdirSync(dataDir);
    const a = Store.open(dataDir);
    try {
      a.upsertCluster({ id: 'a', name: 'rr', kind: 'live', server: '' });
      await ingestAuditFile(a, 'a', FIXTURE, 'audit.log.gz', 'upload');
      const dir = path.join(tmp, 'audit-export-2');
      const from = Date.parse('2026-11-24T00:00:00Z');
      const { manifest, summary } = await writeExportDir(a, { cluster: 'a', name: 'rr', from, to: from + 3600_000 }, dir);
      expect(summary.auditEvents).toBe(0);
      expect(manifest.captured.audit).toBe(false);
      expect(fs.existsSync(path.join(dir, 'audit'))).toBe(false);
    } finally { a.close(); }
  });
});
