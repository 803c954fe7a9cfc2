import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { AUDIT_DISK_SNAPSHOT, AUDIT_LOG_BYTES, type AuditDiskInput } from '@/lib/audit/disk';
import { Store } from '../store/store';
import { AuditFollower, analyzePolicyOn, ingestAuditFile, sampleAuditDisk } from './service';
import { AuditStore } from './store';

const dir = path.resolve(__dirname, '../../testdata/audit/v1.20.2');
const LOG = path.join(dir, 'catchall-requestresponse.jsonl.gz');
const lines = gunzipSync(fs.readFileSync(LOG)).toString('utf8').split('\n').filter(Boolean);
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kf-audit-server-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function cluster(store: Store, id: string) {
  store.upsertCluster({ id, name: id, kind: 'bundle', server: 'x' });
}

describe('audit ingestion into the store', () => {
  it('a gzip file: rollups, errors, the object index and the policy replay agree with the file', async () => {
    const store = Store.open(path.join(tmp, 'a'));
    cluster(store, 'c1');
    const src = (await ingestAuditFile(store, 'c1', LOG, 'catchall.jsonl.gz'))!;
    expect(src).toMatchObject({ status: 'done', events: lines.length, damaged: 0 });
    const a = new AuditStore(store.db);
    const range = a.range('c1')!;
    const ua = a.top('c1', 'userAgent', range.from, range.to, 'events', 5);
    expect(ua.total.events).toBe(lines.length);
    expect(ua.rows[0]!.key).toMatch(/^kube-apiserver\//);
    expect(a.top('c1', 'userAgent', range.from, range.to, 'bytes', 1).rows[0]!.key).toMatch(/^kubectl\//);
    const vol = a.volume('c1', range.from, range.to, 60_000);
    expect(vol.reduce((n, v) => n + v.events, 0)).toBe(lines.length);
    const errs = a.errors('c1', range.from, range.to, 100);
    expect(errs.list.find((e) => e.code === 500)).toMatchObject({ message: 'etcdserver: mvcc: database space exceeded', count: 3 });
    const t = a.touches('c1', { resource: 'secrets', name: 'db-credentials', namespace: 'audit-demo' }, 50);
    expect(t.rows.map((r) => r.verb)).toEqual(expect.arrayContaining(['create', 'get', 'patch', 'delete']));
    expect(JSON.stringify(t.rows)).not.toContain(Buffer.from('hunter2-do-not-print').toString('base64'));
    const p = await analyzePolicyOn(store, 'c1', fs.readFileSync(path.join(dir, 'catchall-policy.yaml'), 'utf8'));
    expect(p.risks[0]!.id).toBe('catch-all-request-response');
    expect(p.suggested.savingBytes).toBeGreaterThan(0);
    store.close();
  });

  it('follows a growing file across truncation and rotation', async () => {
    const store = Store.open(path.join(tmp, 'b'));
    cluster(store, 'c2');
    const file = path.join(tmp, 'audit.log');
    fs.writeFileSync(file, `${lines.slice(0, 100).join('\n')}\n${lines[100]!.slice(0, 50)}`);
    const logs: string[] = [];
    const f = new AuditFollower(store, 'c2', file, (m) => logs.push(m));
    await f.poll();
    const a = new AuditStore(store.db);
    expect(a.source(f.sourceId)).toMatchObject({ events: 100, status: 'following' });
    // The rest of the cut line arrives: it is completed, not damaged.
    fs.appendFileSync(file, `${lines[100]!.slice(50)}\n${lines.slice(101, 150).join('\n')}\n`);
    await f.poll();
    expect(a.source(f.sourceId)).toMatchObject({ events: 150, damaged: 0 });
    // Truncated (as `truncate -s 0` in the postmortem), then written again.
    fs.truncateSync(file, 0);
    fs.appendFileSync(file, `${lines.slice(150, 160).join('\n')}\n`);
    await f.poll();
    expect(a.source(f.sourceId)!.events).toBe(160);
    // Rotated: renamed away, a new file in its place.
    fs.renameSync(file, `${file}.1`);
    fs.writeFileSync(file, `${lines.slice(160, 170).join('\n')}\n`);
    await f.poll();
    expect(a.source(f.sourceId)!.events).toBe(170);
    expect(logs.join('\n')).toMatch(/truncated[\s\S]*rotated/);
    // A restart resumes at the saved offset.
    fs.appendFileSync(file, `${lines.slice(170, 175).join('\n')}\n`);
    const g = new AuditFollower(store, 'c2', file, () => undefined);
    expect(g.sourceId).toBe(f.sourceId);
    await g.poll();
    expect(a.source(f.sourceId)!.events).toBe(175);
    store.close();
  });
});

describe('rotation under load', () => {
  it('reads what was written to the log after the last poll and before lumberjack renamed it', async () => {
    const store = Store.open(path.join(tmp, 'rot'));
    cluster(store, 'c4');
    const logDir = fs.mkdtempSync(path.join(tmp, 'rot-'));
    const file = path.join(logDir, 'audit.log');
    fs.writeFileSync(file, `${lines.slice(0, 50).join('\n')}\n`);
    const f = new AuditFollower(store, 'c4', file, () => undefined);
    await f.poll();
    // 100 more events land, then the writer rotates (as at --audit-log-maxsize) before the next poll.
    fs.appendFileSync(file, `${lines.slice(50, 150).join('\n')}\n`);
    fs.renameSync(file, path.join(logDir, 'audit-2026-11-23T02-00-00.000.log'));
    fs.writeFileSync(file, `${lines.slice(150, 160).join('\n')}\n`);
    await f.poll();
    expect(new AuditStore(store.db).source(f.sourceId)!.events).toBe(160);
    store.close();
  });
});

describe('the audit log\'s disk', () => {
  it('samples the log, its lumberjack backups and the filesystem; says whether etcd shares it; never throws', () => {
    const store = Store.open(path.join(tmp, 'disk'));
    cluster(store, 'c3');
    const logDir = fs.mkdtempSync(path.join(tmp, 'log-'));
    const file = path.join(logDir, 'audit.log');
    fs.writeFileSync(file, 'x'.repeat(3000));
    fs.writeFileSync(path.join(logDir, 'audit-2026-11-23T02-00-00.000.log'), 'y'.repeat(5000));
    fs.writeFileSync(path.join(logDir, 'audit-policy.yaml'), 'z'.repeat(100));
    const etcdDir = fs.mkdtempSync(path.join(tmp, 'etcd-'));
    const logs: string[] = [];
    const f = new AuditFollower(store, 'c3', file, (m) => logs.push(m), { etcdDataDir: etcdDir, diskEveryMs: 1000 });
    const t = Date.now();
    f.sampleDisk(t);
    const snap = store.latestSnapshot<AuditDiskInput>('c3', AUDIT_DISK_SNAPSHOT)!;
    expect(snap.t).toBe(t);
    // Bytes on disk: allocated blocks (a truncated log can be sparse).
    const onDisk = (n: string) => fs.statSync(path.join(logDir, n)).blocks * 512;
    expect(onDisk('audit.log')).toBeGreaterThanOrEqual(3000);
    expect(snap.body.files).toEqual([{ name: 'audit-2026-11-23T02-00-00.000.log', bytes: onDisk('audit-2026-11-23T02-00-00.000.log') }, { name: 'audit.log', bytes: onDisk('audit.log') }]);
    expect(snap.body.logBytes).toBe(onDisk('audit.log') + onDisk('audit-2026-11-23T02-00-00.000.log'));
    // Truncated under a writer that keeps its offset: sparse, long but nearly empty on disk.
    const sparse = path.join(logDir, 'audit-2026-11-23T01-00-00.000.log');
    fs.writeFileSync(sparse, '');
    fs.truncateSync(sparse, 50 * 1024 ** 2);
    expect(sampleAuditDisk(file).files.find((x) => x.name === path.basename(sparse))!.bytes).toBeLessThan(1024 ** 2);
    fs.rmSync(sparse);
    expect(snap.body.sharesEtcdDisk).toBe(true); // both under os.tmpdir()
    const sfs = fs.statfsSync(logDir);
    expect(snap.body.fs.sizeBytes).toBe(sfs.blocks * sfs.bsize);
    expect(snap.body.fs.availBytes).toBeLessThanOrEqual(snap.body.fs.freeBytes);
    expect(store.series.latest('c3', AUDIT_LOG_BYTES)[0]).toMatchObject({ t, v: snap.body.logBytes });
    // Not again before its period; a directory gone is logged once, not thrown.
    f.sampleDisk(t + 500);
    expect(store.snapshots('c3', AUDIT_DISK_SNAPSHOT, 0, Number.MAX_SAFE_INTEGER)).toHaveLength(1);
    fs.rmSync(logDir, { recursive: true });
    f.sampleDisk(t + 2000);
    f.sampleDisk(t + 4000);
    expect(logs.filter((m) => m.includes('cannot sample its disk'))).toHaveLength(1);
    store.close();
  });
});

describe('audit files in a bundle', () => {
  it('are ingested by importBundle, with their damage reported as a warning', async () => {
    const { importBundle } = await import('../bundle/import');
    const store = Store.open(path.join(tmp, 'c'));
    const damaged = path.join(tmp, 'damaged.jsonl');
    fs.writeFileSync(damaged, `${lines.slice(0, 20).join('\n')}\n${lines[20]!.slice(0, 100)}${lines[21]}\n`);
    const files = [
      { rel: 'audit/audit.jsonl.gz', abs: LOG, t: null, size: fs.statSync(LOG).size },
      { rel: 'audit/damaged.jsonl', abs: damaged, t: null, size: fs.statSync(damaged).size },
    ];
    const bundle = { dir: tmp, manifest: { cluster: { name: 'b' }, timeRange: { from: '', to: '' } }, files, dispose: () => undefined } as unknown as Parameters<typeof importBundle>[1];
    const sum = await importBundle(store, bundle, 'b1');
    expect(sum.warnings).toEqual(['audit/damaged.jsonl: 1 damaged audit lines']);
    const srcs = new AuditStore(store.db).sources('b1');
    expect(srcs.map((s) => [s.kind, s.name, s.events])).toEqual([['bundle', 'audit/damaged.jsonl', 21], ['bundle', 'audit/audit.jsonl.gz', lines.length]]);
    store.close();
  });
});
