// Records the "etcd leader trouble and lost quorum" demo bundle from the real control plane:
// testdata/bundles/etcd-quorum.tar.gz. Three etcd members on loopback; the recorder scrapes the
// first (kf0), and the apiserver is given all three. The members are frozen with SIGSTOP, as a
// stalled disk or a starved CPU freezes a real member:
//   - from 60 s, three times: kf0 is made leader (`etcdctl move-leader`), frozen twice for 0.7 s
//     (under the election timeout: it stays leader, but its heartbeats leave late, which etcd counts
//     in etcd_server_heartbeat_send_failures_total), then for 3 s (the others elect a new leader);
//   - from 180 s for 90 s, kf1 and kf2 are frozen: kf0 loses its quorum, steps down (CheckQuorum)
//     and has no leader; every write and every quorum read through the apiserver hangs or times out;
//   - then they resume, a leader is elected, and the last 90 s are healthy again.
//   node --import ./cli/register.mjs scripts/demo/record-etcd-quorum.ts [--minutes 6]
import { execFileSync } from 'node:child_process';
import { adminRequest, type ControlPlane } from '../control-plane/cluster';
import { churn, ok, recordDemo } from './common';

const MINUTES = 6;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const log = (s: string) => process.stderr.write(`\n${new Date().toISOString().slice(11, 19)} ${s}\n`);

function etcdctl(cp: ControlPlane, args: string[]): string {
  return execFileSync('etcdctl', [
    `--endpoints=${cp.etcdMemberList.map((m) => m.clientUrl).join(',')}`,
    `--cacert=${cp.certs.caCert}`, `--cert=${cp.certs.etcdClientCert}`, `--key=${cp.certs.etcdClientKey}`, '--command-timeout=10s', ...args,
  ], { env: { ...process.env, ETCDCTL_API: '3' }, encoding: 'utf8', timeout: 30_000 });
}

/** Member ids in hex (`member list` prints them exactly; JSON output would round the uint64s). */
function memberIds(cp: ControlPlane): Map<string, string> {
  const ids = new Map<string, string>();
  for (const line of etcdctl(cp, ['member', 'list']).trim().split('\n')) {
    const [id, , name] = line.split(',').map((s) => s.trim());
    if (id && name) ids.set(name, id);
  }
  return ids;
}

/** Makes kf0 the leader (a no-op when it is). */
function leadFrom0(cp: ControlPlane): void {
  const ids = memberIds(cp);
  const status = etcdctl(cp, ['endpoint', 'status']).trim().split('\n').map((l) => l.split(',').map((s) => s.trim()));
  const leaderRow = status.find((r) => r[4] === 'true');
  if (leaderRow?.[1] === ids.get('kf0')) return;
  etcdctl(cp, ['move-leader', ids.get('kf0')!]);
}

await recordDemo({
  name: 'etcd-quorum', minutes: MINUTES,
  title: 'etcd leader trouble, then lost quorum (3 members)',
  story: 'A three-member etcd whose members stall (frozen, as a saturated disk or a starved CPU freezes them): late heartbeats and repeated leader elections, then two members of three gone for 90 s: no leader, writes and quorum reads through the apiserver hang and fail, until they come back.',
  controlPlane: { etcdMembers: 3, controllerManager: false },
  workload: async (cp, elapsed) => {
    await ok(adminRequest(cp, 'POST', '/api/v1/namespaces', { metadata: { name: 'checkout' } }), 'namespace');
    const stopChurn = churn(cp, 'checkout');
    let stop = false;
    // An app writing its state a few times a second and reading its config back (quorum reads).
    const writer = (async () => {
      for (let i = 0; !stop; i++) {
        await adminRequest(cp, i === 0 ? 'POST' : 'PUT', i === 0 ? '/api/v1/namespaces/checkout/configmaps' : '/api/v1/namespaces/checkout/configmaps/cart-state',
          { metadata: { name: 'cart-state', namespace: 'checkout' }, data: { seq: String(i) } }, 60_000).catch(() => undefined);
        await adminRequest(cp, 'GET', '/api/v1/namespaces/checkout/configmaps?limit=50', undefined, 60_000).catch(() => undefined);
        await sleep(300);
      }
    })();
    const until = async (ms: number) => { while (!stop && elapsed() < ms) await sleep(250); };
    const freeze = async (c: 'etcd' | 'etcd-2' | 'etcd-3', ms: number) => {
      cp.signal(c, 'SIGSTOP');
      try { await sleep(ms); } finally { cp.signal(c, 'SIGCONT'); }
    };
    const phases = (async () => {
      for (let k = 0; k < 3 && !stop; k++) {
        await until(60_000 + k * 35_000);
        try { leadFrom0(cp); } catch (e) { log(`move-leader: ${(e as Error).message.split('\n')[0]}`); }
        await sleep(5_000);
        for (let j = 0; j < 2; j++) { await freeze('etcd', 700); await sleep(3_000); }
        await freeze('etcd', 3_000);
        log(`stall ${k + 1}: kf0 frozen 2 × 0.7 s and 3 s`);
      }
      await until(180_000);
      if (stop) return;
      log('kf1 and kf2 frozen: no quorum');
      cp.signal('etcd-2', 'SIGSTOP');
      cp.signal('etcd-3', 'SIGSTOP');
      await until(270_000);
      cp.signal('etcd-2', 'SIGCONT');
      cp.signal('etcd-3', 'SIGCONT');
      log('kf1 and kf2 resumed');
    })();
    return async () => {
      stop = true;
      await phases;
      for (const c of ['etcd', 'etcd-2', 'etcd-3'] as const) { try { cp.signal(c, 'SIGCONT'); } catch { /* gone */ } }
      await writer;
      await stopChurn();
    };
  },
});
