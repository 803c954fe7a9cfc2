// Mode `kubernetes`: "use the caller's Kubernetes token, so cluster RBAC decides what each person
// sees". The caller's token (pasted at sign-in, or sent as a bearer by a script) is judged by the
// apiserver of one configured cluster, with the caller's own identity:
//  - who: a SelfSubjectReview (authentication.k8s.io v1beta1 from Kubernetes 1.27, v1 from 1.28); on older clusters the
//    claims of a JWT the apiserver has just accepted (service-account and OIDC tokens), else a
//    digest of the token;
//  - which role: a SelfSubjectAccessReview per role (DEFAULT_KUBERNETES_ROLES, configurable), the
//    strongest allowed wins. A token the cluster refuses (401) or that RBAC allows nothing is refused.
// Both reviews are `create` calls that store nothing, made with the caller's token (kube-forensics
// needs no TokenReview permission), by this client only: its own user agent, two fixed paths, a
// small body built here, a 5 s timeout and a 64 KiB answer cap. The recording transport stays GET-only.
// Answers are cached for a minute per token digest (refusals for 10 s), so a script's bearer does
// not cost the apiserver a review per request.
import 'server-only';
import crypto from 'node:crypto';
import https from 'node:https';
import { ROLES, type Role } from '@/lib/auth/constants';
import { AuthRejection, isAuthRejection, type Principal } from './authorize';
import type { AccessCheck, AuthConfig } from './config';

export const AUTHN_USER_AGENT = 'kube-forensics-authn/0.1';

/** Where tokens are judged: the cluster's address and how to trust it, never its credentials. */
export interface KubernetesAuthEndpoint {
  cluster: string;
  baseUrl: string;
  ca?: Buffer;
  rejectUnauthorized: boolean;
  servername?: string;
}

/** The only paths this client posts to. */
const REVIEW_PATHS = {
  selfSubjectReviewV1: '/apis/authentication.k8s.io/v1/selfsubjectreviews',
  selfSubjectReviewV1beta1: '/apis/authentication.k8s.io/v1beta1/selfsubjectreviews',
  selfSubjectAccessReview: '/apis/authorization.k8s.io/v1/selfsubjectaccessreviews',
} as const;
type ReviewPath = (typeof REVIEW_PATHS)[keyof typeof REVIEW_PATHS];

const TIMEOUT_MS = 5_000;
const MAX_ANSWER = 64 * 1024;

interface Answer { status: number; json: Record<string, unknown> | null }

function post(ep: KubernetesAuthEndpoint, path: ReviewPath, token: string, body: unknown): Promise<Answer> {
  const data = Buffer.from(JSON.stringify(body));
  const url = new URL(path, ep.baseUrl);
  return new Promise((resolve, reject) => {
    const req = https.request({
      protocol: url.protocol, hostname: url.hostname.replace(/^\[|\]$/g, ''), port: url.port || 443, path: url.pathname,
      method: 'POST', ca: ep.ca, rejectUnauthorized: ep.rejectUnauthorized, servername: ep.servername, agent: false,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', accept: 'application/json', 'content-length': data.length, 'user-agent': AUTHN_USER_AGENT },
      timeout: TIMEOUT_MS,
    }, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_ANSWER) { res.destroy(); reject(new Error(`${path}: answer larger than ${MAX_ANSWER} bytes`)); return; }
        chunks.push(c);
      });
      res.on('end', () => {
        let json: Record<string, unknown> | null = null;
        try { json = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>; } catch { /* not JSON */ }
        resolve({ status: res.statusCode ?? 0, json });
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`${path}: no answer within ${TIMEOUT_MS} ms`)));
    req.on('error', reject);
    req.end(data);
  });
}

function unreachable(ep: KubernetesAuthEndpoint, e: unknown): AuthRejection {
  return new AuthRejection(502, `the cluster ${ep.cluster} could not judge the token: ${e instanceof Error ? e.message : String(e)}`);
}

const refusedToken = (ep: KubernetesAuthEndpoint) => new AuthRejection(401, `the cluster ${ep.cluster} does not accept this token (expired, revoked or not a token of this cluster)`);

/** The name of a JWT's subject, read only after the apiserver accepted the token. */
export function nameFromJwt(token: string): string | undefined {
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  let claims: Record<string, unknown>;
  try { claims = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as Record<string, unknown>; } catch { return undefined; }
  const str = (v: unknown) => (typeof v === 'string' && v.length > 0 && v.length <= 256 ? v : undefined);
  const sub = str(claims.sub);
  if (sub?.startsWith('system:serviceaccount:')) return sub;
  // Legacy Secret-based service-account tokens.
  const ns = str(claims['kubernetes.io/serviceaccount/namespace']);
  const sa = str(claims['kubernetes.io/serviceaccount/service-account.name']);
  if (ns && sa) return `system:serviceaccount:${ns}:${sa}`;
  return str(claims.email) ?? str(claims.preferred_username) ?? sub;
}

const digest = (token: string) => crypto.createHash('sha256').update(token).digest('hex');

