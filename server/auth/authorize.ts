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

export type Decision = { ok: true; principal: Principal | null } | { ok: false; status: 401 | 403; error: string };

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

/** The caller, or null when unauthenticated (or the credentials are wrong, expired or revoked). */
export function authenticate(req: Request, c: AuthConfig = authConfig()): Principal | null {
  if (c.mode === 'none') return { name: 'local', role: 'admin', via: 'open' };
  if (c.mode !== 'token' && c.mode !== 'password') return null;
  const users = c.file ? loadUsers(c.file) : [];
  const authz = req.headers.get('authorization');
  if (authz) {
    const m = /^Bearer\s+(\S{16,512})$/i.exec(authz.trim());
    if (!m) return null;
    const u = users.find((x) => x.hash.startsWith('sha256$') && verifyToken(m[1]!, x.hash));
    return u ? { name: u.name, role: u.role, via: 'bearer' } : null;
  }
  const s = verifySession(sessionKey(c), sessionCookie(req));
  if (!s) return null;
  // The file is the truth: a removed user's sessions end, a lowered role applies at once.
  const u = users.find((x) => x.name === s.sub);
  if (!u) return null;
  const role = roleAtLeast(u.role, s.role) ? s.role : u.role;
  return { name: u.name, role, via: 'session', csrf: s.csrf };
}

/** The whole decision for one request and the role it needs. */
export function authorize(req: Request, need: Need, c: AuthConfig = authConfig()): Decision {
  if (c.mode === 'none') {
    // Open mode serves loopback names only: a DNS-rebinding page cannot read it through evil.example.
    const host = hostnameOf(requestHost(req, c));
    if (!isLoopbackHost(host)) return { ok: false, status: 403, error: `open mode answers loopback hosts only, not ${host}` };
  }
  const cross = crossSite(req, c);
  if (cross) return { ok: false, status: 403, error: cross };
  let principal: Principal | null;
  try { principal = authenticate(req, c); } catch (e) {
    console.error('[kube-forensics] auth:', e instanceof Error ? e.message : e);
    return { ok: false, status: 401, error: 'authentication unavailable' };
  }
  if (need === 'public') return { ok: true, principal };
  if (!principal) return { ok: false, status: 401, error: 'sign in first (or send Authorization: Bearer <token>)' };
  if (principal.via === 'session' && !isSafeMethod(req.method) && req.headers.get(CSRF_HEADER) !== principal.csrf) {
    return { ok: false, status: 403, error: `missing or wrong ${CSRF_HEADER} header (CSRF protection)` };
  }
  if (!roleAtLeast(principal.role, need)) return { ok: false, status: 403, error: `${principal.name} is a ${principal.role}; this needs ${need}` };
  return { ok: true, principal };
}
