import 'server-only';
import fs from 'node:fs';
import path from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import type { NodeLifecycleSettings } from '@/lib/detectors/types';
import { ScrapeRecorder } from '@/lib/recording/evaluate';
import { openBundle } from './bundle/open';
import { importBundle } from './bundle/import';
import { LiveClusterSource } from './cluster/live';
import type { ClusterSource } from './cluster/types';
import { authConfig, startupRefusal } from './auth/config';
import { loadConfig, type PrometheusConfig, type ServerConfig } from './config';
import { AutoCapture } from './capture/auto-capture';
import { PprofCaptures } from './capture/pprof-capture';
import { ClusterRecorder, type Ingest } from './recorder/cluster-recorder';
import { PrometheusMirror } from './prometheus/mirror';
import { EventRecorder } from './recorder/event-recorder';
import { DEFAULT_RETENTION, Store } from './store/store';
import { AuditFollower } from './audit/service';

export interface ClusterEntry {
  id: string;
  name: string;
  kind: 'live' | 'bundle';
  source?: ClusterSource;
  recorder?: ClusterRecorder;
  /** The Events watch (list then watch, both APIs), beside the metrics loop; live clusters with recording on. */
  events?: EventRecorder;
  /** Live clusters whose history (timelines) comes from Prometheus (`prometheus:` in KF_CONFIG). */
  prometheus?: PrometheusConfig;
  /** kube-controller-manager settings other than the defaults (`nodeLifecycle:` in KF_CONFIG), for the node detectors. */
  nodeLifecycle?: Partial<NodeLifecycleSettings>;
  /** Bundles: the manifest's story and time range, for the start page. */
  bundle?: { path: string; story?: string; title?: string; from: number; to: number; warnings: string[] };
  error?: string;
}

export interface Runtime {
  config: ServerConfig;
  store: Store;
  clusters: Map<string, ClusterEntry>;
  ready: Promise<void>;
  /** pprof captures (on demand, uploads, automatic): one single-flight, rate-limited path. */
  captures: PprofCaptures;
  /**
   * Called after each recorded round is committed for a cluster (a scrape stored): what the live
   * war room listens to, so a new finding reaches open screens as soon as its data is stored.
   */
  onRecorded: Set<(cluster: string, t: number) => void>;
  stop(): Promise<void>;
}

/** One cluster's ingest: its own recording pipeline, since derived rules keep the previous scrape. */
export function createIngest(): Ingest {
  const recorder = new ScrapeRecorder();
  return (scrape) => {
    const { rows, parsed } = recorder.record(scrape.component, scrape.at, scrape.text);
    return { rows, samplesParsed: parsed.sampleCount, warnings: parsed.warningCount };
  };
}

export function slug(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'cluster';
}

function liveSources(cfg: ServerConfig, log: (m: string) => void): ClusterSource[] {
  const out: ClusterSource[] = [];
  const kc = new KubeConfig();
  if (cfg.kubeconfigPaths.length > 0) {
    for (const p of cfg.kubeconfigPaths) {
      try {
        const one = new KubeConfig();
        one.loadFromFile(p);
        kc.mergeConfig(one);
      } catch (e) { log(`kubeconfig ${p}: ${e instanceof Error ? e.message : String(e)}`); }
    }
  } else if (process.env.KUBERNETES_SERVICE_HOST) {
    kc.loadFromCluster();
  }
  for (const ctx of kc.getContexts()) {
    if (cfg.contexts.length && !cfg.contexts.includes(ctx.name)) continue;
    const o = cfg.clusterOverrides.get(ctx.name);
    out.push(new LiveClusterSource({ id: `ctx-${slug(ctx.name)}`, name: o?.name ?? ctx.name, kubeConfig: kc, context: ctx.name, etcd: o?.etcd }));
  }
  return out;
}

/** Where uploaded bundles are kept, so they are listed again after a restart. */
export function uploadedBundlesDir(config: ServerConfig): string {
  return path.join(config.dataDir, 'bundles');
}

/** The bundles uploaded earlier (kept in the data directory), as file paths. */
export function uploadedBundleFiles(config: ServerConfig): string[] {
  const dir = uploadedBundlesDir(config);
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith('.tar.gz')).map((f) => path.join(dir, f)) : [];
}

export function bundleId(p: string): string {
  return `bundle-${slug(path.basename(p).replace(/\.tar\.gz$|\.tgz$/, ''))}`;
}

/**
 * Opens a bundle (bounded extraction), imports it once per content into the store, and lists it.
 * Errors are listed too (the start page says why a bundle could not be opened), and returned.
 */
