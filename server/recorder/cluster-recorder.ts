import 'server-only';
import type { SampleRow } from '../store/series';
import type { Store } from '../store/store';
import { downNodes } from '@/lib/detectors/tolerations';
import type { NodeLifecycleSettings } from '@/lib/detectors/types';
import { isClusterError, type ClusterSource, type Component, type HealthReport, type LeaseSummary, type NodeSummary, type RawScrape, type VersionInfo } from '../cluster/types';
import { Backoff } from './backoff';
import type { MetricsMirror } from '../prometheus/mirror';
import { RECORDING_RULES } from '@/lib/recording/rules';
import { nextWindow } from '@/lib/prometheus/mirror';

/** Turns one scrape into the rows the product keeps (recording rules; see lib/recording). */
export type Ingest = (scrape: RawScrape, version: VersionInfo | null) => { rows: SampleRow[]; samplesParsed: number; warnings: number };

export interface RecorderOptions {
  intervalMs: number;
  /** Keep the whole raw scrape (gzipped) this often, for forensics. */
  rawEveryMs: number;
  /** Census (limit=1 lists): a slower cadence, it costs one LIST per resource. */
  censusEveryMs: number;
  /** Nodes, node Leases and the `kubernetes` Endpoints. */
  topologyEveryMs: number;
  versionEveryMs: number;
  maxBackoffMs: number;
  now?: () => number;
  log?: (msg: string) => void;
  /** Called after a scrape's rows are committed (tests use it to know what must survive a crash). */
  onCommit?: (c: { cluster: string; component: Component; t: number; rows: number }) => void;
  /** kube-controller-manager settings other than the defaults: when a silent node counts as down. */
  nodeLifecycle?: Partial<NodeLifecycleSettings>;
  /**
   * Read the mirrored components' series from here (Prometheus) instead of scraping their /metrics;
   * a component Prometheus has no recent samples of is scraped again until it has.
   */
  mirror?: MetricsMirror;
  /** How far back the mirror's first read reaches. */
  mirrorBackfillMs?: number;
  /** Steps per mirror request (a long backfill is read over several rounds). */
  mirrorMaxSteps?: number;
}

export const DEFAULT_RECORDER_OPTIONS: RecorderOptions = {
  intervalMs: 15_000,
  rawEveryMs: 10 * 60_000,
  censusEveryMs: 60_000,
  topologyEveryMs: 15_000,
  versionEveryMs: 10 * 60_000,
  maxBackoffMs: 5 * 60_000,
};

export interface RecorderStatus {
  cluster: string;
  running: boolean;
  lastTickAt: number | null;
  backoff: { open: boolean; failures: number; nextAttemptAt: number };
  upstreamRequests: number;
  /** With a mirror: requests to Prometheus, and the components read from it right now. */
  mirror?: { url: string; requests: number; components: Component[]; lastError: string | null };
}

/** The scrape-outcome rows of the mirror itself (the overview lists a failing one beside the apiserver). */
export const MIRROR_COMPONENT = 'prometheus';

/**
 * The flight recorder of one cluster: one loop, one upstream request per endpoint per interval,
 * whatever the number of viewers (views read the store, never the cluster). Ticks never overlap:
 * a slow tick delays the next one rather than stacking requests on a struggling apiserver.
 */
