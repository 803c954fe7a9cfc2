// The audit event as kube-apiserver writes it with `--audit-log-format=json`: one JSON-encoded
// `audit.k8s.io/v1` (or, up to 1.23, `v1beta1`) Event per line
// (k8s.io/apiserver/plugin/pkg/audit/log/backend.go logEvent; types in
// k8s.io/apiserver/pkg/apis/audit/v1/types.go). v1beta1 has the same fields plus `metadata` and
// `timestamp`, which we ignore. Unknown fields are ignored too (`authenticationMetadata`, 1.35+).
//
// We read only the fields the analysis needs and check their types, so a hostile line cannot put a
// non-string where a string is expected. Bodies (`requestObject`, `responseObject`) are kept as
// `unknown`: only the policy analyzer measures them and only lib/audit/redact.ts shows them.

/**
 * What to show for an error response without a message: below RequestResponse the apiserver copies
 * only the status, reason and code of a Status into `responseStatus` (audit.LogResponseObject keeps
 * "the bounded fields"), so a Metadata-level log says 500 and not why.
 */
export const NO_AUDIT_MESSAGE = 'no message (below RequestResponse only the code is logged)';

export const LEVELS = ['None', 'Metadata', 'Request', 'RequestResponse'] as const;
export type AuditLevel = (typeof LEVELS)[number];
export const STAGES = ['RequestReceived', 'ResponseStarted', 'ResponseComplete', 'Panic'] as const;
export type AuditStage = (typeof STAGES)[number];

export interface AuditUser {
  username: string;
  groups: string[];
}

export interface AuditObjectRef {
  resource: string;
  namespace: string;
  name: string;
  apiGroup: string;
  apiVersion: string;
  subresource: string;
}

export interface AuditEvent {
  apiVersion: string;
  level: AuditLevel;
  auditID: string;
  stage: AuditStage;
  requestURI: string;
  verb: string;
  user: AuditUser;
  impersonatedUser: AuditUser | null;
  sourceIPs: string[];
  /** '' when the client sent none (the key is then absent from the event). */
  userAgent: string;
  /** null for non-resource requests (/healthz, /version, /metrics…). */
  objectRef: AuditObjectRef | null;
  /** null until the response is known (RequestReceived) and for some long-running requests. */
  responseStatus: { code: number; message: string; reason: string } | null;
  requestObject: unknown;
  responseObject: unknown;
  /** Microseconds since the epoch (MicroTime); NaN when unreadable. */
  requestReceivedUs: number;
  stageUs: number;
  annotations: Record<string, string>;
}

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const strs = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : []);

function user(v: unknown): AuditUser | null {
  if (!isObj(v)) return null;
  return { username: str(v.username), groups: strs(v.groups) };
}

/**
 * Parses a metav1.MicroTime (RFC 3339 with up to 9 fractional digits, as Go's time.RFC3339Nano
 * writes it) to microseconds since the epoch. Date.parse keeps only milliseconds, and latencies of
 * a local apiserver are often below one.
 */
export function parseMicroTime(s: string): number {
  const m = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/.exec(s);
  if (!m) return Number.NaN;
  const seconds = Date.parse(`${m[1]}${m[3]}`);
  if (Number.isNaN(seconds)) return Number.NaN;
  const frac = m[2] ? Number((m[2] + '000000').slice(0, 6)) : 0;
  return seconds * 1000 + frac;
}

/** Why a JSON value is not an audit event, or the event. */
export function toAuditEvent(v: unknown): AuditEvent | string {
  if (!isObj(v)) return 'not a JSON object';
  const apiVersion = str(v.apiVersion);
  if (v.kind !== 'Event' || !apiVersion.startsWith('audit.k8s.io/')) return `not an audit event (kind ${JSON.stringify(v.kind ?? null)}, apiVersion ${JSON.stringify(v.apiVersion ?? null)})`;
  if (apiVersion !== 'audit.k8s.io/v1' && apiVersion !== 'audit.k8s.io/v1beta1') return `unsupported audit apiVersion ${apiVersion} (audit.k8s.io/v1 and v1beta1 are read)`;
  const stage = str(v.stage) as AuditStage;
  if (!STAGES.includes(stage)) return `unknown stage ${JSON.stringify(v.stage ?? null)}`;
  const level = str(v.level) as AuditLevel;
  if (!LEVELS.includes(level)) return `unknown level ${JSON.stringify(v.level ?? null)}`;
  const u = user(v.user);
  if (!u) return 'no user';
  let objectRef: AuditObjectRef | null = null;
  if (isObj(v.objectRef)) {
    const o = v.objectRef;
    objectRef = { resource: str(o.resource), namespace: str(o.namespace), name: str(o.name), apiGroup: str(o.apiGroup), apiVersion: str(o.apiVersion), subresource: str(o.subresource) };
  }
  let responseStatus: AuditEvent['responseStatus'] = null;
  if (isObj(v.responseStatus)) {
    const s = v.responseStatus;
    // 1.20 leaves responseStatus.message empty on errors; at RequestResponse level the message is
    // in the response body, a metav1.Status (e.g. `etcdserver: mvcc: database space exceeded`).
    let message = str(s.message);
    if (message === '' && isObj(v.responseObject) && v.responseObject.kind === 'Status') message = str(v.responseObject.message);
    responseStatus = { code: typeof s.code === 'number' && Number.isFinite(s.code) ? s.code : 0, message, reason: str(s.reason) };
  }
  const annotations: Record<string, string> = {};
  if (isObj(v.annotations)) for (const [k, val] of Object.entries(v.annotations)) if (typeof val === 'string') annotations[k] = val;
  const received = str(v.requestReceivedTimestamp);
  const stageTs = str(v.stageTimestamp);
  return {
    apiVersion, level, stage, auditID: str(v.auditID), requestURI: str(v.requestURI), verb: str(v.verb),
    user: u, impersonatedUser: user(v.impersonatedUser), sourceIPs: strs(v.sourceIPs), userAgent: str(v.userAgent),
    objectRef, responseStatus, requestObject: v.requestObject, responseObject: v.responseObject,
    requestReceivedUs: parseMicroTime(received), stageUs: parseMicroTime(stageTs || received), annotations,
  };
}

/** `group/resource[/subresource]` with `core` for the empty group, as tables show it. */
export function resourceKey(ref: AuditObjectRef | null): string {
  if (!ref || ref.resource === '') return '(non-resource)';
  return `${ref.apiGroup === '' ? 'core' : ref.apiGroup}/${ref.resource}${ref.subresource ? `/${ref.subresource}` : ''}`;
}

/** The request path without its query (what nonResourceURLs rules match). */
export function requestPath(requestURI: string): string {
  const q = requestURI.indexOf('?');
  return q < 0 ? requestURI : requestURI.slice(0, q);
}
