// Records the "DeleteCollection goroutine leak" demo bundle (incident 5) from the real control plane:
// testdata/bundles/apiserver-goroutine-leak.tar.gz. A validating webhook fails closed on DELETE of
// configmaps; two cleanup workers call DeleteCollection in a tight retry loop, and each call leaks one
// goroutine blocked in `chan send` (kubernetes PR 105606, fixed in 1.23), pinning its LIST result.
//   node --import ./cli/register.mjs scripts/demo/record-leak.ts [--minutes 6]
import { adminRequest } from '../control-plane/cluster';
import { setUpLeak } from '../../test/scenarios/leak';
import { churn, recordDemo } from './common';

await recordDemo({
  name: 'apiserver-goroutine-leak', minutes: 6,
  title: 'kube-apiserver goroutine leak (DeleteCollection)',
  story: 'A fail-closed webhook makes every DeleteCollection fail; each call leaks a goroutine in chan send that pins a full LIST (kubernetes#105606): goroutines and memory climb until the OOM kill.',
  workload: async (cp, elapsed) => {
    const { namespace } = await setUpLeak(cp, { namespace: 'batch-cleanup', configmaps: 120 });
    const stopChurn = churn(cp, namespace);
    let stop = false;
    const cleanup = (async () => {
      while (!stop && elapsed() < 45_000) await new Promise((r) => setTimeout(r, 1000));
      // Two cleanup workers retrying their DeleteCollection every 400 ms, as a controller in a
      // tight retry loop does: ~4 leaked goroutines a second, each pinning its LIST of 120 configmaps.
      await Promise.all([0, 1].map(async () => {
        while (!stop) {
          await adminRequest(cp, 'DELETE', `/api/v1/namespaces/${namespace}/configmaps`, undefined, 30_000).catch(() => undefined);
          await new Promise((r) => setTimeout(r, 400));
        }
      }));
    })();
    return async () => { stop = true; await cleanup; await stopChurn(); };
  },
});