export async function loadBundle(store: Store, clusters: Map<string, ClusterEntry>, p: string, log: (m: string) => void): Promise<ClusterEntry> {
  const id = bundleId(p);
  try {
    const b = await openBundle(p);
    try {
      // Import once per bundle content: the marker holds the manifest's time range.
      const marker = `${b.manifest.timeRange.from}/${b.manifest.timeRange.to}/${b.files.length}`;
      let warnings: string[] = [];
      if (store.getState(id, 'bundle-import') !== marker) {
        const s = await importBundle(store, b, id);
        store.series.compact(Date.now() - 2 * 3600_000);
        warnings = s.warnings;
        store.setState(id, 'bundle-import', marker);
        log(`imported bundle ${p}: ${s.scrapes} scrapes, ${s.events} events, ${s.artifacts} profiles`);
      } else {
        store.upsertCluster({ id, name: b.manifest.title ?? b.manifest.cluster.name, kind: 'bundle', server: p });
      }
      const entry: ClusterEntry = {
        id, name: b.manifest.title ?? b.manifest.cluster.name, kind: 'bundle',
        bundle: { path: p, story: b.manifest.story, title: b.manifest.title, from: Date.parse(b.manifest.timeRange.from), to: Date.parse(b.manifest.timeRange.to), warnings },
      };
      clusters.set(id, entry);
      return entry;
    } finally { b.dispose(); }
  } catch (e) {
    const msg = e instanceof Error ? e.message : String(e);
    log(`bundle ${p}: ${msg}`);
    const entry: ClusterEntry = { id, name: path.basename(p), kind: 'bundle', error: msg };
    clusters.set(id, entry);
    return entry;
  }
}

async function createRuntime(): Promise<Runtime> {
  // The bind guard again (instrumentation.ts stops the server first): no data without it.
  const refusal = startupRefusal(authConfig());
  if (refusal) throw new Error(refusal);
  const config = loadConfig();
  const log = (m: string) => { if (process.env.KF_QUIET !== '1') console.log(`[kube-forensics] ${m}`); };
  const store = Store.open(config.dataDir);
  const clusters = new Map<string, ClusterEntry>();
  const captures = new PprofCaptures(store);
  const onRecorded = new Set<(cluster: string, t: number) => void>();
  const recorded = (cluster: string, t: number) => {
    for (const l of onRecorded) { try { l(cluster, t); } catch (e) { log(`on recorded: ${e instanceof Error ? e.message : String(e)}`); } }
  };

  for (const source of liveSources(config, log)) {
    const d = source.describe();
    const o = d.context ? config.clusterOverrides.get(d.context) : undefined;
    const entry: ClusterEntry = { id: d.id, name: d.name, kind: 'live', source, ...(o?.prometheus ? { prometheus: o.prometheus } : {}), ...(o?.nodeLifecycle ? { nodeLifecycle: o.nodeLifecycle } : {}) };
    const auto = new AutoCapture(store, captures, entry, config.autoCapture, log);
    // With Prometheus in `fill` mode, the apiserver's and etcd's series come from it (one query a round).
    const mirror = o?.prometheus?.recorder === 'fill' ? new PrometheusMirror(o.prometheus) : undefined;
    entry.recorder = config.record ? new ClusterRecorder(source, store, createIngest(), {
      intervalMs: config.intervalMs, censusEveryMs: config.censusMs, topologyEveryMs: config.intervalMs, log, nodeLifecycle: entry.nodeLifecycle,
      ...(mirror ? { mirror, mirrorBackfillMs: o!.prometheus!.backfillMinutes * 60_000 } : {}),
      onCommit: (c) => { auto.onScrape(c.component, c.t); recorded(d.id, c.t); },
    }) : undefined;
    entry.events = config.record ? new EventRecorder(source, store, { log }) : undefined;
    const { recorder, events } = entry;
    clusters.set(d.id, entry);
    recorder?.start();
    events?.start();
    log(`recording ${d.name} (${d.server}) every ${config.intervalMs / 1000} s${recorder ? '' : ' [recording off]'}${recorder && mirror ? `; apiserver and etcd series from Prometheus (${mirror.url})` : ''}`);
  }

  // Audit logs on this host, per cluster (KF_CONFIG clusters[].audit.path), followed as they grow.
  const followers: AuditFollower[] = [];
  for (const [context, o] of config.clusterOverrides) {
    const id = `ctx-${slug(context)}`;
    if (!o.audit || !clusters.has(id)) continue;
    const f = new AuditFollower(store, id, path.resolve(o.audit.path), log, { ...(o.audit.etcdDataDir ? { etcdDataDir: path.resolve(o.audit.etcdDataDir) } : {}) });
    f.start();
    followers.push(f);
    log(`following audit log ${o.audit.path} for ${context}`);
  }

  // Bundles from the configuration, then those uploaded earlier (kept in the data directory).
  const ready = (async () => {
    for (const p of [...config.bundles, ...uploadedBundleFiles(config)]) await loadBundle(store, clusters, p, log);
  })();

  // Retention and compaction (samples older than 2 h packed into chunks): at start and every 10 minutes.
  const retention = () => {
    try { store.enforceRetention(DEFAULT_RETENTION); store.series.compact(Date.now() - 2 * 3600_000); } catch (e) { log(`retention: ${String(e)}`); }
  };
  retention();
  const retentionTimer = setInterval(retention, 10 * 60_000);
  retentionTimer.unref();

  return {
    config, store, clusters, ready, captures, onRecorded,
    stop: async () => {
      clearInterval(retentionTimer);
      for (const f of followers) f.stop();
      for (const c of clusters.values()) { await Promise.all([c.recorder?.stop(), c.events?.stop()]); await c.source?.close(); }
      store.close();
    },
  };
}

const KEY = Symbol.for('kube-forensics.runtime');
type WithRuntime = typeof globalThis & { [KEY]?: Promise<Runtime> };

/** The process-wide runtime (kept on globalThis so dev-server reloads do not start a second recorder). */
export function getRuntime(): Promise<Runtime> {
  const g = globalThis as WithRuntime;
  g[KEY] ??= createRuntime();
  return g[KEY];
}
