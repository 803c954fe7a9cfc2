import type { RunRow } from '@/lib/query/runbooks';
import type { Finding } from '@/lib/query/timeline';

/**
 * The runbook a finding opens, offered with the finding's detector so the run records where it came
 * from. `timeline` is the timeline's query when the finding was opened there: a run started from
 * that page then opens beside those charts rather than on a page of its own.
 */
export function findingRunbookHref(clusterId: string, f: Pick<Finding, 'runbook' | 'detector'>, timeline?: string): string | undefined {
  if (!f.runbook) return undefined;
  return `/clusters/${encodeURIComponent(clusterId)}/runbooks?${new URLSearchParams({ runbook: f.runbook, finding: f.detector, ...(timeline ? { timeline } : {}) })}`;
}

/**
 * An open run of the finding's runbook, if there is one: the newest started from this finding's
 * detector, else the newest of the same runbook. Opening the runbook again resumes it rather than
 * starting a second run for the same trouble.
 */
export function openRunFor(runs: ReadonlyArray<Pick<RunRow, 'id' | 'runbook' | 'finding' | 'closedAt' | 'startedAt'>>, f: Pick<Finding, 'runbook' | 'detector'>): number | undefined {
  if (!f.runbook) return undefined;
  const open = runs.filter((r) => r.runbook === f.runbook && r.closedAt === null).sort((a, b) => b.startedAt - a.startedAt || b.id - a.id);
  return (open.find((r) => r.finding === f.detector) ?? open[0])?.id;
}
