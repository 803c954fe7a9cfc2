// Records the "etcd out of space" demo bundle (incident 2) from the real control plane:
// testdata/bundles/etcd-nospace.tar.gz. etcd runs with a 128 MiB --quota-backend-bytes; after a
// quiet first minute, a report generator floods Kyverno ephemeralreports (~60 KB each) until etcd
// raises NOSPACE, then keeps retrying its writes, as the real controller did.
//   node --import ./cli/register.mjs scripts/demo/record-nospace.ts [--minutes 7]
import { floodUntilNoSpace, installReportsCrd, keepRetrying, NOSPACE_QUOTA_BYTES } from '../../test/scenarios/nospace';
import { churn, recordDemo } from './common';

await recordDemo({
  name: 'etcd-nospace', minutes: 7,
  title: 'etcd out of space (NOSPACE)',
  story: 'A report generator floods Kyverno ephemeralreports until etcd hits its 128 MiB quota: "database space exceeded", every write fails and the cluster turns read-only.',
  controlPlane: { quotaBackendBytes: NOSPACE_QUOTA_BYTES },
  workload: async (cp, elapsed) => {
    await installReportsCrd(cp, 'policy-reports');
    const stopChurn = churn(cp, 'policy-reports');
    let stopRetrying: (() => void) | undefined;
    const flood = (async () => {
      while (elapsed() < 60_000) await new Promise((r) => setTimeout(r, 1000));
      // Paced so the recorder sees the growth over ten or so scrapes, as a real controller's would.
      const r = await floodUntilNoSpace(cp, 'policy-reports', { concurrency: 4, paceMs: 250 });
      process.stderr.write(`\nflood: ${r.created} reports, NOSPACE after ${(r.durationMs / 1000).toFixed(0)} s: ${r.lastError?.slice(0, 120)}\n`);
      stopRetrying = keepRetrying(cp, 'policy-reports');
    })();
    return async () => { await flood; stopRetrying?.(); await stopChurn(); };
  },
});