export class ClusterRecorder {
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private inflight: Promise<void> | null = null;
  /**
   * Reads that must not hold up the /metrics loop (etcd's own endpoint, readiness, topology,
   * census), one in flight per key: a read still running when its next turn comes is not
   * doubled, it is skipped. Aborted when the breaker opens.
   */
  private readonly jobs = new Map<string, Promise<void>>();
  private sideAbort = new AbortController();
  private version: VersionInfo | null = null;
  private lastTickAt: number | null = null;
  private last: Record<'raw' | 'census' | 'topology' | 'version', Partial<Record<string, number>>> = { raw: {}, census: {}, topology: {}, version: {} };
  private readonly backoff: Backoff;
  private readonly abort = new AbortController();
  private readonly opts: RecorderOptions;
  /** Count of upstream requests issued by this recorder (tests and the status API read it). */
  upstreamRequests = 0;
  /** Requests to the mirror (Prometheus); not the cluster's. */
  mirrorRequests = 0;
  /** Components whose series the mirror gives now (the others are scraped). */
  private readonly viaMirror = new Set<Component>();
  /** The last time written per mirrored component, from either source: the mirror writes only after it. */
  private readonly cursor = new Map<Component, number>();
  private mirrorError: string | null = null;
  /** Reads in a row that reached the present without a recent sample, by component. */
  private readonly missing = new Map<Component, number>();
  /** The last step the mirror has read (empty steps too: a backfill into a past Prometheus lacks moves on). */
  private mirrorThrough: number | null = null;

  constructor(readonly source: ClusterSource, private readonly store: Store, private readonly ingest: Ingest, opts: Partial<RecorderOptions> = {}) {
    this.opts = { ...DEFAULT_RECORDER_OPTIONS, ...opts };
    this.backoff = new Backoff(this.opts.intervalMs, this.opts.maxBackoffMs);
    const d = source.describe();
    store.upsertCluster({ id: d.id, name: d.name, kind: d.kind, server: d.server });
    // Resume: the last raw-scrape time survives restarts, so a restart does not re-save one at once.
    for (const c of d.components) this.last.raw[c] = store.lastRawScrapeTime(d.id, c) ?? undefined;
    const mirror = this.opts.mirror;
    if (mirror) {
      // Until its first answer says otherwise, the mirror is trusted; it resumes after what is stored.
      for (const c of mirror.components) {
        this.viaMirror.add(c);
        const t = store.series.latestTime(d.id, RECORDING_RULES.filter((r) => r.component === c).map((r) => r.record));
        if (t !== null) this.cursor.set(c, t);
      }
    }
  }

