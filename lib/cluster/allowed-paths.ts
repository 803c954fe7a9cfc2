/**
 * The allow-list of request paths kube-forensics may send to a cluster, as patterns (pure: the
 * transport checks every request against it, and the tests check the apiserver's audit log with
 * it). The builders that make these paths are server-only: server/cluster/paths.ts.
 */
/** A path one of the builders made (or that passed `isAllowedPath`). */
export type AllowedPath = string & { readonly __allowed: unique symbol };

/**
 * The allow-list as patterns, for the transport's runtime check: the brand above is a
 * compile-time promise only (a cast defeats it), so every request path is matched against these
 * before anything is sent. One pattern per builder, anchored, query strings included.
 */
const NAME = '[a-z0-9](?:[-a-z0-9.]{0,251}[a-z0-9])?';
const VER = 'v[0-9]+(?:(?:alpha|beta)[0-9]+)?';
const LIMIT = 'limit=[1-9][0-9]{0,3}';
const CONT = "(?:&continue=[A-Za-z0-9%._~!*'()-]{1,4096})?";
const EVENTS = '(?:/api/v1/events|/apis/events\\.k8s\\.io/v1/events)';
export const ALLOWED_PATH_PATTERNS: readonly RegExp[] = [
  /^\/version$/,
  /^\/metrics$/,
  /^\/(?:readyz|livez)\?verbose$/,
  /^\/debug\/pprof\/goroutine\?debug=[12]$/,
  /^\/debug\/pprof\/heap$/,
  /^\/api\/v1$/,
  /^\/apis$/,
  new RegExp(`^/apis/${NAME}/${VER}$`),
  new RegExp(`^(?:/api/${VER}|/apis/${NAME}/${VER})/${NAME}\\?limit=1$`),
  new RegExp(`^${EVENTS}\\?${LIMIT}${CONT}$`),
  new RegExp(`^${EVENTS}\\?watch=1&allowWatchBookmarks=true&resourceVersion=[0-9]{1,20}&timeoutSeconds=[0-9]{1,5}$`),
  /^\/api\/v1\/namespaces\/default\/endpoints\/kubernetes$/,
  new RegExp(`^/api/v1/nodes\\?${LIMIT}${CONT}$`),
  new RegExp(`^/apis/coordination\\.k8s\\.io/v1/namespaces/kube-node-lease/leases\\?${LIMIT}${CONT}$`),
  new RegExp(`^/api/v1/pods\\?fieldSelector=spec\\.nodeName%3D${NAME}&${LIMIT}${CONT}$`),
];

/** True when `p` is a path one of the builders (server/cluster/paths.ts) can produce (and nothing else: no `..`, no host). */
export function isAllowedPath(p: string): p is AllowedPath {
  return typeof p === 'string' && p.length <= 8192 && !p.includes('..') && ALLOWED_PATH_PATTERNS.some((re) => re.test(p));
}
