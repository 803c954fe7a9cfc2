import 'server-only';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { KubeConfig } from '@kubernetes/client-node';
import { tolerationSeconds, type Toleration } from '@/lib/detectors/tolerations';
import { parseHealthVerbose } from '@/lib/parse/health';
import type { KubernetesAuthEndpoint } from '../auth/kubernetes';
import { paths, type AllowedPath } from './paths';
import { get, openGet, type TransportTarget } from './transport';
import {
  ClusterError, isClusterError, type CallOptions, type Census, type CensusEntry, type ClusterDescription, type ClusterSource, type Component,
  type EndpointsSummary, type EventList, type HealthReport, type LeaseSummary, type NodeSummary, type PodTolerations, type RawEvent, type RawScrape,
  type VersionInfo, type WatchEnd, type WatchEventType, type WatchHandle,
} from './types';

export const USER_AGENT = 'kube-forensics/0.1 (read-only)';

export interface EtcdEndpointConfig {
  /** etcd client URL, e.g. https://10.0.0.1:2379 (serves /metrics and, with --enable-pprof, /debug/pprof). */
  url: string;
  /** Optional separate metrics URL (--listen-metrics-urls). */
  metricsUrl?: string;
  caFile?: string;
  certFile?: string;
  keyFile?: string;
}

export interface LiveSourceOptions {
  id: string;
  name?: string;
  kubeConfig: KubeConfig;
  context: string;
  etcd?: EtcdEndpointConfig;
  timeouts?: Partial<Record<'default' | 'metrics' | 'pprof' | 'census', number>>;
}

const LIMITS = { metrics: 64 << 20, pprof: 256 << 20, json: 64 << 20, small: 4 << 20 };
/** Down nodes whose pods are listed per recorder round (a whole zone down must not mean a pod list per node). */
const MAX_POD_NODES = 20;

/** A cluster reached through a kubeconfig context (or in-cluster config), via @kubernetes/client-node auth. */
export class LiveClusterSource implements ClusterSource {
  readonly kind = 'live' as const;
  readonly id: string;
  private readonly kc: KubeConfig;
  private readonly name: string;
  private readonly context: string;
  private readonly etcd?: EtcdEndpointConfig;
  private readonly timeouts: Record<'default' | 'metrics' | 'pprof' | 'census', number>;
  private readonly apiAgent: https.Agent | http.Agent;
  private etcdTarget?: TransportTarget;
  private etcdMetricsTarget?: TransportTarget;

  constructor(o: LiveSourceOptions) {
    this.id = o.id;
    this.name = o.name ?? o.context;
    this.context = o.context;
    this.etcd = o.etcd;
    // A private copy pinned to this context, so several clusters can be read at once.
    const kc = new KubeConfig();
    kc.loadFromString(o.kubeConfig.exportConfig());
    kc.setCurrentContext(o.context);
    this.kc = kc;
    this.timeouts = { default: 10_000, metrics: 20_000, pprof: 60_000, census: 10_000, ...o.timeouts };
    const server = kc.getCurrentCluster()?.server ?? '';
    this.apiAgent = server.startsWith('http:') ? new http.Agent({ keepAlive: true, maxSockets: 8 }) : new https.Agent({ keepAlive: true, maxSockets: 8 });
  }

  describe(): ClusterDescription {
    const components: Component[] = ['kube-apiserver'];
    if (this.etcd) components.push('etcd');
    return {
      id: this.id, name: this.name, kind: 'live', context: this.context,
      server: this.kc.getCurrentCluster()?.server ?? '(unknown)', components,
      notes: this.etcd ? [] : ['etcd metrics not configured: the apiserver\'s own etcd metrics are used (managed clusters hide etcd).'],
    };
  }

  /**
   * The apiserver's address and how to trust it, without this source's credentials: where the
   * kubernetes auth mode has a caller's own token judged (server/auth/kubernetes.ts).
   */
  authnEndpoint(): KubernetesAuthEndpoint {
    const cluster = this.kc.getCurrentCluster();
    if (!cluster?.server.startsWith('https:')) throw new ClusterError(this.id, 'invalid', `context ${this.context}: a token is only sent to an https apiserver`);
    const ca = cluster.caData ? Buffer.from(cluster.caData, 'base64') : cluster.caFile ? fs.readFileSync(cluster.caFile) : undefined;
    return { cluster: this.name, baseUrl: cluster.server, ca, rejectUnauthorized: !cluster.skipTLSVerify, servername: cluster.tlsServerName };
  }