/** Who the token is: SelfSubjectReview where the cluster has it, else the JWT's subject, else a digest. */
async function whoAmI(ep: KubernetesAuthEndpoint, token: string): Promise<string> {
  for (const [path, apiVersion] of [[REVIEW_PATHS.selfSubjectReviewV1, 'authentication.k8s.io/v1'], [REVIEW_PATHS.selfSubjectReviewV1beta1, 'authentication.k8s.io/v1beta1']] as const) {
    const a = await post(ep, path, token, { apiVersion, kind: 'SelfSubjectReview' });
    if (a.status === 401) throw refusedToken(ep);
    if (a.status === 201 || a.status === 200) {
      const info = (a.json?.status as { userInfo?: { username?: unknown } } | undefined)?.userInfo;
      if (typeof info?.username === 'string' && info.username) return info.username;
    }
    // 404: an older cluster without the API; 403: not allowed to ask. Try the next way.
  }
  return nameFromJwt(token) ?? `token:${digest(token).slice(0, 12)}`;
}

function accessReview(check: AccessCheck): Record<string, unknown> {
  const spec = 'nonResourceURL' in check
    ? { nonResourceAttributes: { path: check.nonResourceURL, verb: check.verb } }
    : { resourceAttributes: { verb: check.verb, group: check.group ?? '', resource: check.resource, ...(check.namespace ? { namespace: check.namespace } : {}) } };
  return { apiVersion: 'authorization.k8s.io/v1', kind: 'SelfSubjectAccessReview', spec };
}

/** `kubectl auth can-i` words for a check, for messages. */
export function describeCheck(c: AccessCheck): string {
  if ('nonResourceURL' in c) return `${c.verb} ${c.nonResourceURL}`;
  return `${c.verb} ${c.resource}${c.group && c.group !== '' ? `.${c.group}` : ''}${c.namespace ? ` in ${c.namespace}` : ' (all namespaces)'}`;
}

async function allowed(ep: KubernetesAuthEndpoint, token: string, check: AccessCheck): Promise<boolean> {
  const a = await post(ep, REVIEW_PATHS.selfSubjectAccessReview, token, accessReview(check));
  if (a.status === 401) throw refusedToken(ep);
  if (a.status !== 201 && a.status !== 200) throw new Error(`SelfSubjectAccessReview: HTTP ${a.status}${typeof a.json?.message === 'string' ? `: ${a.json.message}` : ''}`);
  return (a.json?.status as { allowed?: unknown } | undefined)?.allowed === true;
}

/** The token's name and strongest role, or an AuthRejection saying why not. Uncached. */
export async function judgeToken(ep: KubernetesAuthEndpoint, token: string, roles: Record<Role, AccessCheck>): Promise<{ name: string; role: Role }> {
  let name: string;
  let grants: boolean[];
  try {
    [name, grants] = await Promise.all([whoAmI(ep, token), Promise.all(ROLES.map((r) => allowed(ep, token, roles[r])))]);
  } catch (e) {
    if (isAuthRejection(e)) throw e;
    throw unreachable(ep, e);
  }
  for (let i = ROLES.length - 1; i >= 0; i--) if (grants[i]) return { name, role: ROLES[i]! };
  throw new AuthRejection(403, `${name} may not ${describeCheck(roles.viewer)} on ${ep.cluster}, which viewers of kube-forensics need (RBAC decides)`);
}

const OK_TTL_MS = 60_000;
const REFUSED_TTL_MS = 10_000;
const MAX_CACHED = 1000;
const cache = new Map<string, { until: number; result: Promise<{ name: string; role: Role }> }>();

/** `judgeToken` cached per token digest: a minute for an answer, 10 s for a refusal, one review in flight per token. */
export function judgeTokenCached(ep: KubernetesAuthEndpoint, token: string, roles: Record<Role, AccessCheck>, now = Date.now()): Promise<{ name: string; role: Role }> {
  const key = `${ep.cluster}\u0000${digest(token)}`;
  const hit = cache.get(key);
  if (hit && hit.until > now) return hit.result;
  if (cache.size >= MAX_CACHED) {
    for (const [k, v] of cache) if (v.until <= now) cache.delete(k);
    while (cache.size >= MAX_CACHED) cache.delete(cache.keys().next().value!);
  }
  const result = judgeToken(ep, token, roles);
  const entry = { until: now + OK_TTL_MS, result };
  cache.set(key, entry);
  result.catch((e: unknown) => {
    // A refusal is remembered briefly; a cluster that could not answer is asked again next time.
    if (isAuthRejection(e) && e.status !== 502) entry.until = Date.now() + REFUSED_TTL_MS;
    else cache.delete(key);
  });
  return result;
}

export function _clearTokenCache(): void { cache.clear(); }

/** The configured cluster's endpoint, from the live clusters the runtime knows. */
export type EndpointLookup = (c: AuthConfig) => Promise<KubernetesAuthEndpoint>;

/** A bearer token of the kubernetes mode, as a principal (RemoteBearer). */
export async function kubernetesBearer(token: string, c: AuthConfig, endpoint: EndpointLookup): Promise<Principal> {
  const ep = await endpoint(c);
  const r = await judgeTokenCached(ep, token, c.kubernetes.roles);
  return { name: r.name, role: r.role, via: 'bearer' };
}
