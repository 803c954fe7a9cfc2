import 'server-only';
import { HttpError } from '../api/http-error';
import type { Census } from '../cluster/types';
import type { Store } from '../store/store';
import type { ClusterEntry } from '../runtime';

/** A census this recent (the recorder's, or another click's) is the answer: no new LIST round. */
export const CENSUS_FRESH_MS = 15_000;

/**
 * "Count now" from a runbook step: the same one-item LISTs the recorder makes (one per resource),
 * stored the same way. A census is dozens of LISTs, so a war room's clicks must not multiply them:
 * - single flight: clicks while one runs share its result;
 * - a census younger than 15 s is returned as is;
 * - while the recorder's breaker is open (the apiserver not answering its probe) nothing is sent:
 *   503, saying when the next probe is due, rather than more load on a struggling apiserver.
 */
export class CensusNow {
  private readonly inflight = new Map<string, Promise<number>>();

  constructor(private readonly store: Store, private readonly now: () => number = Date.now) {}

  take(entry: ClusterEntry): Promise<number> {
    if (!entry.source || entry.kind !== 'live') throw new HttpError(409, `${entry.name} is a read-only bundle: nothing to count`);
    const running = this.inflight.get(entry.id);
    if (running) return running;
    const latest = this.store.latestSnapshot<Census>(entry.id, 'census');
    if (latest && this.now() - latest.t < CENSUS_FRESH_MS) return Promise.resolve(latest.t);
    const breaker = entry.recorder?.status().backoff;
    if (breaker?.open) {
      const s = Math.max(1, Math.ceil((breaker.nextAttemptAt - this.now()) / 1000));
      throw new HttpError(503, `${entry.name}'s apiserver is not answering (${breaker.failures} failed probes in a row); no census is sent until it does (next probe in ${s} s)`);
    }
    const source = entry.source;
    const p = (async () => {
      const c = await source.census();
      this.store.saveCensus(entry.id, c.at, c);
      return c.at;
    })().finally(() => this.inflight.delete(entry.id));
    this.inflight.set(entry.id, p);
    return p;
  }
}

const perStore = new WeakMap<Store, CensusNow>();

/** The runtime's one CensusNow (per store: one per process, one per test runtime). */
export function censusNow(store: Store): CensusNow {
  let c = perStore.get(store);
  if (!c) { c = new CensusNow(store); perStore.set(store, c); }
  return c;
}
