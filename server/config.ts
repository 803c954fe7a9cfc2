import 'server-only';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import type { NodeLifecycleSettings } from '@/lib/detectors/types';
import { DEFAULT_AUTO_CAPTURE, type AutoCapturePolicy } from '@/lib/capture/auto-policy';
import { DEFAULT_PROM_LABELS, DEFAULT_SCRAPE_INTERVAL_SECONDS, matchersOf } from '@/lib/prometheus/promql';

/**
 * Server configuration, from the environment and an optional YAML file (KF_CONFIG):
 *
 *   dataDir: /var/lib/kube-forensics
 *   intervalSeconds: 15
 *   clusters:
 *     - context: prod-eu              # a kubeconfig context
 *       name: prod (eu-west-1)
 *       etcd: { url: https://10.0.0.5:2379, caFile: …, certFile: …, keyFile: … }
 *       audit: { path: /var/log/kubernetes/audit.log }   # followed as it grows (server/audit/), its disk sampled
 *       #   etcdDataDir: /var/lib/etcd  # on this host: the disk check says whether the log shares etcd's filesystem
 *       nodeLifecycle:                # kube-controller-manager's flags, when not 1.20's defaults (they cannot be read from the API)
 *         nodeMonitorGracePeriodSeconds: 40   # --node-monitor-grace-period
 *         nodeEvictionRate: 0.1               # --node-eviction-rate
 *         secondaryNodeEvictionRate: 0.01     # --secondary-node-eviction-rate
 *         largeClusterSizeThreshold: 50       # --large-cluster-size-threshold
 *         unhealthyZoneThreshold: 0.55        # --unhealthy-zone-threshold
 *         defaultTolerationSeconds: 300       # kube-apiserver --default-not-ready/unreachable-toleration-seconds
 *       prometheus:                   # timelines read history from here (query_range); see lib/prometheus
 *         url: https://prometheus.monitoring:9090
 *         bearerTokenFile: /var/run/secrets/kf/prom-token   # re-read on every request (rotation)
 *         caFile: /etc/kf/prom-ca.crt
 *         insecureSkipVerify: false
 *         scrapeIntervalSeconds: 30   # Prometheus' scrape interval for these jobs
 *         labels: { apiserver: '{job="apiserver"}', etcd: '{job="etcd"}' }   # kube-prometheus defaults
 *         recorder: fill              # fill: series from Prometheus, the cluster asked only for what it lacks; all: scrape /metrics too
 *         backfillMinutes: 60         # fill: the first read brings this much history into the recorder
 *   bundles: [ /srv/bundles/incident-1234.tar.gz ]
 *   captures: { everyMinutes: 60, onGrowth: true }   # automatic dumps + heap profiles (env KF_CAPTURE_EVERY_MINUTES, KF_CAPTURE_ON_GROWTH)
 */
const etcdSchema = z.object({
  url: z.string().url(), metricsUrl: z.string().url().optional(),
  caFile: z.string().optional(), certFile: z.string().optional(), keyFile: z.string().optional(),
});

