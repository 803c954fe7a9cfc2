// A slow disk under etcd (incident 1's first half): a cgroup-v1 blkio group that etcd joins when it
// starts, whose write-IOPS throttle (`blkio.throttle.write_iops_device`, facts §9) can be set and
// lifted. Needs root and a cgroup-v1 blkio hierarchy.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { adminRequest, type ControlPlane } from '../../scripts/control-plane/cluster';

export const BLKIO = '/sys/fs/cgroup/blkio';

/** MAJ:MIN of the block device holding `p` (the filesystem's device, or its parent disk). */
export function blockDevice(p: string): string | null {
  const dev = fs.statSync(p).dev;
  const mm = `${Math.floor(dev / 256) & 0xfff}:${dev % 256}`;
  if (fs.existsSync(`/sys/dev/block/${mm}`)) return mm;
  try {
    const src = execFileSync('findmnt', ['-no', 'SOURCE', '-T', p], { encoding: 'utf8' }).trim();
    const out = execFileSync('lsblk', ['-ndo', 'MAJ:MIN', src], { encoding: 'utf8' }).trim();
    return out || null;
  } catch { return null; }
}

/** Why the throttle cannot be used here, or null. */
export function slowDiskUnavailable(): string | null {
  if (!fs.existsSync(path.join(BLKIO, 'cgroup.procs'))) return 'no cgroup-v1 blkio hierarchy at /sys/fs/cgroup/blkio';
  try { fs.accessSync(BLKIO, fs.constants.W_OK); } catch { return 'cannot create blkio groups (needs root)'; }
  if (!blockDevice(os.tmpdir())) return `no block device found under ${os.tmpdir()}`;
  return null;
}

export interface SlowDisk {
  /** Pass as the control plane's `onEtcdStarted`: puts etcd into the group. */
  join: (pid: number) => void;
  /** Limits etcd's writes to `iops` per second on the device of `dataDir` (0 lifts the limit). */
  throttle: (iops: number) => void;
  /** Lifts the limit and removes the group. */
  remove: () => void;
}

export function slowDisk(dataDir: string, name = `kf-slow-disk-${process.pid}`): SlowDisk {
  const group = path.join(BLKIO, name);
  let device = '';
  const throttle = (iops: number) => {
    device ||= blockDevice(dataDir) ?? '';
    if (!device) throw new Error(`no block device under ${dataDir}`);
    fs.writeFileSync(path.join(group, 'blkio.throttle.write_iops_device'), `${device} ${iops}`);
  };
  return {
    join: (pid) => { fs.mkdirSync(group, { recursive: true }); fs.writeFileSync(path.join(group, 'cgroup.procs'), String(pid)); },
    throttle,
    remove: () => {
      try { throttle(0); } catch { /* no group */ }
      try { fs.rmdirSync(group); } catch { /* still has tasks, or none */ }
    },
  };
}

/** A steady write load: one configmap update every `everyMs`, as controllers renewing leases would. */
export function writeLoad(cp: ControlPlane, namespace = 'default', everyMs = 100): () => Promise<void> {
  let stop = false;
  const loop = (async () => {
    await adminRequest(cp, 'POST', `/api/v1/namespaces/${namespace}/configmaps`, { metadata: { name: 'load' }, data: { n: '0' } }).catch(() => undefined);
    for (let i = 0; !stop; i++) {
      await adminRequest(cp, 'PUT', `/api/v1/namespaces/${namespace}/configmaps/load`, { metadata: { name: 'load' }, data: { n: String(i) } }, 30_000).catch(() => undefined);
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return async () => { stop = true; await loop; };
}
