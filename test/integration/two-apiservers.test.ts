// The single-apiserver detector on a real control plane with two apiservers: a second
// kube-apiserver 1.20.2 on the same etcd, advertising another address, joins the `kubernetes`
// Endpoints (the lease endpoint reconciler), and the detector goes silent; stopped, its lease runs
// out, the Endpoints is back to one address and the detector names it again. Its own control plane:
// the Endpoints of the shared one must keep a single address for the other tests.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { detect } from '@/lib/detectors/evaluate';
import { LiveClusterSource } from '@/server/cluster/live';
import { alive, freePort, startControlPlane, type ControlPlane } from '../../scripts/control-plane/cluster';
import { waitFor } from './helpers';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kf-two-apiservers-'));
let cp: ControlPlane;
let source: LiveClusterSource;
let second: number | undefined;

beforeAll(async () => {
  cp = await startControlPlane({ dir, controllerManager: false });
  const kc = new KubeConfig();
  kc.loadFromFile(cp.viewerKubeconfig);
  source = new LiveClusterSource({ id: 'two', kubeConfig: kc, context: kc.getCurrentContext() });
}, 180_000);

afterAll(async () => {
  await source?.close();
  if (second && alive(second)) process.kill(second, 'SIGKILL');
  await cp?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const finding = async () => {
  const t = Date.now();
  const endpoints = { t, body: await source.kubernetesEndpoints() };
  return { endpoints: endpoints.body, f: detect({ load: () => [], at: t + 1, from: t - 60_000, endpoints }).find((x) => x.detector === 'apiserver-endpoints') };
};

it('one apiserver: named as a single point of failure; two: silent; back to one when the second stops', async () => {
  // The apiserver publishes itself in the Endpoints a moment after it reports ready (its endpoint
  // reconciler runs on its own loop): wait for it, or the first read can find none yet.
  const one = await waitFor('the first apiserver in the kubernetes Endpoints', async () => {
    const r = await finding().catch(() => null);
    return r && r.endpoints.addresses.length ? r : null;
  }, 60_000, 500);
  expect(one.endpoints.addresses).toEqual(['192.0.2.10']);
  expect(one.f).toMatchObject({ severity: 'info', summary: 'One apiserver endpoint (192.0.2.10): a single point of failure' });

  // The second apiserver: the first one's own command line, on another port and advertised address.
  const pid = cp.pids['kube-apiserver']!;
  const port = await freePort();
  const args = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean).slice(1).map((a) =>
    a.startsWith('--secure-port=') ? `--secure-port=${port}`
      : a.startsWith('--advertise-address=') ? '--advertise-address=192.0.2.11'
        : a.startsWith('--cert-dir=') ? `--cert-dir=${path.join(dir, 'apiserver-2-certs')}`
          : a.startsWith('--audit-log-path=') ? `--audit-log-path=${path.join(dir, 'audit', 'apiserver-2.log')}` : a);
  const log = fs.openSync(path.join(dir, 'logs', 'kube-apiserver-2.log'), 'a');
  const child = spawn(path.join(cp.binDir, 'kube-apiserver'), args, { detached: true, stdio: ['ignore', log, log] });
  fs.closeSync(log);
  child.unref();
  second = child.pid;

  const two = await waitFor('the second apiserver in the kubernetes Endpoints', async () => {
    const r = await finding();
    return r.endpoints.addresses.length === 2 ? r : null;
  }, 120_000, 1000);
  expect([...two.endpoints.addresses].sort()).toEqual(['192.0.2.10', '192.0.2.11']);
  expect(two.f).toBeUndefined();

  // Stopped: its lease (15 s) expires and the survivor removes it from the Endpoints.
  process.kill(second!, 'SIGTERM');
  const back = await waitFor('the Endpoints back to one address', async () => {
    const r = await finding();
    return r.endpoints.addresses.length === 1 ? r : null;
  }, 90_000, 1000);
  expect(back.f).toMatchObject({ severity: 'info', summary: 'One apiserver endpoint (192.0.2.10): a single point of failure' });
}, 300_000);
