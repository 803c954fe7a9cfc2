// Who is asking, and may they: used by every API route (server/api/handler.ts), by the session
// route, and by proxy.ts for pages. Fails closed: a configuration that cannot be read denies.
import { cookieValue, CSRF_HEADER, roleAtLeast, SECURE_SESSION_COOKIE, SESSION_COOKIE, type Role } from '@/lib/auth/constants';
import { isLoopbackHost } from './bind';
import { authConfig, type AuthConfig } from './config';
import { verifyToken } from './password';
import { sessionKey, verifySession } from './session';
import { loadUsers } from './users';

export interface Principal {
  name: string;
  role: Role;
  /** open: loopback development mode; session: signed cookie; bearer: Authorization header. */
  via: 'open' | 'session' | 'bearer';
  /** The session's CSRF token (cookie sessions only). */
  csrf?: string;
}

/** What a route needs: a role, or nothing at all (health, sign-in). */
export type Need = Role | 'public';

export type Decision = { ok: true; principal: Principal | null } | { ok: false; status: 401 | 403 | 502; error: string };

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function isSafeMethod(method: string): boolean { return SAFE_METHODS.has(method.toUpperCase()); }

/** The role a route needs when it does not say: read for GET, responder for anything that writes. */
export function defaultNeed(method: string): Role { return isSafeMethod(method) ? 'viewer' : 'responder'; }

function first(v: string | null): string | undefined { return v?.split(',')[0]?.trim() || undefined; }

/** The Host the client used (X-Forwarded-Host only behind a trusted proxy). */
export function requestHost(req: Request, c: AuthConfig): string {
  return (c.trustProxy ? first(req.headers.get('x-forwarded-host')) : undefined) ?? req.headers.get('host') ?? new URL(req.url).host;
}

/** Whether the client reached us over HTTPS (as the ingress says, when trusted). */
export function requestIsHttps(req: Request, c: AuthConfig): boolean {
  const fwd = c.trustProxy ? first(req.headers.get('x-forwarded-proto')) : undefined;
  return (fwd ?? new URL(req.url).protocol.replace(':', '')) === 'https';
}

function hostnameOf(host: string): string {
  if (host.startsWith('[')) return host.slice(0, host.indexOf(']') + 1);
  const i = host.lastIndexOf(':');
  return i > 0 ? host.slice(0, i) : host;
}

/** Origins a browser may send state-changing requests from: this server as the client sees it. */
function allowedOrigins(req: Request, c: AuthConfig): Set<string> {
  const host = requestHost(req, c);
  const s = new Set([`http://${host}`, `https://${host}`]);
  if (c.publicOrigin) s.add(c.publicOrigin);
  return s;
}

/** Cross-site check for writes: a browser's Origin (or Referer) must be this server. */
function crossSite(req: Request, c: AuthConfig): string | null {
  if (isSafeMethod(req.method)) return null;
  const origin = req.headers.get('origin');
  const referer = req.headers.get('referer');
  let from: string | null = null;
  if (origin && origin !== 'null') from = origin;
  else if (origin === 'null') return 'cross-site request refused (Origin: null)';
  else if (referer) { try { from = new URL(referer).origin; } catch { return 'cross-site request refused (bad Referer)'; } }
  if (from && !allowedOrigins(req, c).has(from)) return `cross-site request refused: Origin ${from} is not this server`;
  return null;
}

function sessionCookie(req: Request): string | undefined {
  const h = req.headers.get('cookie');
  return cookieValue(h, SECURE_SESSION_COOKIE) ?? cookieValue(h, SESSION_COOKIE);
}

/** Modes whose bearer tokens are judged by someone else (the cluster, the OIDC provider): asynchronously. */
export function bearerIsRemote(c: Pick<AuthConfig, 'mode'>): boolean {
  return c.mode === 'kubernetes' || c.mode === 'oidc';
}

/** The bearer token of an `Authorization` header: undefined without one, null when malformed. */
export function bearerToken(req: Request, maxLength = 512): string | null | undefined {
  const authz = req.headers.get('authorization');
  if (!authz) return undefined;
  const m = new RegExp(`^Bearer\\s+(\\S{16,${maxLength}})$`, 'i').exec(authz.trim());
  return m ? m[1]! : null;
}

function sessionPrincipal(req: Request, c: AuthConfig): Principal | null {
  const s = verifySession(sessionKey(c), sessionCookie(req));
  if (!s) return null;
  if (c.mode === 'kubernetes' || c.mode === 'oidc') {
    // Who and what role were decided at sign-in by the cluster's RBAC or the provider's groups;
    // the session's short life (sessionHours) bounds how long a revoked grant is still honoured.
    return { name: s.sub, role: s.role, via: 'session', csrf: s.csrf };
  }
  // The file is the truth: a removed user's sessions end, a lowered role applies at once.
  const users = c.file ? loadUsers(c.file) : [];
  const u = users.find((x) => x.name === s.sub);
  if (!u) return null;
  const role = roleAtLeast(u.role, s.role) ? s.role : u.role;
  return { name: u.name, role, via: 'session', csrf: s.csrf };
}

