import 'server-only';
import { normalizeEvent, type NormalizedEvent } from '@/lib/parse/events';
import { runEventWatch } from '../cluster/event-watch';
import type { ClusterSource, RawEvent } from '../cluster/types';
import type { Store } from '../store/store';

export type EventApi = 'core/v1' | 'events.k8s.io/v1';

export interface EventRecorderOptions {
  /** Both APIs serve the same objects (same uid); watching both catches writers of either and costs one more watch. */
  apis: readonly EventApi[];
  /** Commit buffered events at least this often. */
  flushMs: number;
  /** Commit as soon as this many distinct events are buffered. */
  maxBatch: number;
  /**
   * Most distinct events held in memory when commits fail (a full disk): past it the oldest buffered
   * event is dropped and counted. Memory stays bounded whatever the storm.
   */
  maxBuffer: number;
  maxBackoffMs: number;
  log?: (m: string) => void;
  /** Called after each commit (tests). */
  onFlush?: (f: { events: number; at: number }) => void;
}

export const DEFAULT_EVENT_RECORDER_OPTIONS: EventRecorderOptions = {
  apis: ['core/v1', 'events.k8s.io/v1'],
  flushMs: 250,
  maxBatch: 500,
  maxBuffer: 20_000,
  maxBackoffMs: 60_000,
};

export interface EventRecorderStatus {
  running: boolean;
  /** Watch notifications and listed items received (both APIs; one event can arrive several times). */
  received: number;
  /** Distinct-event writes committed (a later version of the same uid counts again). */
  written: number;
  /** Notifications folded into a newer version of the same uid while buffered. */
  coalesced: number;
  /** Events dropped because the buffer was full while commits failed. */
  dropped: number;
  /** Items the parser refused (no uid). */
  invalid: number;
  lastFlushAt: number | null;
  lastError: string | null;
  resourceVersions: Partial<Record<EventApi, string>>;
}

export const rvKey = (api: EventApi) => `events-rv:${api}`;

/**
 * The events half of the flight recorder: list-then-watch of Events on both APIs, kept in the store
 * long after the apiserver's --event-ttl has expired them (control-plane-facts §4).
 *
 * - Separate from the metrics loop (its own watches and timer), and per notification the work is a
 *   parse and a Map write; the store sees one transaction per batch, so a storm of 50k events/hour
 *   costs ~14 small commits a second at worst, never a commit per event.
 * - Buffered events are keyed by uid: the two APIs' copies and an event's rapid count updates fold
 *   into the newest version before they reach SQLite.
 * - The resume resourceVersion of each API is committed in the same transaction as the events it
 *   covers, so a restart resumes the watch where the last commit ended (no relist), and a 410 Gone
 *   relists; the store's uid upsert makes the relist free of duplicates.
 */
export class EventRecorder {
  private readonly opts: EventRecorderOptions;
  private readonly abort = new AbortController();
  private readonly buffer = new Map<string, NormalizedEvent>();
  private readonly pendingRv: Partial<Record<EventApi, string>> = {};
  private timer: NodeJS.Timeout | null = null;
  private watches: Promise<void>[] = [];
  private running = false;
  /** Events were dropped: from then on no resume point is kept, so the next start relists what the apiserver still holds. */
  private lost = false;
  private failedAt = 0;
  private readonly stats: Omit<EventRecorderStatus, 'running' | 'resourceVersions'> = {
    received: 0, written: 0, coalesced: 0, dropped: 0, invalid: 0, lastFlushAt: null, lastError: null,
  };
  private readonly rvs: Partial<Record<EventApi, string>> = {};

  constructor(readonly source: ClusterSource, private readonly store: Store, opts: Partial<EventRecorderOptions> = {}) {
    this.opts = { ...DEFAULT_EVENT_RECORDER_OPTIONS, ...opts };
    const d = source.describe();
    store.upsertCluster({ id: d.id, name: d.name, kind: d.kind, server: d.server });
  }

