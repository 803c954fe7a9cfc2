import 'server-only';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
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
 *       audit: { path: /var/log/kubernetes/audit.log }   # followed as it grows (server/audit/)
 *       prometheus:                   # timelines read history from here (query_range); see lib/prometheus
 *         url: https://prometheus.monitoring:9090
 *         bearerTokenFile: /var/run/secrets/kf/prom-token   # re-read on every request (rotation)
 *         caFile: /etc/kf/prom-ca.crt
 *         insecureSkipVerify: false
 *         scrapeIntervalSeconds: 30   # Prometheus' scrape interval for these jobs
 *         labels: { apiserver: '{job="apiserver"}', etcd: '{job="etcd"}' }   # kube-prometheus defaults
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
}).strict();

const fileSchema = z.object({
  dataDir: z.string().optional(),
  intervalSeconds: z.number().min(1).max(3600).optional(),
  censusSeconds: z.number().min(5).max(86400).optional(),
  record: z.boolean().optional(),
  kubeconfig: z.string().optional(),
  contexts: z.array(z.string()).optional(),
  clusters: z.array(z.object({
    context: z.string(), name: z.string().optional(), etcd: etcdSchema.optional(), prometheus: prometheusSchema.optional(),
    audit: z.object({ path: z.string().min(1) }).strict().optional(),
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
  clusterOverrides: Map<string, { name?: string; etcd?: EtcdConfig; audit?: { path: string }; prometheus?: PrometheusConfig }>;
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
    clusterOverrides: new Map(file.clusters.map((c) => [c.context, { name: c.name, etcd: c.etcd, audit: c.audit, prometheus: c.prometheus }])),
    autoCapture: {
      ...DEFAULT_AUTO_CAPTURE,
      everyMs: everyMinutes ? everyMinutes * 60_000 : null,
      growth: (env.KF_CAPTURE_ON_GROWTH !== undefined ? env.KF_CAPTURE_ON_GROWTH !== '0' : file.captures?.onGrowth ?? true) ? DEFAULT_AUTO_CAPTURE.growth : [],
    },
    bundles: [...(env.KF_BUNDLES ? env.KF_BUNDLES.split(path.delimiter).filter(Boolean) : []), ...file.bundles],
  };
}
