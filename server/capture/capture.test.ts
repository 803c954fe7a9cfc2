// `capture --duration` bounds the capture however slow the apiserver is: every call gets the
// smaller of its own timeout and the time left, and whatever was captured is packed.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import * as tar from 'tar';
import { afterAll, describe, expect, it } from 'vitest';
import { parseManifest } from '@/lib/bundle/manifest';
import { ClusterError, type ClusterSource, type Component } from '../cluster/types';
import { captureBundle, endReserveMs } from './capture';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kf-capture-test-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/**
 * A source whose apiserver never answers. Some calls honour the abort signal (as the live source
 * does), some ignore it (a call stuck where no signal reaches): both must be cut at the deadline.
 * etcd's own endpoint answers at once.
 */
function slowSource(apiserverUp: boolean) {
  const calls: string[] = [];
  const never = <T>(what: string, signal?: AbortSignal, honour = true): Promise<T> => {
    calls.push(what);
    return new Promise<T>((_, reject) => {
      if (honour) signal?.addEventListener('abort', () => reject(new ClusterError('slow', 'timeout', `${what} aborted`)), { once: true });
    });
  };
  const ok = <T>(what: string, v: T): Promise<T> => { calls.push(what); return Promise.resolve(v); };
  const src: ClusterSource = {
    id: 'slow', kind: 'live',
    describe: () => ({ id: 'slow', name: 'slow', kind: 'live', server: 'https://127.0.0.1:1', components: ['kube-apiserver', 'etcd'], notes: [] }),
    metrics: (c: Component, o) => (c === 'etcd' || apiserverUp
      ? ok(`metrics ${c}`, { component: c, at: Date.now(), text: `# ${c}\ngo_goroutines 42\n`, origin: '/metrics' })
      : never(`metrics ${c}`, o?.signal, false)),
    version: (o) => (apiserverUp ? ok('version', { gitVersion: 'v1.20.2', major: '1', minor: '20' }) : never('version', o?.signal)),
    health: (e, o) => (apiserverUp ? ok('readyz', { endpoint: e, at: Date.now(), ok: true, httpStatus: 200, checks: [], raw: 'ok' }) : never('readyz', o?.signal)),
    goroutines: (c, _d, o) => (apiserverUp || c === 'etcd' ? ok('goroutines', 'goroutine 1 [running]:\nmain.main()\n') : never(`goroutines ${c}`, o?.signal, false)),
    heapProfile: (c, o) => (apiserverUp || c === 'etcd' ? ok('heap', new Uint8Array([0x1f, 0x8b])) : never(`heap ${c}`, o?.signal, false)),
    listEvents: (_a, _p, o) => (apiserverUp ? ok('events', { items: [], resourceVersion: '1' }) : never('events', o?.signal)),
    watchEvents: (_a, _rv, _cb, o) => never('watch', o?.signal),
    census: (o) => (apiserverUp ? ok('census', { at: Date.now(), entries: [], durationMs: 1 }) : never('census', o?.signal, false)),
    kubernetesEndpoints: (o) => (apiserverUp ? ok('endpoints', { name: 'kubernetes', namespace: 'default', addresses: [], ports: [] }) : never('endpoints', o?.signal)),
    nodes: (o) => (apiserverUp ? ok('nodes', []) : never('nodes', o?.signal)),
    nodeLeases: (o) => (apiserverUp ? ok('leases', []) : never('leases', o?.signal)),
    close: async () => undefined,
  };
  return { src, calls };
}

async function unpack(file: string): Promise<{ dir: string; files: string[] }> {
  const dir = fs.mkdtempSync(path.join(tmp, 'x-'));
  await tar.x({ file, cwd: dir });
  return { dir, files: (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => fs.statSync(path.join(dir, f)).isFile()).sort() };
}

