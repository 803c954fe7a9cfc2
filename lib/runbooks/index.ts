import { APISERVER_DOWN, APISERVER_LEAK, EVENT_STORM } from './apiserver';
import { ETCD_OUT_OF_SPACE, ETCD_SLOW_DISK } from './etcd';
import type { Runbook } from './types';

export const RUNBOOKS: readonly Runbook[] = [ETCD_OUT_OF_SPACE, ETCD_SLOW_DISK, APISERVER_DOWN, APISERVER_LEAK, EVENT_STORM];

export function runbookById(id: string): Runbook | undefined {
  return RUNBOOKS.find((r) => r.id === id);
}

export { evaluateCheck } from './checks';
export { renderCommand, withDerived } from './template';
export type * from './types';
