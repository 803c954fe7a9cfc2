// `kube-forensics inspect metrics` end to end through run(), on the real captures in
// testdata/metrics and on hand-written files in a temp dir (labelled as such).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryIO } from '../io';
import { MAX_SCRAPE_FILE_BYTES, run, timeFromFileName } from './metrics';

const root = path.resolve(import.meta.dirname, '../../testdata/metrics');
const apiFiles = fs.existsSync(root) ? fs.readdirSync(path.join(root, 'kube-apiserver/v1.20.2')).filter((f) => f.endsWith('.prom')).map((f) => path.join(root, 'kube-apiserver/v1.20.2', f)) : [];
const etcdFiles = fs.existsSync(root) ? fs.readdirSync(path.join(root, 'etcd/v3.4')).filter((f) => f.endsWith('.prom')).map((f) => path.join(root, 'etcd/v3.4', f)) : [];
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kf-inspect-metrics-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

async function runJson(args: string[]) {
  const io = memoryIO();
  const code = await run([...args, '--json'], io);
  return { code, io, json: code === 0 ? JSON.parse(io.out) : undefined };
}

describe('timeFromFileName', () => {
  it('reads RFC3339 times, also with - or _ instead of :', () => {
    expect(timeFromFileName('/x/2026-11-23T01:53:25Z.prom')).toBe(Date.parse('2026-11-23T01:53:25Z'));
    expect(timeFromFileName('apiserver-2026-11-23T01-53-25Z.prom')).toBe(Date.parse('2026-11-23T01:53:25Z'));
    expect(timeFromFileName('2026-11-23T02:53:25.5+01:00.txt')).toBe(Date.parse('2026-11-23T01:53:25.5Z'));
    expect(timeFromFileName('metrics.txt')).toBeUndefined();
  });
});

describe.runIf(apiFiles.length >= 2 && etcdFiles.length >= 2)('on the real captures', () => {
  it('--json with apiserver and etcd scrapes, given in shuffled order', async () => {
    const { code, json } = await runJson([etcdFiles[2]!, apiFiles[3]!, etcdFiles[0]!, apiFiles[1]!, etcdFiles[3]!, apiFiles[0]!, etcdFiles[1]!, apiFiles[2]!]);
    expect(code).toBe(0);
    expect(json.component).toBe('mixed');
    expect(json.etcd).toMatchObject({ dbSizeBytes: 393216, dbSizeInUseBytes: 389120, quotaBytes: 2147483648 });
    // WAL fsync p99 over 01:53:25 → 01:54:10, worked out in lib/catalogue/scrape-summary.test.ts.
    expect(json.etcd.walFsyncP99.seconds).toBeCloseTo(0.00390667, 8);
    expect(json.objects[0]).toEqual({ resource: 'clusterroles.rbac.authorization.k8s.io', count: 61 });
    for (let i = 1; i < json.objects.length; i++) expect(json.objects[i - 1].count).toBeGreaterThanOrEqual(json.objects[i].count);
    expect(json.goroutines).toBe(1787);
    expect(json.residentMemoryBytes).toBeGreaterThan(100e6);
    // An idle cluster: nothing above info; the one info is the single etcd member (a standing risk).
    expect(json.findings.map((f: { id: string; severity: string }) => `${f.severity}:${f.id}`)).toEqual(['info:etcd-members']);
    // Files come back in time order, time taken from the file names.
    const times: string[] = json.files.map((f: { time: string }) => f.time);
    expect([...times].sort()).toEqual(times);
    expect(json.files.every((f: { timeSource: string; warningCount: number }) => f.timeSource === 'file name' && f.warningCount === 0)).toBe(true);
  });

  it('--json with apiserver scrapes only: DB size from the apiserver metric, quota unknown', async () => {
    const { code, json } = await runJson(apiFiles);
    expect(code).toBe(0);
    expect(json.component).toBe('kube-apiserver');
    expect(json.etcd).toMatchObject({ dbSizeBytes: 393216, dbSizeInUseBytes: null, quotaBytes: null, dbSizeSource: 'etcd_db_total_size_in_bytes' });
    // An idle apiserver: nothing to report, and a note that etcd's quota is unknown from here.
    expect(json.findings).toEqual([]);
    expect(json.notes).toEqual([expect.stringMatching(/^etcd quota unknown/)]);
  });

  it('prints a readable text report', async () => {
    const io = memoryIO();
    expect(await run([...apiFiles, ...etcdFiles], io)).toBe(0);
    expect(io.err).toBe('');
    expect(io.out).toContain('component: mixed (kubernetes v1.20.2, etcd 3.4.23)');
    expect(io.out).toMatch(/DB size\s+384\.0 KiB \(0\.0% of quota\)/);
    expect(io.out).toMatch(/WAL fsync p99\s+3\.91 ms \(14 fsyncs\)/);
    expect(io.out).toMatch(/clusterroles\.rbac\.authorization\.k8s\.io\s+61/);
    expect(io.out).toMatch(/findings\n {2}\[info\] A single etcd member: no quorum to lose, and no replica to recover from {2}\(etcd-members\)\n/);
    expect(io.out).not.toMatch(/notes/);
  });
});

