import 'server-only';

/**
 * One way to reach a cluster. A page never knows whether it shows a live cluster or a captured
 * bundle (the Parca `toKey()` lesson): both implement this interface, tagged by `kind`.
 *
 * Every method takes an AbortSignal-bearing options object and every implementation enforces a
 * timeout; failures are `ClusterError`s carrying the cluster id and, where there is one, the HTTP status.
 */
export type SourceKind = 'live' | 'bundle';
export type Component = 'kube-apiserver' | 'etcd';

export interface CallOptions {
  signal?: AbortSignal;
  /** Per-call timeout; the source's default applies when unset. */
  timeoutMs?: number;
}

export interface ClusterDescription {
  id: string;
  name: string;
  kind: SourceKind;
  /** The apiserver URL, or the bundle path. Never credentials. */
  server: string;
  /** kubeconfig context name, for live sources. */
  context?: string;
  /** Components this source can read /metrics from. */
  components: Component[];
  /** Human notes, e.g. "etcd metrics not configured: managed clusters hide etcd". */
  notes: string[];
}

export interface VersionInfo {
  gitVersion: string;
  major: string;
  minor: string;
  platform?: string;
  goVersion?: string;
}

export interface RawScrape {
  component: Component;
  /** Milliseconds since epoch when the response was complete (bundle: the capture time). */
  at: number;
  text: string;
  /** Source of the text: the URL path for live sources, the bundle file for bundles. */
  origin: string;
}

export interface HealthCheck { name: string; ok: boolean; reason?: string }
export interface HealthReport {
  endpoint: 'readyz' | 'livez';
  at: number;
  ok: boolean;
  httpStatus: number;
  checks: HealthCheck[];
  raw: string;
}

export interface CensusEntry {
  group: string;
  version: string;
  resource: string;
  namespaced: boolean;
  /** Items: 0 or 1 seen in the `limit=1` page plus `remainingItemCount`; null when the server did not say. */
  count: number | null;
  error?: string;
}
export interface Census { at: number; entries: CensusEntry[]; durationMs: number }

/** Minimal object shapes the product reads; raw objects are reduced at the boundary. */
export interface EndpointsSummary { name: string; namespace: string; addresses: string[]; ports: number[] }
export interface NodeSummary {
  name: string;
  zone?: string;
  ready: 'True' | 'False' | 'Unknown';
  readySince?: string;
  lastHeartbeat?: string;
  taints: Array<{ key: string; effect: string; timeAdded?: string }>;
}
export interface LeaseSummary { name: string; namespace: string; holder?: string; renewTime?: string; durationSeconds?: number }
/** The pods on some down nodes, each with how long it tolerates the node's NoExecute taint (lib/detectors/tolerations). */
export interface PodTolerations {
  /** The nodes whose pods were listed (a node listed with no pod has none). */
  nodes: string[];
  pods: Array<{ namespace: string; name: string; node: string; tolerationSeconds: number | null }>;
  /** Nodes not listed because of the per-round cap. */
  skipped: number;
}

/** A core/v1 or events.k8s.io/v1 Event as JSON (normalised by lib/parse/events). */
export type RawEvent = Record<string, unknown>;
export interface EventList { items: RawEvent[]; resourceVersion: string; continue?: string }
export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
/** `done` never rejects: it settles with why the watch ended (the server's timeout, a reset, our stop). */
export interface WatchEnd { reason: 'closed' | 'stopped' | 'error'; error?: string; lastResourceVersion?: string }
export interface WatchHandle { stop(): void; done: Promise<WatchEnd> }

export interface ClusterSource {
  readonly id: string;
  readonly kind: SourceKind;
  describe(): ClusterDescription;
  version(o?: CallOptions): Promise<VersionInfo>;
  metrics(component: Component, o?: CallOptions): Promise<RawScrape>;
  health(endpoint: 'readyz' | 'livez', o?: CallOptions): Promise<HealthReport>;
  goroutines(component: Component, debug: 1 | 2, o?: CallOptions): Promise<string>;
  heapProfile(component: Component, o?: CallOptions): Promise<Uint8Array>;
  listEvents(api: 'core/v1' | 'events.k8s.io/v1', page: { limit: number; continue?: string }, o?: CallOptions): Promise<EventList>;
  watchEvents(
    api: 'core/v1' | 'events.k8s.io/v1',
    resourceVersion: string,
    onEvent: (type: WatchEventType, obj: RawEvent) => void,
    o?: CallOptions,
  ): Promise<WatchHandle>;
  census(o?: CallOptions): Promise<Census>;
  kubernetesEndpoints(o?: CallOptions): Promise<EndpointsSummary>;
  nodes(o?: CallOptions): Promise<NodeSummary[]>;
  nodeLeases(o?: CallOptions): Promise<LeaseSummary[]>;
  /** Pods on these down nodes and their tolerations of each node's eviction taint (optional: sources without pods skip it). */
  podTolerations?(nodes: Array<{ name: string; taint: { key: string; effect: string } }>, o?: CallOptions): Promise<PodTolerations>;
  close(): Promise<void>;
}

export type ClusterErrorKind = 'timeout' | 'unreachable' | 'http' | 'unauthorized' | 'forbidden' | 'not-found' | 'gone' | 'unsupported' | 'invalid';

/** The one error type cluster sources throw (Headlamp's `ApiError(status, cluster)` lesson). */
export class ClusterError extends Error {
  override readonly name = 'ClusterError';
  constructor(
    readonly cluster: string,
    readonly kind: ClusterErrorKind,
    message: string,
    readonly status?: number,
    readonly path?: string,
  ) {
    super(`${cluster}: ${message}`);
  }

  /** Errors worth backing off on (the cluster is struggling), as opposed to our own mistakes. */
  get transient(): boolean {
    return this.kind === 'timeout' || this.kind === 'unreachable' || (this.kind === 'http' && (this.status ?? 0) >= 500) || this.status === 429;
  }

  toJSON(): { error: string; kind: ClusterErrorKind; cluster: string; status?: number } {
    return { error: this.message, kind: this.kind, cluster: this.cluster, status: this.status };
  }
}

export function isClusterError(e: unknown): e is ClusterError {
  return e instanceof Error && e.name === 'ClusterError';
}
