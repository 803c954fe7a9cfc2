import 'server-only';
import { sleep } from '@/lib/util/sleep';
import { Backoff } from '../recorder/backoff';
import { isClusterError, type ClusterSource, type RawEvent, type WatchHandle } from './types';

export interface EventWatchOptions {
  api: 'core/v1' | 'events.k8s.io/v1';
  signal: AbortSignal;
  /** Receives listed and watched events in batches; consumers deduplicate by uid. */
  onEvents: (events: RawEvent[]) => void;
  /** Resume point from a previous run (kept in the store); a list is made when unset. */
  resourceVersion?: string;
  onResourceVersion?: (rv: string) => void;
  log?: (m: string) => void;
  maxBackoffMs?: number;
}

/**
 * List, then watch from the list's resourceVersion with bookmarks, for as long as `signal` allows
 * (the client-go reflector's contract, in small):
 * - a watch the server closes (its timeoutSeconds) resumes from the last resourceVersion seen, with no relist;
 * - `410 Gone` (the resourceVersion was compacted away) relists; the store's uid upsert keeps that free of duplicates;
 * - errors back off exponentially with jitter, one attempt per step.
 */
export async function runEventWatch(source: ClusterSource, o: EventWatchOptions): Promise<void> {
  let rv = o.resourceVersion;
  const backoff = new Backoff(1000, o.maxBackoffMs ?? 60_000);
  const setRv = (v: string) => { rv = v; o.onResourceVersion?.(v); };

  while (!o.signal.aborted) {
    try {
      if (!rv) {
        let cont: string | undefined;
        let listRv = '0';
        do {
          const page = await source.listEvents(o.api, { limit: 500, continue: cont }, { signal: o.signal });
          if (page.items.length) o.onEvents(page.items);
          cont = page.continue;
          listRv = page.resourceVersion;
        } while (cont && !o.signal.aborted);
        setRv(listRv);
      }
      let gone = false;
      // Declared before the call: a source may deliver (even a 410) before `watchEvents` returns.
      const early: { handle?: WatchHandle } = {};
      const handle = early.handle = await source.watchEvents(o.api, rv!, (type, obj) => {
        if (type === 'ADDED' || type === 'MODIFIED' || type === 'DELETED') {
          if (type !== 'DELETED') o.onEvents([obj]);
          // Each object's resourceVersion is a valid resume point once the consumer has it (bookmarks
          // only come about once a minute, and the watch's end after its timeoutSeconds).
          const v = (obj.metadata as { resourceVersion?: string } | undefined)?.resourceVersion;
          if (v) setRv(v);
        } else if (type === 'BOOKMARK') {
          const b = (obj.metadata as { resourceVersion?: string } | undefined)?.resourceVersion;
          if (b) setRv(b);
        } else if (type === 'ERROR' && (obj as { code?: number }).code === 410) {
          gone = true;
          early.handle?.stop();
        }
      }, { signal: o.signal });
      if (gone) handle.stop();
      const end = await handle.done;
      if (end.lastResourceVersion) setRv(end.lastResourceVersion);
      if (gone) { o.log?.('watch: resourceVersion too old (410 Gone); relisting'); rv = undefined; continue; }
      if (end.reason === 'error') throw new Error(end.error ?? 'watch failed');
      backoff.success();
    } catch (e) {
      if (o.signal.aborted) break;
      if (isClusterError(e) && e.kind === 'gone') { rv = undefined; continue; }
      const delay = backoff.failure(Date.now());
      o.log?.(`watch ${o.api}: ${e instanceof Error ? e.message : String(e)}; retrying in ${Math.round(delay / 1000)} s`);
      await sleep(delay, o.signal);
    }
  }
}
