import 'server-only';

/**
 * The allow-list of what kube-forensics reads from a cluster. Only these builders make paths,
 * their arguments are validated (DNS names, API group/version/resource shapes, opaque tokens
 * URL-encoded), and the transport accepts nothing else: no user-supplied URL or path reaches it.
 */
import type { AllowedPath } from '@/lib/cluster/allowed-paths';

export { ALLOWED_PATH_PATTERNS, isAllowedPath, type AllowedPath } from '@/lib/cluster/allowed-paths';

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
const RESOURCE = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;
const VERSION = /^v[0-9]+((alpha|beta)[0-9]+)?$/;

function check(re: RegExp, what: string, v: string): string {
  if (v.length > 253 || !re.test(v)) throw new Error(`refused: ${what} ${JSON.stringify(v).slice(0, 80)} is not a valid name`);
  return v;
}
const allow = (p: string) => p as AllowedPath;

export const paths = {
  version: () => allow('/version'),
  metrics: () => allow('/metrics'),
  readyz: () => allow('/readyz?verbose'),
  livez: () => allow('/livez?verbose'),
  goroutines: (debug: 1 | 2) => allow(`/debug/pprof/goroutine?debug=${debug === 1 ? 1 : 2}`),
  heap: () => allow('/debug/pprof/heap'),
  coreDiscovery: () => allow('/api/v1'),
  groupsDiscovery: () => allow('/apis'),
  groupVersionDiscovery: (group: string, version: string) =>
    allow(`/apis/${check(DNS_SUBDOMAIN, 'group', group)}/${check(VERSION, 'version', version)}`),
  /** A cheap census: one item plus `metadata.remainingItemCount`. Always with a limit. */
  censusList: (group: string, version: string, resource: string) => {
    const base = group === '' ? `/api/${check(VERSION, 'version', version)}` : `/apis/${check(DNS_SUBDOMAIN, 'group', group)}/${check(VERSION, 'version', version)}`;
    return allow(`${base}/${check(RESOURCE, 'resource', resource)}?limit=1`);
  },
  events: (api: 'core/v1' | 'events.k8s.io/v1', q: { limit: number; continue?: string }) => {
    const base = api === 'core/v1' ? '/api/v1/events' : '/apis/events.k8s.io/v1/events';
    const limit = Math.max(1, Math.min(5000, Math.floor(q.limit)));
    return allow(`${base}?limit=${limit}${q.continue ? `&continue=${encodeURIComponent(q.continue)}` : ''}`);
  },
  watchEvents: (api: 'core/v1' | 'events.k8s.io/v1', resourceVersion: string, timeoutSeconds: number) => {
    const base = api === 'core/v1' ? '/api/v1/events' : '/apis/events.k8s.io/v1/events';
    const rv = /^[0-9]{1,20}$/.test(resourceVersion) ? resourceVersion : '0';
    return allow(`${base}?watch=1&allowWatchBookmarks=true&resourceVersion=${rv}&timeoutSeconds=${Math.floor(timeoutSeconds)}`);
  },
  kubernetesEndpoints: () => allow('/api/v1/namespaces/default/endpoints/kubernetes'),
  nodes: (q: { limit: number; continue?: string }) =>
    allow(`/api/v1/nodes?limit=${Math.max(1, Math.min(5000, q.limit))}${q.continue ? `&continue=${encodeURIComponent(q.continue)}` : ''}`),
  nodeLeases: (q: { limit: number; continue?: string }) =>
    allow(`/apis/coordination.k8s.io/v1/namespaces/kube-node-lease/leases?limit=${Math.max(1, Math.min(5000, q.limit))}${q.continue ? `&continue=${encodeURIComponent(q.continue)}` : ''}`),
  /** The pods bound to one node (for their tolerations, read only while the node is down). */
  podsOnNode: (node: string, q: { limit: number; continue?: string }) =>
    allow(`/api/v1/pods?fieldSelector=spec.nodeName%3D${check(DNS_SUBDOMAIN, 'node', node)}&limit=${Math.max(1, Math.min(5000, q.limit))}${q.continue ? `&continue=${encodeURIComponent(q.continue)}` : ''}`),
} as const;

export const _test = { DNS_LABEL };
