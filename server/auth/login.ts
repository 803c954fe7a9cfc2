// Sign-in and sign-out: checks a password (scrypt) or a token against the users file, rate-limits
// failures, and sets the session and CSRF cookies.
import crypto from 'node:crypto';
import { CSRF_COOKIE, SECURE_SESSION_COOKIE, SESSION_COOKIE, type Role } from '@/lib/auth/constants';
import { isAuthRejection, requestIsHttps } from './authorize';
import type { AuthConfig } from './config';
import { verifyPassword, verifyToken } from './password';
import { newSession, sessionKey, signSession, type Session } from './session';
import { loadUsers, type UserEntry } from './users';

/** Failed sign-ins: at most 10 per name and 50 overall per 5 minutes. */
const WINDOW_MS = 5 * 60_000;
const failures = new Map<string, number[]>();
function recent(key: string, now: number): number[] {
  const l = (failures.get(key) ?? []).filter((t) => now - t < WINDOW_MS);
  failures.set(key, l);
  return l;
}
export function loginThrottled(name: string, now = Date.now()): boolean {
  return recent(`u:${name}`, now).length >= 10 || recent('*', now).length >= 50;
}
function recordFailure(name: string, now: number): void {
  recent(`u:${name}`, now).push(now);
  recent('*', now).push(now);
}
export function _resetLoginThrottle(): void { failures.clear(); }

/** A dummy hash so an unknown name costs as much as a wrong password (no user enumeration by timing). */
const DUMMY = 'scrypt$32768$8$1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

export async function checkCredentials(c: AuthConfig, body: { username?: string; password?: string; token?: string }): Promise<UserEntry | null> {
  const users = c.file ? loadUsers(c.file) : [];
  if (body.token) return users.find((u) => u.hash.startsWith('sha256$') && verifyToken(body.token!, u.hash)) ?? null;
  if (c.mode !== 'password' || !body.username || !body.password) return null;
  const u = users.find((x) => x.name === body.username && x.hash.startsWith('scrypt$'));
  const ok = await verifyPassword(body.password, u?.hash ?? DUMMY);
  return ok && u ? u : null;
}

export type LoginResult = { ok: true; session: Session; cookies: string[] } | { ok: false; status: 400 | 401 | 403 | 429 | 502; error: string };

export async function login(req: Request, c: AuthConfig, body: { username?: string; password?: string; token?: string }, now = Date.now()): Promise<LoginResult> {
  if (c.mode !== 'token' && c.mode !== 'password') return { ok: false, status: 400, error: `sign-in with a name, password or kube-forensics token is not used in ${c.mode} mode` };
  const name = body.username ?? (body.token ? 'token' : '');
  if (loginThrottled(name, now)) return { ok: false, status: 429, error: 'too many failed sign-ins; wait a few minutes' };
  const u = await checkCredentials(c, body);
  if (!u) { recordFailure(name, now); return { ok: false, status: 401, error: c.mode === 'password' ? 'wrong user name or password' : 'unknown token' }; }
  return issueSession(req, c, u.name, u.role, now);
}

/** A new signed session for someone already judged (users file, the cluster's RBAC, the OIDC provider). */
export function issueSession(req: Request, c: AuthConfig, name: string, role: Role, now = Date.now()): { ok: true; session: Session; cookies: string[] } {
  const session = newSession(name, role, c.sessionMs, now);
  return { ok: true, session, cookies: sessionCookies(req, c, signSession(sessionKey(c), session), session.csrf, Math.floor(c.sessionMs / 1000)) };
}

/**
 * Sign-in with a Kubernetes token (mode kubernetes): the cluster says who it is and RBAC which
 * role (server/auth/kubernetes.ts). Failures are throttled as for passwords.
 */
export async function kubernetesLogin(
  req: Request, c: AuthConfig, token: string | undefined,
  judge: (token: string) => Promise<{ name: string; role: Role }>, now = Date.now(),
): Promise<LoginResult> {
  if (!token) return { ok: false, status: 400, error: 'paste a Kubernetes token (for example: kubectl create token NAME, or the token in your kubeconfig)' };
  // Throttled per token (10 failures) and overall (50), as passwords are per name: one person's
  // bad token does not lock the others out, and a flood of them does not reach the apiserver.
  const key = `kubernetes:${crypto.createHash('sha256').update(token).digest('hex').slice(0, 16)}`;
  if (loginThrottled(key, now)) return { ok: false, status: 429, error: 'too many failed sign-ins; wait a few minutes' };
  try {
    const r = await judge(token);
    return issueSession(req, c, r.name, r.role, now);
  } catch (e) {
    if (isAuthRejection(e)) {
      if (e.status !== 502) recordFailure(key, now);
      return { ok: false, status: e.status, error: e.message };
    }
    throw e;
  }
}

function secure(req: Request, c: AuthConfig): boolean {
  return c.cookieSecure === 'always' || (c.cookieSecure === 'auto' && requestIsHttps(req, c));
}

/** Set-Cookie values: the httpOnly signed session (SameSite=Lax) and the script-readable CSRF token (Strict). */
export function sessionCookies(req: Request, c: AuthConfig, value: string, csrf: string, maxAgeS: number): string[] {
  const sec = secure(req, c);
  const name = sec ? SECURE_SESSION_COOKIE : SESSION_COOKIE;
  const tail = `Path=/; Max-Age=${maxAgeS}${sec ? '; Secure' : ''}`;
  return [
    `${name}=${value}; HttpOnly; SameSite=Lax; ${tail}`,
    `${CSRF_COOKIE}=${csrf}; SameSite=Strict; ${tail}`,
  ];
}

export function clearedCookies(req: Request, c: AuthConfig): string[] {
  const sec = secure(req, c) ? '; Secure' : '';
  return [SESSION_COOKIE, SECURE_SESSION_COOKIE, CSRF_COOKIE].map((n) => `${n}=; Path=/; Max-Age=0${n.startsWith('__Host-') ? '; Secure' : sec}`);
}
