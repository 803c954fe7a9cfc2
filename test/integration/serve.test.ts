// `kube-forensics serve --bundle …` as a person runs it the morning after, with the cluster gone:
// the CLI builds if needed, starts the dashboard on the bundle alone, and its pages and API answer
// from the recording. The etcd-quorum recording: the findings are its own (three members, leader
// changes), and the timeline spans the capture.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { ensureBuilt, serveBundles, waitFor } from './helpers';

const root = path.resolve(import.meta.dirname, '../..');
const bundle = path.join(root, 'testdata/bundles/etcd-quorum.tar.gz');
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kf-serve-'));
let served: Awaited<ReturnType<typeof serveBundles>> | undefined;

beforeAll(async () => {
  ensureBuilt();
  served = await serveBundles([bundle], dataDir);
}, 300_000);

afterAll(async () => {
  await served?.stop();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

it('serves the bundle alone: listed, its findings and its timeline, from the recording', async () => {
  const url = served!.url;
  expect(served!.output()).toContain('(1 bundle(s))');
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