describe('hand-written files', () => {
  const write = (name: string, text: string, mtimeSec?: number) => {
    const p = path.join(tmp, name);
    fs.writeFileSync(p, text);
    if (mtimeSec !== undefined) fs.utimesSync(p, mtimeSec, mtimeSec);
    return p;
  };
  const etcdText = (fsync: [number, number], extra = '') => [
    'etcd_server_version{server_version="3.5.9"} 1',
    '# TYPE etcd_disk_wal_fsync_duration_seconds histogram',
    `etcd_disk_wal_fsync_duration_seconds_bucket{le="0.064"} ${fsync[0]}`,
    `etcd_disk_wal_fsync_duration_seconds_bucket{le="+Inf"} ${fsync[1]}`,
    'etcd_server_has_leader 1',
    'etcd_mvcc_db_total_size_in_bytes 1.8e+09',
    'etcd_server_quota_backend_bytes 2.147483648e+09',
    extra,
  ].join('\n');

  it('orders by mtime without a time in the name, and reports warning + critical findings', async () => {
    // Named so that alphabetical order is the reverse of time order.
    const later = write('a.prom', etcdText([150, 150]), 2_000_000);
    const earlier = write('b.prom', etcdText([50, 50], 'bad line {\n'), 1_000_000);
    const { code, json } = await runJson([later, earlier]);
    expect(code).toBe(0);
    expect(json.files.map((f: { path: string }) => path.basename(f.path))).toEqual(['b.prom', 'a.prom']);
    expect(json.files[0]).toMatchObject({ timeSource: 'mtime', warningCount: 1 });
    // 100 fsyncs, all ≤ 64 ms: p99 = 0.064·99/100 = 0.06336 s → warning (> 10 ms). DB 1.8e9 / 2 GiB = 83.8 % → warning.
    expect(json.etcd.walFsyncP99.seconds).toBeCloseTo(0.06336, 12);
    expect(json.findings.map((f: { id: string; severity: string }) => `${f.severity}:${f.id}`)).toEqual(['warning:etcd-db-quota', 'warning:etcd-fsync-slow', 'info:etcd-members']);
  });

  it('findings across a restart: slow disk, no leader, DB near its quota', async () => {
    // +50 fsyncs in (64 ms, +Inf] between the first two files; then etcd restarted (counters from 0)
    // with 10 more slow ones, no leader, and the DB at 97.8% of its quota.
    const f1 = write('2026-01-01T00:00:00Z.prom', etcdText([100, 100]));
    const f2 = write('2026-01-01T00:00:15Z.prom', etcdText([100, 150]));
    const f3 = write('2026-01-01T00:00:30Z.prom', etcdText([0, 10]).replace('etcd_server_has_leader 1', 'etcd_server_has_leader 0').replace('1.8e+09', '2.1e+09'));
    const { code, json } = await runJson([f3, f1, f2]);
    expect(code).toBe(0);
    // The slow fsyncs all fall in the +Inf bucket, and histogram_quantile then answers the highest
    // finite bound, 64 ms: a warning (> 10 ms), not critical, however slow they really were.
    expect(json.findings.map((f: { id: string; severity: string }) => `${f.severity}:${f.id}`).sort())
      .toEqual(['critical:etcd-db-quota', 'critical:etcd-no-leader', 'info:etcd-members', 'warning:etcd-fsync-slow']);
  });

  it('refuses files over 256 MiB without reading them', async () => {
    const big = path.join(tmp, 'big.prom');
    fs.closeSync(fs.openSync(big, 'w'));
    fs.truncateSync(big, MAX_SCRAPE_FILE_BYTES + 1); // sparse: no disk used
    const io = memoryIO();
    expect(await run([big], io)).toBe(1);
    expect(io.err).toMatch(/refusing scrapes larger than 256 MiB/);
  });

  it('usage errors and missing files', async () => {
    let io = memoryIO();
    expect(await run([], io)).toBe(2);
    expect(io.err).toMatch(/missing FILE/);
    io = memoryIO();
    expect(await run(['--bogus', 'x'], io)).toBe(2);
    io = memoryIO();
    expect(await run(['--help'], io)).toBe(0);
    expect(io.out).toMatch(/usage: kube-forensics inspect metrics/);
    io = memoryIO();
    expect(await run([path.join(tmp, 'does-not-exist.prom')], io)).toBe(1);
    expect(io.err).toMatch(/does-not-exist\.prom/);
  });
});