describe('captureBundle against a very slow apiserver', () => {
  it('ends at --duration, with every call cut at the deadline, and packs what it got', async () => {
    const { src, calls } = slowSource(false);
    const out = path.join(tmp, 'slow.tar.gz');
    const t0 = Date.now();
    const r = await captureBundle(src, { out, durationMs: 2_000, intervalMs: 250 });
    const took = Date.now() - t0;
    expect(took).toBeGreaterThanOrEqual(1_900);
    expect(took).toBeLessThan(2_000 + 700);
    // The hung calls were made once each, not retried in a storm.
    expect(calls.filter((c) => c === 'metrics kube-apiserver')).toHaveLength(1);
    expect(calls.filter((c) => c === 'readyz')).toHaveLength(1);
    expect(calls).not.toContain('nodes');
    // The hung version call took the start phase's whole window; the end phase got its reserve,
    // in which the hung dump was cut at the deadline and the heap profile after it never started.
    expect(r.errors.some((e) => /version: cut off at the capture deadline/.test(e))).toBe(true);
    expect(r.errors.some((e) => /goroutines \(start\): not started: the capture deadline was reached/.test(e))).toBe(true);
    expect(calls.filter((c) => c === 'goroutines kube-apiserver')).toHaveLength(1);
    expect(r.errors.some((e) => /heap \(end\): not started: the capture deadline was reached/.test(e))).toBe(true);
    expect(r.errors.some((e) => /kube-apiserver \/metrics: cut off at the capture deadline/.test(e))).toBe(true);
    expect(r.errors.some((e) => /goroutines \(end\): cut off at the capture deadline/.test(e))).toBe(true);

    expect(fs.statSync(out).mode & 0o077).toBe(0);
    const { dir, files } = await unpack(out);
    expect(files).toContain('manifest.json');
    expect(files).toContain('capture-errors.txt');
    // etcd's own loop kept its cadence beside the hung apiserver (files are named by the second).
    expect(files.filter((f) => f.startsWith('metrics/etcd/')).length).toBeGreaterThanOrEqual(2);
    expect(calls.filter((c) => c === 'metrics etcd').length).toBeGreaterThanOrEqual(5);
    expect(files.filter((f) => f.startsWith('metrics/kube-apiserver/'))).toEqual([]);
    // etcd's profiles, at the start and the end, were not held up by the apiserver's hung ones.
    expect(files.filter((f) => f.startsWith('pprof/etcd/') && f.endsWith('-heap.pb.gz')).length).toBeGreaterThanOrEqual(1);
    const m = parseManifest(JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')));
    expect(Date.parse(m.timeRange.to) - Date.parse(m.timeRange.from)).toBeLessThan(2_000 + 700);
  });

  it('on a healthy source, keeps the last tenth of the duration for the end profiles', async () => {
    expect(endReserveMs(20_000, true)).toBe(2_000);
    expect(endReserveMs(3_600_000, true)).toBe(30_000);
    expect(endReserveMs(20_000, false)).toBe(0);
    const { src } = slowSource(true);
    const out = path.join(tmp, 'healthy');
    const t0 = Date.now();
    let scrapes = 0;
    const r = await captureBundle(src, { out, durationMs: 1_500, intervalMs: 250, progress: (p) => { scrapes = p.scrapes; } });
    expect(Date.now() - t0).toBeLessThan(1_500 + 700);
    expect(r.errors).toEqual([]);
    const pprof = fs.readdirSync(path.join(out, 'pprof', 'kube-apiserver'));
    // Start and end: two goroutine dumps and two heap profiles per component.
    expect(pprof.filter((f) => f.endsWith('goroutine-debug2.txt'))).toHaveLength(2);
    expect(pprof.filter((f) => f.endsWith('heap.pb.gz'))).toHaveLength(2);
    // Both components, every 250 ms for the 1.35 s of sampling (files are named by the second, so count scrapes).
    expect(scrapes).toBeGreaterThanOrEqual(8);
  });
});

describe('audit logs in a captured bundle', () => {
  const LOG = path.resolve(__dirname, '../../testdata/audit/v1.20.2/catchall-requestresponse.jsonl.gz');
  const SECRET = Buffer.from('hunter2-do-not-print').toString('base64');

  it('are copied event by event with Secret bodies redacted; damaged lines are left out and said so', async () => {
    const plain = path.join(tmp, 'audit.log');
    const lines = gunzipSync(fs.readFileSync(LOG)).toString('utf8').split('\n').filter(Boolean);
    expect(lines.join('\n')).toContain(SECRET); // the real log holds the Secret in full
    // A line cut by a full disk, holding the start of a Secret's body: it cannot be redacted safely.
    const secretLine = lines.find((l) => l.includes(SECRET))!;
    fs.writeFileSync(plain, `${lines.join('\n')}\n${secretLine.slice(0, secretLine.indexOf(SECRET) + 12)}\n`);
    const { src } = slowSource(true);
    const out = path.join(tmp, 'audit-bundle');
    const r = await captureBundle(src, { out, durationMs: 1_000, intervalMs: 250, extraFiles: { 'audit/audit.jsonl': plain, 'audit/rotated.jsonl': LOG } });
    for (const f of ['audit.jsonl', 'rotated.jsonl']) {
      const text = fs.readFileSync(path.join(out, 'audit', f), 'utf8');
      expect(text).not.toContain(SECRET);
      expect(text.trim().split('\n')).toHaveLength(lines.length);
      expect(text).toContain('[redacted by kube-forensics]');
    }
    expect(r.errors.some((e) => /audit\/audit\.jsonl: 1 damaged line\(s\) of .* left out \(they cannot be redacted\)/.test(e))).toBe(true);
    expect(r.manifest.captured.audit).toBe(true);
    expect(r.manifest.redacted).toBe(true);
    expect(fs.statSync(path.join(out, 'audit', 'audit.jsonl')).mode & 0o077).toBe(0);
  });
});