  /** The kubeconfig context this source reads. */
  get contextName(): string { return this.context; }

  /** Auth and TLS for the apiserver, from the kubeconfig (certs, tokens, exec and OIDC providers). */
  private async apiTarget(): Promise<TransportTarget> {
    const cluster = this.kc.getCurrentCluster();
    if (!cluster) throw new ClusterError(this.id, 'invalid', `kubeconfig context ${this.context} has no cluster`);
    const tls: https.RequestOptions = {};
    try {
      await this.kc.applyToHTTPSOptions(tls);
    } catch (e) {
      throw new ClusterError(this.id, 'unauthorized', `credentials for context ${this.context}: ${e instanceof Error ? e.message : String(e)}`);
    }
    // client-node leaves an agent of its own in the options; ours (keep-alive, bounded) is used instead.
    delete (tls as { agent?: unknown }).agent;
    return { cluster: this.id, baseUrl: cluster.server, tls, agent: this.apiAgent, userAgent: USER_AGENT };
  }

  private etcdTransport(kind: 'client' | 'metrics'): TransportTarget {
    const e = this.etcd;
    if (!e) throw new ClusterError(this.id, 'unsupported', 'no etcd endpoint configured for this cluster');
    const existing = kind === 'client' ? this.etcdTarget : this.etcdMetricsTarget;
    if (existing) return existing;
    const url = kind === 'metrics' && e.metricsUrl ? e.metricsUrl : e.url;
    const tls: https.RequestOptions = {
      ...(e.caFile ? { ca: fs.readFileSync(e.caFile) } : {}),
      ...(e.certFile ? { cert: fs.readFileSync(e.certFile) } : {}),
      ...(e.keyFile ? { key: fs.readFileSync(e.keyFile) } : {}),
    };
    const agent = url.startsWith('https:') ? new https.Agent({ keepAlive: true, maxSockets: 4 }) : new http.Agent({ keepAlive: true, maxSockets: 4 });
    const t = { cluster: this.id, baseUrl: url, tls, agent, userAgent: USER_AGENT };
    if (kind === 'client') this.etcdTarget = t; else this.etcdMetricsTarget = t;
    return t;
  }

  private async target(component: Component, purpose: 'metrics' | 'pprof'): Promise<TransportTarget> {
    if (component === 'kube-apiserver') return this.apiTarget();
    return this.etcdTransport(purpose === 'metrics' ? 'metrics' : 'client');
  }

  private async getJson<T>(path: AllowedPath, o: CallOptions | undefined, timeout = this.timeouts.default, max = LIMITS.json): Promise<T> {
    const r = await get(await this.apiTarget(), path, { timeoutMs: o?.timeoutMs ?? timeout, maxBytes: max, signal: o?.signal });
    try {
      return JSON.parse(r.body.toString('utf8')) as T;
    } catch {
      throw new ClusterError(this.id, 'invalid', `GET ${path}: response is not JSON`, r.status, path);
    }
  }

  async version(o?: CallOptions): Promise<VersionInfo> {
    const v = await this.getJson<Partial<VersionInfo>>(paths.version(), o, this.timeouts.default, LIMITS.small);
    return { gitVersion: v.gitVersion ?? 'unknown', major: v.major ?? '', minor: v.minor ?? '', platform: v.platform, goVersion: v.goVersion };
  }

  async metrics(component: Component, o?: CallOptions): Promise<RawScrape> {
    const path = paths.metrics();
    const r = await get(await this.target(component, 'metrics'), path, {
      accept: 'text/plain;version=0.0.4', timeoutMs: o?.timeoutMs ?? this.timeouts.metrics, maxBytes: LIMITS.metrics, signal: o?.signal,
    });
    return { component, at: Date.now(), text: r.body.toString('utf8'), origin: path };
  }

