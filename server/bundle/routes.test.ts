// Export and upload over the API routes, in-process (open loopback mode): a recorded bundle is
// exported as .tar.gz through GET …/export, uploaded again through POST /api/bundles/upload, and
// replays as a cluster of its own with the same range and the same findings. Garbage and declared
// oversize bodies are refused with the reason.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUNDLES } from '../../test/support/recorded-bundle';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kf-bundle-routes-'));
const SOURCE = 'bundle-apiserver-goroutine-leak';
let exportRoute: typeof import('@/app/api/clusters/[cluster]/export/route');
let uploadRoute: typeof import('@/app/api/bundles/upload/route');
let overviewRoute: typeof import('@/app/api/clusters/[cluster]/overview/route');
let stop: (() => Promise<void>) | undefined;
const ctx = (cluster: string) => ({ params: Promise.resolve({ cluster }) });

beforeAll(async () => {
  Object.assign(process.env, { KUBECONFIG: path.join(dir, 'none'), KF_DATA_DIR: path.join(dir, 'data'), KF_QUIET: '1', KF_BUNDLES: path.join(BUNDLES, 'apiserver-goroutine-leak.tar.gz') });
  delete process.env.KF_CONFIG;
  delete process.env.KF_AUTH;
  exportRoute = await import('@/app/api/clusters/[cluster]/export/route');
  uploadRoute = await import('@/app/api/bundles/upload/route');
  overviewRoute = await import('@/app/api/clusters/[cluster]/overview/route');
  const { getRuntime } = await import('../runtime');
  const rt = await getRuntime();
  await rt.ready;
  stop = () => rt.stop();
}, 120_000);
afterAll(async () => { await stop?.(); fs.rmSync(dir, { recursive: true, force: true }); });

const findings = async (cluster: string) => {
  const r = await overviewRoute.GET(new Request(`http://127.0.0.1/api/clusters/${cluster}/overview`), ctx(cluster));
  expect(r.status).toBe(200);
  return ((await r.json()) as { findings: Array<{ detector: string; severity: string }> }).findings.map((f) => `${f.severity} ${f.detector}`).sort();
};

describe('bundle export and upload routes', () => {
  it('export → upload replays the same cluster', async () => {
    const ex = await exportRoute.GET(new Request(`http://127.0.0.1/api/clusters/${SOURCE}/export?from=now-1h&to=now`), ctx(SOURCE));
    expect(ex.status).toBe(200);
    expect(ex.headers.get('content-disposition')).toMatch(/attachment; filename=".+\.tar\.gz"/);
    const bytes = new Uint8Array(await ex.arrayBuffer());
    expect(bytes[0]).toBe(0x1f);
    expect(bytes[1]).toBe(0x8b);
    const up = await uploadRoute.POST(new Request('http://127.0.0.1/api/bundles/upload?name=leak-again.tar.gz', { method: 'POST', body: bytes, headers: { 'content-type': 'application/gzip' } }));
    expect(up.status).toBe(200);
    const u = (await up.json()) as { id: string; from: number; to: number };
    expect(u.id).toBe('bundle-leak-again');
    const original = await findings(SOURCE);
    expect(original.length).toBeGreaterThan(0);
    expect(await findings(u.id)).toEqual(original);
    // The same name again: refused, the first one stays.
    const again = await uploadRoute.POST(new Request('http://127.0.0.1/api/bundles/upload?name=leak-again.tar.gz', { method: 'POST', body: bytes }));
    expect(again.status).toBe(409);
  }, 120_000);

  it('refuses garbage and declared oversize bodies with the reason', async () => {
    const bad = await uploadRoute.POST(new Request('http://127.0.0.1/api/bundles/upload?name=x.tar.gz', { method: 'POST', body: 'not a bundle' }));
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: string }).error).toMatch(/not a bundle/);
    const big = await uploadRoute.POST(new Request('http://127.0.0.1/api/bundles/upload?name=y.tar.gz', { method: 'POST', body: 'x', headers: { 'content-length': String(1 << 30) } }));
    expect(big.status).toBe(413);
  });
});