const selector = z.string().max(500).superRefine((s, ctx) => {
  try { matchersOf(s); } catch (e) { ctx.addIssue({ code: 'custom', message: e instanceof Error ? e.message : String(e) }); }
});
const prometheusSchema = z.object({
  url: z.string().url().refine((u) => /^https?:\/\//.test(u), 'must be an http(s) URL'),
  bearerTokenFile: z.string().optional(),
  caFile: z.string().optional(),
  insecureSkipVerify: z.boolean().default(false),
  scrapeIntervalSeconds: z.number().min(1).max(3600).default(DEFAULT_SCRAPE_INTERVAL_SECONDS),
  timeoutSeconds: z.number().min(1).max(120).default(15),
  labels: z.object({ apiserver: selector.default(DEFAULT_PROM_LABELS.apiserver), etcd: selector.default(DEFAULT_PROM_LABELS.etcd) }).strict().default(DEFAULT_PROM_LABELS),
  /**
   * `fill` (default): the recorder reads the apiserver's and etcd's series from Prometheus and asks
   * the cluster only for what Prometheus lacks (profiles, census, Events, nodes, readiness); it
   * scrapes a component's /metrics itself only while Prometheus has no recent samples of it.
   * `all`: the recorder also scrapes /metrics itself, as without Prometheus.
   */
  recorder: z.enum(['fill', 'all']).default('fill'),
  /** In `fill` mode, how far back the first read reaches (the recorder then has the last hour at once). */
  backfillMinutes: z.number().min(0).max(7 * 24 * 60).default(60),
}).strict();

const nodeLifecycleSchema = z.object({
  nodeMonitorGracePeriodSeconds: z.number().min(1).max(3600).optional(),
  nodeEvictionRate: z.number().min(0).max(1000).optional(),
  secondaryNodeEvictionRate: z.number().min(0).max(1000).optional(),
  largeClusterSizeThreshold: z.number().int().min(0).max(1_000_000).optional(),
  unhealthyZoneThreshold: z.number().min(0).max(1).optional(),
  defaultTolerationSeconds: z.number().int().min(0).max(7 * 86400).optional(),
}).strict();

/** The config file's names (the flags') → the detectors' settings. */
export function nodeLifecycleSettings(c: z.infer<typeof nodeLifecycleSchema> | undefined): Partial<NodeLifecycleSettings> | undefined {
  if (!c) return undefined;
  const out: Partial<NodeLifecycleSettings> = {};
  if (c.nodeMonitorGracePeriodSeconds !== undefined) out.gracePeriodMs = c.nodeMonitorGracePeriodSeconds * 1000;
  if (c.nodeEvictionRate !== undefined) out.evictionRate = c.nodeEvictionRate;
  if (c.secondaryNodeEvictionRate !== undefined) out.secondaryEvictionRate = c.secondaryNodeEvictionRate;
  if (c.largeClusterSizeThreshold !== undefined) out.largeClusterThreshold = c.largeClusterSizeThreshold;
  if (c.unhealthyZoneThreshold !== undefined) out.unhealthyZoneThreshold = c.unhealthyZoneThreshold;
  if (c.defaultTolerationSeconds !== undefined) out.defaultTolerationSeconds = c.defaultTolerationSeconds;
  return out;
}

const fileSchema = z.object({
  dataDir: z.string().optional(),
  intervalSeconds: z.number().min(1).max(3600).optional(),
  censusSeconds: z.number().min(5).max(86400).optional(),
  record: z.boolean().optional(),
  kubeconfig: z.string().optional(),
  contexts: z.array(z.string()).optional(),
  clusters: z.array(z.object({
    context: z.string(), name: z.string().optional(), etcd: etcdSchema.optional(), prometheus: prometheusSchema.optional(),
    audit: z.object({ path: z.string().min(1), etcdDataDir: z.string().min(1).optional() }).strict().optional(),
    nodeLifecycle: nodeLifecycleSchema.optional(),
  })).default([]),
  bundles: z.array(z.string()).default([]),
  // Automatic goroutine dumps and heap profiles of live apiservers (lib/capture/auto-policy).
  captures: z.object({ everyMinutes: z.number().min(5).max(7 * 24 * 60).nullable().optional(), onGrowth: z.boolean().optional() }).strict().optional(),
  /** Bind address and authentication: read and validated by server/auth/config.ts. */
  host: z.string().optional(),
  auth: z.unknown().optional(),
}).strict();

export type EtcdConfig = z.infer<typeof etcdSchema>;
export type PrometheusConfig = z.infer<typeof prometheusSchema>;

export interface ServerConfig {
  dataDir: string;
  intervalMs: number;
  /** Census (one `limit=1` LIST per resource) cadence. */
  censusMs: number;
  record: boolean;
  kubeconfigPaths: string[];
  /** Only these contexts (all when empty). */
  contexts: string[];
  clusterOverrides: Map<string, { name?: string; etcd?: EtcdConfig; audit?: { path: string; etcdDataDir?: string }; prometheus?: PrometheusConfig; nodeLifecycle?: Partial<NodeLifecycleSettings> }>;
  bundles: string[];
  autoCapture: AutoCapturePolicy;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  let file: z.infer<typeof fileSchema> = { clusters: [], bundles: [] };
  if (env.KF_CONFIG) {
    const raw = fs.readFileSync(env.KF_CONFIG, 'utf8');
    const r = fileSchema.safeParse(parseYaml(raw));
    if (!r.success) throw new Error(`${env.KF_CONFIG}: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    file = r.data;
  }
  const kubeconfig = env.KUBECONFIG ?? file.kubeconfig ?? path.join(os.homedir(), '.kube', 'config');
  const kubeconfigPaths = kubeconfig.split(path.delimiter).filter((p) => p && fs.existsSync(p));
  const interval = Number(env.KF_INTERVAL_SECONDS ?? file.intervalSeconds ?? 15);
  const everyMinutes = env.KF_CAPTURE_EVERY_MINUTES !== undefined ? Number(env.KF_CAPTURE_EVERY_MINUTES) || null : file.captures?.everyMinutes ?? null;
  return {
    dataDir: path.resolve(env.KF_DATA_DIR ?? file.dataDir ?? path.join(process.cwd(), '.data')),
    intervalMs: Math.max(1, interval) * 1000,
    censusMs: Math.max(5, Number(env.KF_CENSUS_SECONDS ?? file.censusSeconds ?? 60)) * 1000,
    record: env.KF_RECORD !== undefined ? env.KF_RECORD !== '0' : file.record ?? true,
    kubeconfigPaths,
    contexts: env.KF_CONTEXTS ? env.KF_CONTEXTS.split(',').map((s) => s.trim()).filter(Boolean) : file.contexts ?? [],
    clusterOverrides: new Map(file.clusters.map((c) => [c.context, { name: c.name, etcd: c.etcd, audit: c.audit, prometheus: c.prometheus, nodeLifecycle: nodeLifecycleSettings(c.nodeLifecycle) }])),
    autoCapture: {
      ...DEFAULT_AUTO_CAPTURE,
      everyMs: everyMinutes ? everyMinutes * 60_000 : null,
      growth: (env.KF_CAPTURE_ON_GROWTH !== undefined ? env.KF_CAPTURE_ON_GROWTH !== '0' : file.captures?.onGrowth ?? true) ? DEFAULT_AUTO_CAPTURE.growth : [],
    },
    bundles: [...(env.KF_BUNDLES ? env.KF_BUNDLES.split(path.delimiter).filter(Boolean) : []), ...file.bundles],
  };
}