  async health(endpoint: 'readyz' | 'livez', o?: CallOptions): Promise<HealthReport> {
    const path = endpoint === 'readyz' ? paths.readyz() : paths.livez();
    let status = 200;
    let raw = '';
    try {
      const r = await get(await this.apiTarget(), path, { accept: 'text/plain', timeoutMs: o?.timeoutMs ?? this.timeouts.default, maxBytes: LIMITS.small, signal: o?.signal });
      raw = r.body.toString('utf8');
    } catch (e) {
      // A failing check answers 500 with the verbose report in the body: that is data, not an error.
      if (isClusterError(e) && e.kind === 'http' && e.status === 500) {
        status = 500;
        raw = e.message.replace(/^.*?HTTP 500:\s*/, '');
      } else throw e;
    }
    const parsed = parseHealthVerbose(raw, status);
    return { endpoint, at: Date.now(), ok: parsed.ok, httpStatus: status, checks: parsed.checks, raw };
  }

  async goroutines(component: Component, debug: 1 | 2, o?: CallOptions): Promise<string> {
    const r = await get(await this.target(component, 'pprof'), paths.goroutines(debug), {
      accept: 'text/plain', timeoutMs: o?.timeoutMs ?? this.timeouts.pprof, maxBytes: LIMITS.pprof, signal: o?.signal,
    });
    return r.body.toString('utf8');
  }

  async heapProfile(component: Component, o?: CallOptions): Promise<Uint8Array> {
    const r = await get(await this.target(component, 'pprof'), paths.heap(), {
      accept: 'application/octet-stream', timeoutMs: o?.timeoutMs ?? this.timeouts.pprof, maxBytes: LIMITS.pprof, signal: o?.signal,
    });
    return new Uint8Array(r.body);
  }

  async listEvents(api: 'core/v1' | 'events.k8s.io/v1', page: { limit: number; continue?: string }, o?: CallOptions): Promise<EventList> {
    const l = await this.getJson<{ items?: RawEvent[]; metadata?: { resourceVersion?: string; continue?: string } }>(paths.events(api, page), o);
    return { items: l.items ?? [], resourceVersion: l.metadata?.resourceVersion ?? '0', continue: l.metadata?.continue || undefined };
  }

