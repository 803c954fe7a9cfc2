// Incident 1 end to end (facts §9, "S0 reproduced end to end"): etcd's data dir and the apiserver's
// audit log on one small loop-mounted ext4, a RequestResponse catch-all audit policy, and LIST
// traffic over large configmaps until the disk is full. etcd preallocates its WAL (64 MB segments),
// so it runs on after df shows 100 % and exits at the first backend commit that needs a new page:
// `mvcc/backend: cannot commit tx (write …/member/snap/db: no space left on device)`.
// Needs root (mount -o loop) and e2fsprogs.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { adminRequest, alive, type ControlPlane } from '../../scripts/control-plane/cluster';

export const CATCH_ALL_REQUEST_RESPONSE = `apiVersion: audit.k8s.io/v1
kind: Policy
rules:
  - level: RequestResponse
`;

/** Why a loop mount cannot be made here, or null. */
export function loopDiskUnavailable(): string | null {
  if (process.getuid?.() !== 0) return 'mount -o loop needs root';
  if (!fs.existsSync('/dev/loop-control')) return 'no loop devices (/dev/loop-control)';
  for (const tool of ['mkfs.ext4', 'mount', 'umount']) {
    try { execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' }); } catch { return `${tool} not installed`; }
  }
  return null;
}

export interface LoopDisk { mountPoint: string; image: string; remove: () => void }

/** A `sizeMiB` ext4 image under `dir`, loop-mounted at `dir/mnt` (fallocate, mkfs.ext4, mount -o loop). */
export function loopDisk(dir: string, sizeMiB: number): LoopDisk {
  const image = path.join(dir, 'disk.img');
  const mountPoint = path.join(dir, 'mnt');
  fs.mkdirSync(mountPoint, { recursive: true });
  execFileSync('fallocate', ['-l', `${sizeMiB}M`, image]);
  execFileSync('mkfs.ext4', ['-q', '-F', image]);
  execFileSync('mount', ['-o', 'loop', image, mountPoint]);
  return {
    image, mountPoint,
    remove: () => {
      for (let i = 0; i < 5; i++) {
        try { execFileSync('umount', [mountPoint], { stdio: 'ignore' }); break; } catch { execFileSync('sleep', ['1']); }
      }
      fs.rmSync(image, { force: true });
    },
  };
}

/** `count` configmaps of `kib` KiB each in `namespace`: every LIST of them is a large response body. */
export async function bulkConfigMaps(cp: ControlPlane, namespace: string, count = 50, kib = 20): Promise<void> {
  await adminRequest(cp, 'POST', '/api/v1/namespaces', { metadata: { name: namespace } });
  const blob = 'x'.repeat(kib * 1024);
  for (let i = 0; i < count; i += 10) {
    await Promise.all(Array.from({ length: Math.min(10, count - i) }, async (_, k) => {
      const r = await adminRequest(cp, 'POST', `/api/v1/namespaces/${namespace}/configmaps`, { metadata: { name: `bulk-${i + k}` }, data: { blob } });
      if (r.status !== 201 && r.status !== 409) throw new Error(`configmap bulk-${i + k}: HTTP ${r.status} ${r.body.slice(0, 200)}`);
    }));
  }
}

/** Alive and not a zombie (etcd is our child: it stays in the process table until reaped). */
export function running(pid: number): boolean {
  if (!alive(pid)) return false;
  try { return !/^\d+ \(.*\) Z/.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8')); } catch { return false; }
}

export interface FillResult { lists: number; writes: number; etcdExitedAt: number | null; durationMs: number }

/**
 * LIST traffic (each response body goes into the audit log) with a trickle of writes, as controllers
 * renewing leases would make, until etcd exits or the time is up.
 */
export async function fillUntilEtcdExits(cp: ControlPlane, namespace: string, o: { timeoutMs?: number; concurrency?: number } = {}): Promise<FillResult> {
  const started = Date.now();
  const etcdPid = cp.pids.etcd;
  if (!etcdPid) throw new Error('etcd is not running');
  let done = false;
  let lists = 0;
  let writes = 0;
  const deadline = started + (o.timeoutMs ?? 240_000);
  const over = () => done || Date.now() > deadline || !running(etcdPid);
  const listers = Array.from({ length: o.concurrency ?? 4 }, async () => {
    while (!over()) {
      try { await adminRequest(cp, 'GET', `/api/v1/namespaces/${namespace}/configmaps`, undefined, 10_000); lists++; } catch { await new Promise((r) => setTimeout(r, 200)); }
    }
  });
  const writer = (async () => {
    const blob = 'w'.repeat(20 * 1024);
    await adminRequest(cp, 'POST', `/api/v1/namespaces/${namespace}/configmaps`, { metadata: { name: 'lease-like' }, data: { blob, n: '0' } }).catch(() => undefined);
    for (let i = 1; !over(); i++) {
      await adminRequest(cp, 'PUT', `/api/v1/namespaces/${namespace}/configmaps/lease-like`, { metadata: { name: 'lease-like' }, data: { blob, n: String(i) } }, 10_000).then(() => { writes++; }, () => undefined);
      await new Promise((r) => setTimeout(r, 200));
    }
  })();
  let etcdExitedAt: number | null = null;
  while (!over()) await new Promise((r) => setTimeout(r, 250));
  if (!running(etcdPid)) etcdExitedAt = Date.now();
  done = true;
  await Promise.all([...listers, writer]);
  return { lists, writes, etcdExitedAt, durationMs: Date.now() - started };
}
