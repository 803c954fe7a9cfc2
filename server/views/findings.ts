import 'server-only';
import { detect } from '@/lib/detectors/evaluate';
import type { Finding } from '@/lib/detectors/types';
import type { ClusterEntry, Runtime } from '../runtime';
import { detectionInputs } from './detection-inputs';
import { clusterNow, storeLoader } from './timeline';

/** Current findings of a cluster: detectors over the last hour of its recording (bundles: the capture's last hour). */
export function currentFindings(rt: Runtime, entry: ClusterEntry, lookbackMs = 60 * 60_000): Finding[] {
  const at = clusterNow(entry);
  const from = at - lookbackMs;
  return detect({ load: storeLoader(rt.store, entry.id, from, at, 2 * rt.config.intervalMs + 60_000), at, from, ...detectionInputs(rt.store, entry.id, at, entry.nodeLifecycle) });
}
