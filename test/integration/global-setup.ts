// Starts one real control plane (etcd 3.4 + kube-apiserver/kube-controller-manager 1.20.2) for the
// integration suite and hands it to the specs via `inject`.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startControlPlane } from '../../scripts/control-plane/cluster';
import type { SharedControlPlane } from './env';

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kf-it-'));
  const cp = await startControlPlane({ dir, scheduler: false });
  const { stop: _stop, stopComponent: _sc, startComponent: _st, signal: _sig, etcdctl: _e, ...info } = cp;
  const shared: SharedControlPlane = { ...info, pids: { ...cp.pids } };
  project.provide('controlPlane', shared);
  return async () => {
    await cp.stop();
    if (!process.env.KF_KEEP_TEST_CLUSTER) fs.rmSync(dir, { recursive: true, force: true });
  };
}