  private log(m: string): void { this.opts.log?.(`[events ${this.source.id}] ${m}`); }

  start(): void {
    if (this.running) return;
    this.running = true;
    const cluster = this.source.id;
    for (const api of this.opts.apis) {
      const resume = this.store.getState(cluster, rvKey(api)) || undefined;
      if (resume) this.rvs[api] = resume;
      this.log(resume ? `${api}: resuming the watch at resourceVersion ${resume}` : `${api}: listing, then watching`);
      this.watches.push(runEventWatch(this.source, {
        api,
        signal: this.abort.signal,
        resourceVersion: resume,
        maxBackoffMs: this.opts.maxBackoffMs,
        onEvents: (items) => this.receive(items),
        onResourceVersion: (rv) => { this.pendingRv[api] = rv; },
        log: (m) => this.log(m),
      }).catch((e) => this.log(`${api}: watch loop ended: ${e instanceof Error ? e.message : String(e)}`)));
    }
    this.timer = setInterval(() => this.flush(), this.opts.flushMs);
    this.timer.unref?.();
  }

  /** Stops both watches and commits what is buffered. */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.abort.abort();
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await Promise.all(this.watches);
    this.watches = [];
    this.flush();
  }

  status(): EventRecorderStatus {
    return { running: this.running, ...this.stats, resourceVersions: { ...this.rvs } };
  }

  private receive(items: RawEvent[]): void {
    for (const raw of items) {
      this.stats.received++;
      const e = normalizeEvent(raw);
      if (!e) { this.stats.invalid++; continue; }
      const prev = this.buffer.get(e.uid);
      if (prev) {
        this.stats.coalesced++;
        // Keep the newest version: the later last-seen time, else the higher count (the upsert's rule).
        if (e.lastTimestamp < prev.lastTimestamp || (e.lastTimestamp === prev.lastTimestamp && e.count < prev.count)) continue;
        this.buffer.delete(e.uid);
      }
      this.buffer.set(e.uid, e);
      if (this.buffer.size >= this.opts.maxBatch) {
        // While the store refuses writes, retry on the timer only (not on every notification).
        if (Date.now() - this.failedAt > 1000) this.flush();
        if (this.buffer.size > this.opts.maxBuffer) this.dropOldest(this.buffer.size - this.opts.maxBuffer);
      }
    }
  }

  /** Map iteration order is insertion order: the first keys are the longest-buffered events. */
  private dropOldest(n: number): void {
    let left = n;
    for (const k of this.buffer.keys()) {
      if (left-- <= 0) break;
      this.buffer.delete(k);
      this.stats.dropped++;
    }
    this.lost = true;
    this.log(`store not writable: dropped ${n} buffered events (${this.stats.dropped} so far)`);
  }

  /** Commits the buffer and the resume points in one transaction. Returns the events committed. */
  flush(): number {
    const events = [...this.buffer.values()];
    const rvs = { ...this.pendingRv };
    if (!events.length && !Object.keys(rvs).length) return 0;
    const cluster = this.source.id;
    try {
      this.store.db.transaction(() => {
        if (events.length) this.store.events.put(cluster, events);
        for (const [api, rv] of Object.entries(rvs) as Array<[EventApi, string]>) {
          this.store.setState(cluster, rvKey(api), this.lost ? '' : rv);
        }
      })();
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      if (msg !== this.stats.lastError) this.log(`cannot store events: ${msg}`);
      this.stats.lastError = msg;
      this.failedAt = Date.now();
      return 0;
    }
    this.buffer.clear();
    for (const [api, rv] of Object.entries(rvs) as Array<[EventApi, string]>) {
      if (this.pendingRv[api] === rv) delete this.pendingRv[api];
      this.rvs[api] = rv;
    }
    this.stats.written += events.length;
    this.stats.lastError = null;
    if (events.length) {
      this.stats.lastFlushAt = Date.now();
      this.opts.onFlush?.({ events: events.length, at: this.stats.lastFlushAt });
    }
    return events.length;
  }
}
