// Which timeline panels a war room shows (lib/timeline/panels ids), six in all.
import { DETECTORS } from '../detectors/specs';
import type { LinkedFinding } from './types';

/** The charts a war room watches first: what users see, and the etcd figures behind it. */
export const WAR_ROOM_PANELS = ['apiserver-errors', 'apiserver-latency', 'apiserver-etcd-latency', 'etcd-db-size', 'etcd-wal-fsync', 'apiserver-inflight'];
const MAX_PANELS = 6;

/** The linked findings' own panels first (their evidence), then the usual ones. */
export function warRoomPanels(findings: ReadonlyArray<Pick<LinkedFinding, 'detector'>>): string[] {
  const own = findings.map((f) => DETECTORS.find((d) => d.id === f.detector)?.panel).filter((p): p is string => !!p);
  return [...new Set([...own, ...WAR_ROOM_PANELS])].slice(0, MAX_PANELS);
}
