/** The runbooks, as data, and lookups: nothing else (the client imports this for step titles). */
import { APISERVER_DOWN, APISERVER_LEAK, EVENT_STORM } from './apiserver';
import { CONTROL_PLANE_DISK_FULL } from './disk-full';
import { ETCD_OUT_OF_SPACE, ETCD_SLOW_DISK } from './etcd';
import type { Runbook } from './types';

export const RUNBOOKS: readonly Runbook[] = [ETCD_OUT_OF_SPACE, ETCD_SLOW_DISK, CONTROL_PLANE_DISK_FULL, APISERVER_DOWN, APISERVER_LEAK, EVENT_STORM];

export function runbookById(id: string): Runbook | undefined {
  return RUNBOOKS.find((r) => r.id === id);
}

/** A step's title without its placeholders ("Compact at the current revision"), for feeds and reports. */
export function stepTitleOf(runbook: string, step: string): string {
  const s = runbookById(runbook)?.steps.find((x) => x.id === step);
  // A parenthetical holding a placeholder goes whole ("… ({{batchSize}} a call)"), then bare ones.
  return (s?.title ?? step).replace(/\s*\([^()]*\{\{\w+\}\}[^()]*\)/g, '').replace(/\s*\{\{\w+\}\}/g, '').trim();
}