  async watchEvents(
    api: 'core/v1' | 'events.k8s.io/v1',
    resourceVersion: string,
    onEvent: (type: WatchEventType, obj: RawEvent) => void,
    o?: CallOptions,
  ): Promise<WatchHandle> {
    const serverTimeout = 300;
    const path = paths.watchEvents(api, resourceVersion, serverTimeout);
    const ac = new AbortController();
    const stopOuter = () => ac.abort();
    o?.signal?.addEventListener('abort', stopOuter, { once: true });
    const { res } = await openGet(await this.apiTarget(), path, { timeoutMs: o?.timeoutMs ?? this.timeouts.default, signal: ac.signal });
    if ((res.statusCode ?? 0) >= 400) {
      let body = '';
      for await (const c of res) { body += String(c); if (body.length > 65536) break; }
      const { statusError } = await import('./transport');
      throw statusError(this.id, path, res.statusCode ?? 0, body);
    }
    // Idle guard: the server closes after timeoutSeconds; a silent socket past that is dead.
    let idle = setTimeout(() => ac.abort(), (serverTimeout + 30) * 1000);
    let stopped = false;
    let lastRv: string | undefined;
    const done = new Promise<WatchEnd>((resolve) => {
      let buf = '';
      const finish = (end: WatchEnd) => { clearTimeout(idle); o?.signal?.removeEventListener('abort', stopOuter); resolve({ ...end, lastResourceVersion: lastRv }); };
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        clearTimeout(idle);
        idle = setTimeout(() => ac.abort(), (serverTimeout + 30) * 1000);
        buf += chunk;
        if (buf.length > LIMITS.json) { ac.abort(); finish({ reason: 'error', error: 'watch event larger than 64 MiB' }); return; }
        let nl: number;
        while ((nl = buf.indexOf('\n')) >= 0) {
          const line = buf.slice(0, nl).trim();
          buf = buf.slice(nl + 1);
          if (!line) continue;
          let ev: { type: WatchEventType; object: RawEvent };
          try { ev = JSON.parse(line) as { type: WatchEventType; object: RawEvent }; } catch { continue; }
          const rv = (ev.object?.metadata as { resourceVersion?: string } | undefined)?.resourceVersion;
          if (rv && ev.type !== 'ERROR') lastRv = rv;
          try { onEvent(ev.type, ev.object); } catch { /* a consumer's bug must not end the watch */ }
        }
      });
      res.on('end', () => finish({ reason: stopped ? 'stopped' : 'closed' }));
      res.on('error', (e) => finish(stopped ? { reason: 'stopped' } : { reason: 'error', error: e.message }));
      res.on('close', () => finish({ reason: stopped ? 'stopped' : 'closed' }));
    });
    return { stop: () => { stopped = true; ac.abort(); }, done };
  }

  async census(o?: CallOptions): Promise<Census> {
    const started = Date.now();
    type Discovery = { resources?: Array<{ name: string; namespaced: boolean; verbs?: string[] }> };
    const targets: Array<{ group: string; version: string; resource: string; namespaced: boolean }> = [];
    const core = await this.getJson<Discovery>(paths.coreDiscovery(), o);
    for (const r of core.resources ?? []) if (!r.name.includes('/') && r.verbs?.includes('list')) targets.push({ group: '', version: 'v1', resource: r.name, namespaced: r.namespaced });
    const groups = await this.getJson<{ groups?: Array<{ name: string; preferredVersion?: { version: string } }> }>(paths.groupsDiscovery(), o);
    const gvs = (groups.groups ?? []).filter((g) => g.preferredVersion).map((g) => ({ group: g.name, version: g.preferredVersion!.version }));
    // The first timeout or refused connection stops the census (the apiserver or etcd is struggling:
    // one LIST per resource would be a storm of requests that all time out); what is left is reported
    // as not asked. An error answer (an aggregated API that is down) does not.
    let stopped: string | null = null;
    const stopOn = (e: unknown) => {
      if (!stopped && (o?.signal?.aborted || (isClusterError(e) && e.transient))) stopped = e instanceof Error ? e.message : String(e);
    };
    await mapLimit(gvs, 4, async (gv) => {
      if (stopped) return;
      try {
        const d = await this.getJson<Discovery>(paths.groupVersionDiscovery(gv.group, gv.version), o);
        for (const r of d.resources ?? []) if (!r.name.includes('/') && r.verbs?.includes('list')) targets.push({ ...gv, resource: r.name, namespaced: r.namespaced });
      } catch (e) { stopOn(e); /* an aggregated API that is down must not sink the census */ }
    });
    const entries: CensusEntry[] = [];
    await mapLimit(targets, 4, async (t) => {
      if (stopped) { entries.push({ ...t, count: null, error: `not asked: census stopped after ${stopped}` }); return; }
      try {
        const l = await this.getJson<{ items?: unknown[]; metadata?: { remainingItemCount?: number; continue?: string } }>(
          paths.censusList(t.group, t.version, t.resource), o, this.timeouts.census, LIMITS.json,
        );
        const seen = l.items?.length ?? 0;
        // remainingItemCount is omitted when there are no more items, or when the server cannot tell
        // (e.g. list served with a continue token but no count): then the count is unknown unless nothing follows.
        const rest = l.metadata?.remainingItemCount;
        const count = rest !== undefined ? seen + rest : l.metadata?.continue ? null : seen;
        entries.push({ ...t, count });
      } catch (e) {
        stopOn(e);
        entries.push({ ...t, count: null, error: e instanceof Error ? e.message : String(e) });
      }
    });
    entries.sort((a, b) => (b.count ?? -1) - (a.count ?? -1));
    return { at: Date.now(), entries, durationMs: Date.now() - started };
  }

  async kubernetesEndpoints(o?: CallOptions): Promise<EndpointsSummary> {
    const ep = await this.getJson<{ subsets?: Array<{ addresses?: Array<{ ip: string }>; ports?: Array<{ port: number }> }> }>(paths.kubernetesEndpoints(), o);
    const addresses = (ep.subsets ?? []).flatMap((s) => (s.addresses ?? []).map((a) => a.ip));
    const ports = (ep.subsets ?? []).flatMap((s) => (s.ports ?? []).map((p) => p.port));
    return { name: 'kubernetes', namespace: 'default', addresses, ports };
  }

  private async listAll<T>(make: (q: { limit: number; continue?: string }) => AllowedPath, o?: CallOptions, cap = 20_000): Promise<T[]> {
    const out: T[] = [];
    let cont: string | undefined;
    do {
      const l = await this.getJson<{ items?: T[]; metadata?: { continue?: string } }>(make({ limit: 500, continue: cont }), o);
      out.push(...(l.items ?? []));
      cont = l.metadata?.continue || undefined;
    } while (cont && out.length < cap);
    return out;
  }

  async nodes(o?: CallOptions): Promise<NodeSummary[]> {
    type Node = {
      metadata: { name: string; labels?: Record<string, string> };
      spec?: { taints?: Array<{ key: string; effect: string; timeAdded?: string }> };
      status?: { conditions?: Array<{ type: string; status: string; lastTransitionTime?: string; lastHeartbeatTime?: string }> };
    };
    const items = await this.listAll<Node>((q) => paths.nodes(q), o);
    return items.map((n) => {
      const ready = n.status?.conditions?.find((c) => c.type === 'Ready');
      const labels = n.metadata.labels ?? {};
      return {
        name: n.metadata.name,
        zone: labels['topology.kubernetes.io/zone'] ?? labels['failure-domain.beta.kubernetes.io/zone'],
        ready: ready?.status === 'True' ? 'True' : ready?.status === 'False' ? 'False' : 'Unknown',
        readySince: ready?.lastTransitionTime,
        lastHeartbeat: ready?.lastHeartbeatTime,
        taints: (n.spec?.taints ?? []).map((t) => ({ key: t.key, effect: t.effect, timeAdded: t.timeAdded })),
      };
    });
  }

  async nodeLeases(o?: CallOptions): Promise<LeaseSummary[]> {
    type Lease = { metadata: { name: string; namespace: string }; spec?: { holderIdentity?: string; renewTime?: string; leaseDurationSeconds?: number } };
    const items = await this.listAll<Lease>((q) => paths.nodeLeases(q), o);
    return items.map((l) => ({
      name: l.metadata.name, namespace: l.metadata.namespace, holder: l.spec?.holderIdentity,
      renewTime: l.spec?.renewTime, durationSeconds: l.spec?.leaseDurationSeconds,
    }));
  }

  /**
   * Lists the pods of each down node (at most MAX_POD_NODES per call, two at a time, 2,000 pods per
   * node) and reduces each to the seconds it tolerates that node's eviction taint. Only called
   * while nodes are down, so a healthy cluster is never asked for its pods.
   */
  async podTolerations(nodes: Array<{ name: string; taint: { key: string; effect: string } }>, o?: CallOptions): Promise<PodTolerations> {
    type Pod = { metadata: { name: string; namespace: string }; spec?: { tolerations?: Toleration[] }; status?: { phase?: string } };
    const picked = nodes.slice(0, MAX_POD_NODES);
    const out: PodTolerations = { nodes: [], pods: [], skipped: nodes.length - picked.length };
    await mapLimit(picked, 2, async (n) => {
      const items = await this.listAll<Pod>((q) => paths.podsOnNode(n.name, q), o, 2_000);
      out.nodes.push(n.name);
      for (const p of items) {
        // Finished pods are not evicted; pods already being deleted stay listed (the eviction may be that deletion).
        if (p.status?.phase === 'Succeeded' || p.status?.phase === 'Failed') continue;
        out.pods.push({ namespace: p.metadata.namespace, name: p.metadata.name, node: n.name, tolerationSeconds: tolerationSeconds(p.spec?.tolerations, [n.taint]) });
      }
    });
    return out;
  }

  async close(): Promise<void> {
    this.apiAgent.destroy();
    this.etcdTarget?.agent.destroy();
    this.etcdMetricsTarget?.agent.destroy();
  }
}

async function mapLimit<T>(items: T[], limit: number, fn: (t: T) => Promise<void>): Promise<void> {
  let i = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (i < items.length) { const item = items[i++]!; await fn(item); }
  }));
}
