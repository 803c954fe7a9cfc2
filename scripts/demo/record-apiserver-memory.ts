// Records the "apiserver memory keeps growing" demo bundle (incident 5's memory side) from the real
// control plane: testdata/bundles/apiserver-memory-growth.tar.gz. A CI pipeline upgrades a Helm
// release every few hundred milliseconds with history pruning off (`--history-max 0`): each upgrade
// stores a new release Secret (`sh.helm.release.v1.<name>.v<N>`, ~480 KiB of gzipped, base64
// manifest) and nothing deletes the old ones. The apiserver's watch cache keeps every object it
// serves, so its resident memory climbs steadily, by hundreds of MiB in minutes, while goroutines
// stay flat; a heap profile at the end shows Secret.Unmarshal holding it.
//   node --import ./cli/register.mjs scripts/demo/record-apiserver-memory.ts [--minutes 6]
import { randomBytes } from 'node:crypto';
import { adminRequest } from '../control-plane/cluster';
import { churn, ok, recordDemo } from './common';

const NS = 'ci-releases';
const RELEASE = 'storefront';

await recordDemo({
  name: 'apiserver-memory-growth', minutes: 6,
  title: 'kube-apiserver memory climbing (unpruned Helm release history)',
  story: 'A pipeline upgrades a Helm release several times a second with --history-max 0: every revision is a new ~480 KiB release Secret that nothing deletes. The watch cache keeps them all: the apiserver\'s resident memory climbs by hundreds of MiB in minutes, heading for an OOM kill.',
  workload: async (cp, elapsed) => {
    await ok(adminRequest(cp, 'POST', '/api/v1/namespaces', { metadata: { name: NS } }), 'namespace');
    const stopChurn = churn(cp, NS);
    let stop = false;
    let revision = 0;
    const pipeline = (async () => {
      while (!stop && elapsed() < 60_000) await new Promise((r) => setTimeout(r, 500));
      // Two runners; random bytes, as a gzipped release is: nothing compresses them on the way.
      await Promise.all([0, 1].map(async () => {
        while (!stop) {
          const v = ++revision;
          await adminRequest(cp, 'POST', `/api/v1/namespaces/${NS}/secrets`, {
            metadata: { name: `sh.helm.release.v1.${RELEASE}.v${v}`, labels: { name: RELEASE, owner: 'helm', status: 'superseded', version: String(v) } },
            type: 'helm.sh/release.v1',
            data: { release: Buffer.from(randomBytes(360 * 1024).toString('base64')).toString('base64') },
          }, 60_000).catch(() => undefined);
          await new Promise((r) => setTimeout(r, 400));
        }
      }));
    })();
    return async () => { stop = true; await pipeline; await stopChurn(); process.stderr.write(`\n${revision} release revisions stored\n`); };
  },
});
