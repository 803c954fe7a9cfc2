// `kube-forensics serve --bundle …` as a person runs it the morning after, with the cluster gone:
// the CLI builds if needed, starts the dashboard on the bundle alone, and its pages and API answer
// from the recording. The etcd-quorum recording: the findings are its own (three members, leader
// changes), and the timeline spans the capture.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ensureBuilt, freePort, waitFor } from './helpers';

const root = path.resolve(import.meta.dirname, '../..');
const bundle = path.join(root, 'testdata/bundles/etcd-quorum.tar.gz');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kf-serve-'));
let proc: ChildProcess | undefined;
let url = '';
let out = '';

beforeAll(async () => {
  ensureBuilt();
  const port = await freePort();
  url = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: '1', KF_QUIET: '1' };
  for (const k of ['KF_CONFIG', 'KF_AUTH', 'KF_BUNDLES', 'KUBECONFIG']) delete env[k];
  proc = spawn(process.execPath, [path.join(root, 'cli/bin.mjs'), 'serve', '--bundle', bundle, '--port', String(port), '--host', '127.0.0.1', '--no-kubeconfig', '--data-dir', dataDir],
    { cwd: os.tmpdir(), env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  proc.stdout!.on('data', (c: Buffer) => { out += c.toString(); });
  proc.stderr!.on('data', (c: Buffer) => { out += c.toString(); });
  const t0 = Date.now();
  // Fails at once when serve exits (a refused bind, a bad bundle); else waits, a rebuild included.
  const exited = new Promise<never>((_, reject) => proc!.on('exit', (code, sig) => reject(new Error(`serve exited (code ${code}, signal ${sig})`))));
  try {
    await Promise.race([exited, waitFor('the dashboard to answer', async () => (await fetch(`${url}/api/healthz`).catch(() => null))?.ok, 240_000, 500)]);
  } catch (e) {
    // What serve printed is the only evidence of why it did not come up: keep it in the failure.
    throw new Error(`${(e as Error).message} after ${Math.round((Date.now() - t0) / 1000)} s\n--- serve output ---\n${out.slice(-8000)}`);
  }
  exited.catch(() => { /* exits at afterAll */ });
}, 300_000);

afterAll(async () => {
  if (proc?.pid) {
    try { process.kill(-proc.pid, 'SIGTERM'); } catch { /* gone */ }
    await new Promise((r) => setTimeout(r, 1000));
    try { process.kill(-proc.pid, 'SIGKILL'); } catch { /* gone */ }
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
});

it('serves the bundle alone: listed, its findings and its timeline, from the recording', async () => {
  expect(out).toContain('(1 bundle(s))');
  const clusters = await waitFor('the bundle to be loaded', async () => {
    const l = (await (await fetch(`${url}/api/clusters`)).json()) as Array<{ id: string; kind: string; name: string; ok: boolean }>;
    return l.length ? l : null;
  }, 60_000, 500);
  expect(clusters).toEqual([expect.objectContaining({ id: 'bundle-etcd-quorum', kind: 'bundle', name: 'etcd leader trouble, then lost quorum (3 members)', ok: true })]);
  const ov = (await (await fetch(`${url}/api/clusters/bundle-etcd-quorum/overview`)).json()) as { findings: Array<{ detector: string; severity: string }> };
  const ids = ov.findings.map((f) => f.detector);
  expect(ids).toContain('etcd-leader-changes');
  expect(ids).toContain('etcd-heartbeat-failures');
  expect(ids).not.toContain('etcd-members'); // three members
  const tl = await fetch(`${url}/api/clusters/bundle-etcd-quorum/timeline?from=2026-12-02T17:12:00Z&to=2026-12-02T17:19:00Z&width=800`);
  expect(tl.status).toBe(200);
  const t = (await tl.json()) as { panels: Array<{ id: string; result: { series: Array<{ points: unknown[] }> } }> };
  const leader = t.panels.find((p) => p.id === 'etcd-leader')!;
  expect(leader.result.series.some((s) => s.points.length > 10)).toBe(true);
  const page = await fetch(`${url}/clusters/bundle-etcd-quorum/overview`);
  expect(page.status).toBe(200);
  expect(await page.text()).toContain('etcd leader trouble, then lost quorum');
}, 120_000);