/**
 * The caller, or null when unauthenticated (or the credentials are wrong, expired or revoked).
 * Synchronous: sessions, and the users file's tokens. In the kubernetes and oidc modes a bearer
 * token needs a remote check, so it yields null here (see `authorizeAsync`).
 */
export function authenticate(req: Request, c: AuthConfig = authConfig()): Principal | null {
  if (c.mode === 'none') return { name: 'local', role: 'admin', via: 'open' };
  const bearer = bearerToken(req, bearerIsRemote(c) ? 8192 : 512);
  if (bearer !== undefined) {
    if (bearer === null || bearerIsRemote(c)) return null;
    const users = c.file ? loadUsers(c.file) : [];
    const u = users.find((x) => x.hash.startsWith('sha256$') && verifyToken(bearer, x.hash));
    return u ? { name: u.name, role: u.role, via: 'bearer' } : null;
  }
  return sessionPrincipal(req, c);
}

/** Checks that come before who the caller is: open mode's loopback names, cross-site writes. */
function precheck(req: Request, c: AuthConfig): Decision | null {
  if (c.mode === 'none') {
    // Open mode serves loopback names only: a DNS-rebinding page cannot read it through evil.example.
    const host = hostnameOf(requestHost(req, c));
    if (!isLoopbackHost(host)) return { ok: false, status: 403, error: `open mode answers loopback hosts only, not ${host}` };
  }
  const cross = crossSite(req, c);
  return cross ? { ok: false, status: 403, error: cross } : null;
}

/** What the caller may do, once known: sign-in needed, CSRF on cookie writes, the role. */
function decide(req: Request, need: Need, principal: Principal | null): Decision {
  if (need === 'public') return { ok: true, principal };
  if (!principal) return { ok: false, status: 401, error: 'sign in first (or send Authorization: Bearer <token>)' };
  if (principal.via === 'session' && !isSafeMethod(req.method) && req.headers.get(CSRF_HEADER) !== principal.csrf) {
    return { ok: false, status: 403, error: `missing or wrong ${CSRF_HEADER} header (CSRF protection)` };
  }
  if (!roleAtLeast(principal.role, need)) return { ok: false, status: 403, error: `${principal.name} is a ${principal.role}; this needs ${need}` };
  return { ok: true, principal };
}

function failClosed(e: unknown): Decision {
  console.error('[kube-forensics] auth:', e instanceof Error ? e.message : e);
  return { ok: false, status: 401, error: 'authentication unavailable' };
}

/** The whole decision for one request and the role it needs (sessions and local tokens). */
export function authorize(req: Request, need: Need, c: AuthConfig = authConfig()): Decision {
  const pre = precheck(req, c);
  if (pre) return pre;
  let principal: Principal | null;
  try { principal = authenticate(req, c); } catch (e) { return failClosed(e); }
  return decide(req, need, principal);
}

/** Judges a bearer token remotely (the cluster's RBAC, the OIDC provider's keys). */
export type RemoteBearer = (token: string, c: AuthConfig) => Promise<Principal | null>;

/**
 * `authorize`, with bearer tokens of the kubernetes and oidc modes judged by `remote`: what the
 * API routes use (server/api/handler.ts). A remote failure is a 401 naming it, never an open door.
 */
export async function authorizeAsync(req: Request, need: Need, c: AuthConfig, remote: RemoteBearer): Promise<Decision> {
  const pre = precheck(req, c);
  if (pre) return pre;
  const bearer = bearerIsRemote(c) ? bearerToken(req, 8192) : undefined;
  if (typeof bearer !== 'string') return authorize(req, need, c);
  let principal: Principal | null;
  try { principal = await remote(bearer, c); } catch (e) {
    if (isAuthRejection(e)) return { ok: false, status: e.status, error: e.message };
    return failClosed(e);
  }
  return decide(req, need, principal);
}

/** A sign-in or bearer refused for a reason worth telling the caller (RBAC denies every role, …). */
export class AuthRejection extends Error {
  constructor(readonly status: 401 | 403 | 502, message: string) { super(message); this.name = 'AuthRejection'; }
}

/** By name, not instanceof: each route bundle may hold its own copy of the class. */
export function isAuthRejection(e: unknown): e is AuthRejection {
  return e instanceof Error && e.name === 'AuthRejection' && [401, 403, 502].includes((e as AuthRejection).status);
}
