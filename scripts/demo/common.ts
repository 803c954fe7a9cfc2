// Shared by the demo-bundle recorders: a real control plane, a workload, and a bundle captured
// through the viewer identity exactly as `kube-forensics capture` records one.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { KubeConfig } from '@kubernetes/client-node';
import { adminRequest, startControlPlane, type ControlPlane, type ControlPlaneOptions } from '../control-plane/cluster';
import { LiveClusterSource } from '../../server/cluster/live';
import { captureBundle } from '../../server/capture/capture';

export const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');

export interface DemoSpec {
  /** File name under testdata/bundles/, without .tar.gz. */
  name: string;
  title: string;
  story: string;
  minutes: number;
  controlPlane?: Omit<ControlPlaneOptions, 'dir'>;
  /** Starts the scenario's workload once the capture runs; returns a function that stops it. */
  workload: (cp: ControlPlane, elapsed: () => number) => Promise<() => Promise<void>>;
}

/** Fails on an HTTP error other than 409 (already exists). */
export async function ok(p: Promise<{ status: number; body: string }>, what = 'request'): Promise<{ status: number; body: string }> {
  const r = await p;
  if (r.status >= 300 && r.status !== 409) throw new Error(`${what}: HTTP ${r.status} ${r.body.slice(0, 200)}`);
  return r;
}

/** The baseline's ordinary churn: a ConfigMap updated and pods listed every few seconds. */
export function churn(cp: ControlPlane, namespace: string): () => Promise<void> {
  let stop = false;
  const loop = (async () => {
    for (let i = 0; !stop; i++) {
      await adminRequest(cp, i === 0 ? 'POST' : 'PUT', i === 0 ? `/api/v1/namespaces/${namespace}/configmaps` : `/api/v1/namespaces/${namespace}/configmaps/feature-flags`,
        { metadata: { name: 'feature-flags', namespace }, data: { generation: String(i) } }).catch(() => undefined);
      await adminRequest(cp, 'GET', `/api/v1/namespaces/${namespace}/pods?limit=100`).catch(() => undefined);
      await new Promise((r) => setTimeout(r, 3000));
    }
  })();
  return async () => { stop = true; await loop; };
}

export async function recordDemo(spec: DemoSpec): Promise<void> {
  const { values } = parseArgs({ options: { minutes: { type: 'string', default: String(spec.minutes) }, out: { type: 'string' } } });
  const out = values.out ?? path.join(root, `testdata/bundles/${spec.name}.tar.gz`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kf-demo-'));
  const cp = await startControlPlane({ ...spec.controlPlane, dir });
  try {
    const kc = new KubeConfig();
    kc.loadFromFile(cp.viewerKubeconfig);
    const source = new LiveClusterSource({
      id: 'demo', name: `demo-${spec.name}`, kubeConfig: kc, context: kc.getCurrentContext(),
      etcd: { url: cp.etcdUrl, metricsUrl: cp.etcdMetricsUrl, caFile: cp.certs.caCert, certFile: cp.certs.etcdClientCert, keyFile: cp.certs.etcdClientKey },
    });
    fs.mkdirSync(path.dirname(out), { recursive: true });
    const started = Date.now();
    const capture = captureBundle(source, {
      out, durationMs: Number(values.minutes) * 60_000, intervalMs: 15_000, censusEveryMs: 60_000, profiles: true,
      title: spec.title, story: spec.story,
      sources: [`demo:${spec.name}`, `kube-apiserver v1.20.2 + etcd 3.4 (Debian), scripts/demo/record-${spec.name}.ts`],
      progress: (p) => process.stderr.write(`\r${Math.round(p.elapsedMs / 1000)} s, ${p.scrapes} scrapes, ${p.events} events, ${p.errors} errors `),
    });
    const stop = await spec.workload(cp, () => Date.now() - started);
    const r = await capture;
    await stop();
    await source.close();
    console.log(`\nwrote ${r.out} (${(r.bytes / 1e6).toFixed(2)} MB, ${r.files} files, ${r.errors.length} errors)`);
    for (const e of r.errors.slice(0, 10)) console.log(`  ${e}`);
  } finally {
    await cp.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
