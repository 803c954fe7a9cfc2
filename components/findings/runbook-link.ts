import type { Finding } from '@/lib/query/timeline';

/** The runbook a finding opens, offered with the finding's detector so the run records where it came from. */
export function findingRunbookHref(clusterId: string, f: Pick<Finding, 'runbook' | 'detector'>): string | undefined {
  if (!f.runbook) return undefined;
  return `/clusters/${encodeURIComponent(clusterId)}/runbooks?${new URLSearchParams({ runbook: f.runbook, finding: f.detector })}`;
}
