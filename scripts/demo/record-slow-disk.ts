// Records the "slow etcd disk" demo bundle (incident 1's first half) from the real control plane:
// testdata/bundles/etcd-slow-disk.tar.gz. etcd runs in a cgroup-v1 blkio group; under a steady
// write load (a configmap updated every 100 ms), its write IOPS are throttled to 20 after a healthy
// first 90 s, as an audit log filling the same disk would starve it, and released a minute before
// the end. WAL fsync p99 climbs from ~1 ms past 100 ms; apiserver writes slow down and time out.
//   node --import ./cli/register.mjs scripts/demo/record-slow-disk.ts [--minutes 6]   (root, cgroup v1)
import os from 'node:os';
import { slowDisk, slowDiskUnavailable, writeLoad } from '../../test/scenarios/slow-disk';
import { recordDemo } from './common';

const why = slowDiskUnavailable();
if (why) { console.error(`cannot record the slow-disk demo here: ${why}`); process.exit(2); }
const disk = slowDisk(os.tmpdir(), `kf-demo-slow-disk-${process.pid}`);
const MINUTES = 6;

try {
  await recordDemo({
    name: 'etcd-slow-disk', minutes: MINUTES,
    title: 'etcd on a slow disk (WAL fsync)',
    story: 'etcd\'s disk is starved (write IOPS throttled to 20, as a RequestResponse audit log filling the same disk does): WAL fsync p99 climbs past 100 ms, writes stall and the apiserver starts failing them.',
    controlPlane: { controllerManager: false, onEtcdStarted: disk.join },
    workload: async (cp, elapsed) => {
      const stopLoad = writeLoad(cp);
      let stop = false;
      const phases = (async () => {
        const until = async (ms: number) => { while (!stop && elapsed() < ms) await new Promise((r) => setTimeout(r, 500)); };
        await until(90_000);
        if (!stop) { disk.throttle(20); process.stderr.write('\nthrottled etcd to 20 write IOPS\n'); }
        await until((MINUTES - 1) * 60_000);
        disk.throttle(0);
        process.stderr.write('\nthrottle lifted\n');
      })();
      return async () => { stop = true; await phases; await stopLoad(); };
    },
  });
} finally {
  disk.remove();
}