  private now(): number { return (this.opts.now ?? Date.now)(); }
  private log(m: string): void { this.opts.log?.(`[recorder ${this.source.id}] ${m}`); }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.running = false;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.abort.abort();
    this.sideAbort.abort();
    await this.inflight?.catch(() => undefined);
    await Promise.all(this.jobs.values());
  }

  status(): RecorderStatus {
    return {
      cluster: this.source.id, running: this.running, lastTickAt: this.lastTickAt, upstreamRequests: this.upstreamRequests,
      backoff: { open: this.backoff.isOpen, failures: this.backoff.consecutiveFailures, nextAttemptAt: this.backoff.nextAttemptAt },
      ...(this.opts.mirror ? { mirror: { url: this.opts.mirror.url, requests: this.mirrorRequests, components: [...this.viaMirror], lastError: this.mirrorError } } : {}),
    };
  }

  private schedule(delayMs: number): void {
    if (!this.running) return;
    this.timer = setTimeout(() => {
      const started = this.now();
      // The next tick waits for /metrics only, never for the side reads this one started.
      this.inflight = this.round().then(() => undefined, (e) => this.log(`tick failed: ${e instanceof Error ? e.message : String(e)}`));
      void this.inflight.then(() => {
        const next = this.backoff.isOpen
          ? Math.max(0, this.backoff.nextAttemptAt - this.now())
          : Math.max(0, started + this.opts.intervalMs - this.now());
        this.schedule(next);
      });
    }, delayMs);
    this.timer.unref?.();
  }

  /**
   * Whether a read made every `every` ms is due at this round. Rounds start `intervalMs` apart, but
   * each stamps its reads a little after its start, so with `every` equal to the interval the next
   * round can come a millisecond short and skip the read (a viewers test counted 10 topology reads
   * in a minute of 12 rounds): a tenth of the period (at most 1 s) of slack keeps them on the beat.
   */
  private due(kind: keyof ClusterRecorder['last'], key: string, every: number, now: number): boolean {
    const last = this.last[kind][key];
    return last === undefined || now - last >= every - Math.min(every / 10, 1000);
  }

  /** One round, and everything it started (tests use this; the scheduler does not wait for side reads). */
  async tick(): Promise<void> {
    await this.round();
    await Promise.all(this.jobs.values());
  }

  /**
   * Starts `fn` under `key` unless a read of that key is still in flight. `cluster`: a read of the
   * cluster, aborted when the breaker opens (the mirror's reads of Prometheus are not).
   */
  private launch(key: string, fn: (signal: AbortSignal) => Promise<void>, cluster = true): void {
    if (this.jobs.has(key)) { this.log(`${key}: the previous read is still running; skipped this round`); return; }
    // Aborted by stop() or by the breaker opening (plain listeners: AbortSignal.any holds its sources weakly).
    const ac = new AbortController();
    const sources = cluster ? [this.abort.signal, this.sideAbort.signal] : [this.abort.signal];
    const onAbort = () => ac.abort();
    for (const s of sources) { if (s.aborted) ac.abort(); else s.addEventListener('abort', onAbort, { once: true }); }
    const job = fn(ac.signal).catch((e) => this.log(`${key}: ${e instanceof Error ? e.message : String(e)}`)).finally(() => {
      for (const s of sources) s.removeEventListener('abort', onAbort);
      this.jobs.delete(key);
    });
    this.jobs.set(key, job);
  }

  /**
   * The apiserver's /metrics first (the probe, awaited), then the other components' /metrics,
   * readiness and the slower reads in the background. While the breaker is open, the probe is all
   * that goes out; when it opens, reads in flight are aborted.
   *
   * With a mirror, the series of the components it gives come from Prometheus (a read that does
   * not touch the cluster, so it goes on while the breaker is open), and the apiserver's probe is
   * its `/readyz` instead of its /metrics.
   */
  private async round(): Promise<void> {
    const now = this.now();
    this.lastTickAt = now;
    const signal = this.abort.signal;
    const probing = this.backoff.isOpen;
    if (this.opts.mirror) this.launch('prometheus', (s) => this.mirrorRead(s), false);
    const readyzProbe = this.viaMirror.has('kube-apiserver');
    const ok = readyzProbe ? await this.probe(signal) : await this.scrape('kube-apiserver', signal);
    if (ok) {
      if (probing) this.log('apiserver reachable again; closing the breaker');
      this.backoff.success();
    } else if (ok === false) {
      const delay = this.backoff.failure(this.now());
      this.log(`apiserver unreachable (${this.backoff.consecutiveFailures} in a row); next probe in ${Math.round(delay / 1000)} s`);
      this.sideAbort.abort();
      this.sideAbort = new AbortController();
      return;
    }
    if (probing && this.backoff.isOpen) return;
    for (const component of this.source.describe().components) {
      if (component !== 'kube-apiserver' && !this.viaMirror.has(component)) this.launch(`${component} /metrics`, async (s) => { await this.scrape(component, s); });
    }
    this.launch('side reads', (s) => this.sideReads(now, s, !readyzProbe));
  }

  /** Reads and keeps the apiserver's `/readyz` (verbose: each check). */
  private async readyz(signal: AbortSignal): Promise<HealthReport> {
    const h = await this.source.health('readyz', { signal });
    this.store.saveHealth(this.source.id, { endpoint: 'readyz', t: h.at, ok: h.ok, httpStatus: h.httpStatus, checks: h.checks });
    return h;
  }

  /**
   * The apiserver's `/readyz` as the probe, when its series come from Prometheus: it is what tells
   * the breaker and the page's freshness that the cluster answers (recorded under the apiserver,
   * as its scrape would be). Not ready is an answer; no answer is a failure.
   */
  private async probe(signal: AbortSignal): Promise<boolean | null> {
    const id = this.source.id;
    const t0 = this.now();
    try {
      this.upstreamRequests++;
      const h = await this.readyz(signal);
      this.store.recordScrape({ cluster: id, component: 'kube-apiserver', t: h.at, ok: true, durationMs: this.now() - t0, bytes: h.raw.length, samples: 0 });
      return true;
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      this.store.recordScrape({ cluster: id, component: 'kube-apiserver', t: t0, ok: false, durationMs: this.now() - t0, error: msg.slice(0, 500) });
      return isClusterError(e) && !e.transient ? null : false;
    }
  }

  /**
   * One read of the mirror: the steps after the last one written, committed per component as if
   * scraped at each step. A component with no sample in the last three steps, in two reads in a
   * row, is not in Prometheus
   * (a wrong label selector, a managed cluster's hidden etcd, Prometheus' own scrape failing): it is
   * scraped from the next round, and taken from the mirror again once Prometheus has recent samples
   * of it (steps after the recorder's own last scrape of it; none is written twice). Prometheus not
   * answering does the same for all of them. Raw scrapes are not kept for a mirrored component:
   * Prometheus has them.
   */
  private async mirrorRead(signal: AbortSignal): Promise<void> {
    const mirror = this.opts.mirror!;
    const id = this.source.id;
    const now = this.now();
    // After the last step read; at start, after the oldest stored step of the components that have
    // one (a restart resumes), else the backfill. A component never seen anywhere holds nothing back.
    const cursors = mirror.components.flatMap((c) => { const t = this.cursor.get(c); return t === undefined ? [] : [t]; });
    const after = this.mirrorThrough ?? (cursors.length ? Math.min(...cursors) : null);
    const w = nextWindow(after, now, { stepMs: mirror.stepMs, lagMs: mirror.lagMs, backfillMs: this.opts.mirrorBackfillMs ?? 60 * 60_000, maxSteps: this.opts.mirrorMaxSteps ?? 240 });
    if (!w) return;
    const t0 = this.now();
    let got;
    try {
      this.mirrorRequests++;
      got = await mirror.fetch(w.start, w.end, signal);
    } catch (e) {
      if (signal.aborted) return;
      const msg = `${e instanceof Error ? e.message : String(e)}`;
      this.store.recordScrape({ cluster: id, component: MIRROR_COMPONENT, t: t0, ok: false, durationMs: this.now() - t0, error: `${mirror.url}: ${msg}`.slice(0, 500) });
      if (this.mirrorError === null) this.log(`Prometheus (${mirror.url}) did not answer: ${msg}; scraping /metrics until it does`);
      this.mirrorError = msg;
      this.viaMirror.clear();
      return;
    }
    this.mirrorError = null;
    this.mirrorThrough = w.end;
    const lacking: Component[] = [];
    for (const c of mirror.components) {
      const written = this.cursor.get(c) ?? -Infinity;
      let rows = 0;
      let last: number | undefined;
      for (const [t, batch] of got.byComponent.get(c) ?? []) {
        if (t <= written) continue; // already written (by the recorder's own scrape, while it had to)
        this.store.series.append(id, t, batch);
        rows += batch.length;
        last = t;
      }
      if (last !== undefined) {
        this.cursor.set(c, last);
        this.opts.onCommit?.({ cluster: id, component: c, t: last, rows });
      }
      // Judged only by a read that reaches the last step due (not while a backfill is still
      // catching up through a past Prometheus may not cover).
      if (!w.present) continue;
      const newest = got.newest.get(c);
      const has = newest !== undefined && newest >= w.end - 2 * mirror.stepMs;
      if (has) {
        this.missing.delete(c);
        if (!this.viaMirror.has(c)) { this.log(`Prometheus has recent ${c} samples again; no longer scraping its /metrics`); this.viaMirror.add(c); }
        continue;
      }
      lacking.push(c);
      // Twice in a row (a Prometheus that has just started, or one late scrape, is not a loss).
      const n = (this.missing.get(c) ?? 0) + 1;
      this.missing.set(c, n);
      if (n >= 2 && this.viaMirror.has(c)) {
        this.log(`Prometheus has no recent ${c} samples (${mirror.url}); scraping its /metrics instead`);
        this.viaMirror.delete(c);
      }
    }
    const none = lacking.length === mirror.components.length;
    this.store.recordScrape({
      cluster: id, component: MIRROR_COMPONENT, t: t0, ok: !none, durationMs: this.now() - t0, samples: got.points,
      ...(none ? { error: `${mirror.url}: no recent samples of ${lacking.join(' or ')} (check the label selectors)` } : {}),
    });
  }

  /** Returns true on success, false on a transient failure (back off), null on a permanent one. */
  private async scrape(component: Component, signal: AbortSignal): Promise<boolean | null> {
    const id = this.source.id;
    const t0 = this.now();
    try {
      this.upstreamRequests++;
      const scrape = await this.source.metrics(component, { signal });
      const { rows, samplesParsed } = this.ingest(scrape, this.version);
      this.store.series.append(id, scrape.at, rows);
      if (this.opts.mirror?.components.includes(component)) this.cursor.set(component, Math.max(this.cursor.get(component) ?? 0, scrape.at));
      this.opts.onCommit?.({ cluster: id, component, t: scrape.at, rows: rows.length });
      this.store.recordScrape({ cluster: id, component, t: scrape.at, ok: true, durationMs: this.now() - t0, bytes: scrape.text.length, samples: samplesParsed });
      if (this.due('raw', component, this.opts.rawEveryMs, scrape.at)) {
        this.store.saveRawScrape(id, component, scrape.at, scrape.text);
        this.last.raw[component] = scrape.at;
      }
      return true;
    } catch (e) {
      const msg = e instanceof Error ? e.message : String(e);
      this.store.recordScrape({ cluster: id, component, t: t0, ok: false, durationMs: this.now() - t0, error: msg.slice(0, 500) });
      return isClusterError(e) && !e.transient ? null : false;
    }
  }

  private async sideReads(now: number, signal: AbortSignal, readyz = true): Promise<void> {
    const id = this.source.id;
    // The first timeout or refused connection ends the round: a struggling apiserver gets no more reads.
    let broken: string | null = null;
    const guard = async (what: string, fn: () => Promise<void>) => {
      if (broken || signal.aborted) return;
      try {
        this.upstreamRequests++;
        await fn();
      } catch (e) {
        this.log(`${what}: ${e instanceof Error ? e.message : String(e)}`);
        if (signal.aborted || (isClusterError(e) && e.transient)) broken = what;
      }
    };
    if (readyz) {
      await guard('readyz', async () => { await this.readyz(signal); });
    }
    if (this.due('version', 'v', this.opts.versionEveryMs, now)) {
      await guard('version', async () => {
        this.version = await this.source.version({ signal });
        this.store.saveSnapshot(id, 'version', now, this.version);
        this.last.version.v = now;
      });
    }
    if (this.due('topology', 't', this.opts.topologyEveryMs, now)) {
      this.last.topology.t = now;
      await guard('endpoints', async () => this.store.saveSnapshot(id, 'endpoints', now, await this.source.kubernetesEndpoints({ signal })));
      let nodes: NodeSummary[] | null = null;
      let leases: LeaseSummary[] | null = null;
      await guard('nodes', async () => { nodes = await this.source.nodes({ signal }); this.store.saveSnapshot(id, 'nodes', now, nodes); });
      await guard('leases', async () => { leases = await this.source.nodeLeases({ signal }); this.store.saveSnapshot(id, 'leases', now, leases); });
      // Nodes down (NotReady, tainted, or silent past the grace period): their pods' tolerations say
      // when each will be evicted. Read only then, so a healthy cluster is never asked for pods.
      const down = nodes && this.source.podTolerations ? downNodes(nodes, leases ?? [], now, this.opts.nodeLifecycle) : [];
      if (down.length) await guard('pods', async () => this.store.saveSnapshot(id, 'pods', now, await this.source.podTolerations!(down, { signal })));
    }
    if (this.due('census', 'c', this.opts.censusEveryMs, now)) {
      this.last.census.c = now;
      await guard('census', async () => {
        const c = await this.source.census({ signal });
        this.store.saveCensus(id, c.at, c);
      });
    }
  }
}

