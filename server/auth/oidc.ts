// Mode `oidc`: sign-in through an OpenID Connect provider (Keycloak, Dex, Entra ID, Okta, Google…)
// with openid-client: the authorization code flow with PKCE (S256), state and nonce, the ID token
// checked by the library (signature, issuer, audience, expiry, nonce). The person's name comes from
// `usernameClaim`, their role from the groups in `groupsClaim` (the ID token, else the userinfo
// endpoint) mapped in `auth.oidc.roles`, the strongest winning. What must survive the round trip
// to the provider (PKCE verifier, state, nonce, where to go back) rides in a signed, httpOnly,
// 10-minute cookie scoped to the callback path: the server keeps no per-login state.
// Scripts may send an ID token from the same provider as a bearer: verified with the provider's
// published keys (jose), issuer and audience (the client id) checked.
import 'server-only';
import crypto from 'node:crypto';
import { createRemoteJWKSet, jwtVerify, type JWTPayload } from 'jose';
import * as oidc from 'openid-client';
import { ROLES, roleAtLeast, type Role } from '@/lib/auth/constants';
import { AuthRejection, requestIsHttps, type Principal } from './authorize';
import type { AuthConfig, OidcAuthConfig } from './config';
import { sessionKey } from './session';

/** Where the provider sends browsers back; also the route that starts a sign-in. */
export const OIDC_CALLBACK_PATH = '/api/session/oidc';
export const OIDC_STATE_COOKIE = 'kf_oidc';
const STATE_TTL_MS = 10 * 60_000;
const DISCOVERY_TTL_MS = 60 * 60_000;

const configs = new Map<string, { until: number; config: Promise<oidc.Configuration> }>();

/** The provider's metadata (discovery), cached for an hour; a failed discovery is retried on the next sign-in. */
export function providerConfig(o: OidcAuthConfig, now = Date.now()): Promise<oidc.Configuration> {
  const key = `${o.issuer}\u0000${o.clientId}`;
  const hit = configs.get(key);
  if (hit && hit.until > now) return hit.config;
  const config = oidc.discovery(new URL(o.issuer), o.clientId, undefined, o.clientSecret ? oidc.ClientSecretPost(o.clientSecret) : oidc.None(), { timeout: 10 });
  configs.set(key, { until: now + DISCOVERY_TTL_MS, config });
  config.catch(() => configs.delete(key));
  return config;
}

export function redirectUri(c: AuthConfig): string {
  return `${c.publicOrigin}${OIDC_CALLBACK_PATH}`;
}

interface Transaction { v: string; s: string; n: string; next: string; exp: number }

const mac = (key: Buffer, data: string) => crypto.createHmac('sha256', key).update(`oidc\u0000${data}`).digest('base64url');

function sealTransaction(c: AuthConfig, t: Transaction): string {
  const body = Buffer.from(JSON.stringify(t)).toString('base64url');
  return `${body}.${mac(sessionKey(c), body)}`;
}

function openTransaction(c: AuthConfig, value: string | undefined, now = Date.now()): Transaction | null {
  if (!value || value.length > 2048) return null;
  const [body, sig] = value.split('.');
  if (!body || !sig) return null;
  const want = Buffer.from(mac(sessionKey(c), body));
  const got = Buffer.from(sig);
  if (want.length !== got.length || !crypto.timingSafeEqual(want, got)) return null;
  try {
    const t = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Transaction;
    return typeof t.v === 'string' && typeof t.s === 'string' && typeof t.n === 'string' && typeof t.next === 'string' && t.exp > now ? t : null;
  } catch { return null; }
}

function stateCookie(req: Request, c: AuthConfig, value: string, maxAgeS: number): string {
  const secure = c.cookieSecure === 'always' || (c.cookieSecure === 'auto' && requestIsHttps(req, c));
  // Lax: the provider's redirect back is a top-level GET from another site, which Lax lets through.
  return `${OIDC_STATE_COOKIE}=${value}; HttpOnly; SameSite=Lax; Path=${OIDC_CALLBACK_PATH}; Max-Age=${maxAgeS}${secure ? '; Secure' : ''}`;
}

/** Only same-site paths after sign-in (no open redirect to another origin). */
export function safeNext(v: string | null | undefined): string {
  const s = v ?? '/';
  return s.startsWith('/') && !s.startsWith('//') && !s.startsWith('/\\') ? s.slice(0, 2048) : '/';
}

/** Starts a sign-in: the provider's authorization URL, and the cookie carrying the checks. */
export async function beginSignIn(req: Request, c: AuthConfig, next: string, now = Date.now()): Promise<{ location: string; cookie: string }> {
  const o = c.oidc!;
  const config = await providerConfig(o);
  const t: Transaction = { v: oidc.randomPKCECodeVerifier(), s: oidc.randomState(), n: oidc.randomNonce(), next: safeNext(next), exp: now + STATE_TTL_MS };
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: redirectUri(c), scope: o.scopes.join(' '), response_type: 'code',
    code_challenge: await oidc.calculatePKCECodeChallenge(t.v), code_challenge_method: 'S256', state: t.s, nonce: t.n,
  });
  return { location: url.href, cookie: stateCookie(req, c, sealTransaction(c, t), STATE_TTL_MS / 1000) };
}

export function clearedStateCookie(req: Request, c: AuthConfig): string { return stateCookie(req, c, '', 0); }

function claimString(claims: Record<string, unknown>, name: string): string | undefined {
  const v = claims[name];
  return typeof v === 'string' && v.length > 0 ? v.slice(0, 256) : undefined;
}

/** Groups from a claim: a list of strings, or one string (some providers send a single group so). */
export function claimGroups(claims: Record<string, unknown>, name: string): string[] | undefined {
  const v = claims[name];
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string');
  if (typeof v === 'string') return [v];
  return undefined;
}

/** The strongest role any of the groups maps to, else the default role, else null. */
export function roleForGroups(o: Pick<OidcAuthConfig, 'roles' | 'defaultRole'>, groups: readonly string[]): Role | null {
  let best: Role | null = null;
  for (const r of ROLES) if (o.roles[r].some((g) => groups.includes(g)) && (!best || roleAtLeast(r, best))) best = r;
  return best ?? o.defaultRole ?? null;
}

function principalFrom(o: OidcAuthConfig, claims: Record<string, unknown>, groups: string[]): { name: string; role: Role } {
  const name = claimString(claims, o.usernameClaim) ?? claimString(claims, 'email') ?? claimString(claims, 'sub');
  if (!name) throw new AuthRejection(401, 'the provider named nobody (no subject in the ID token)');
  const role = roleForGroups(o, groups);
  if (!role) {
    throw new AuthRejection(403, `${name} is in none of the groups mapped to a kube-forensics role (${o.groupsClaim}: ${groups.length ? groups.slice(0, 10).join(', ') : 'none'})`);
  }
  return { name, role };
}

/**
 * Finishes a sign-in on the provider's redirect: checks state, PKCE and the ID token, maps the
 * groups to a role. Throws AuthRejection (401/403) or the library's error.
 */
export async function finishSignIn(req: Request, c: AuthConfig, cookieValue: string | undefined): Promise<{ name: string; role: Role; next: string }> {
  const o = c.oidc!;
  const t = openTransaction(c, cookieValue);
  if (!t) throw new AuthRejection(401, 'this sign-in expired or was started in another browser: start again');
  const config = await providerConfig(o);
  // The URL the provider sent the browser to, as the provider knows it (behind an ingress too).
  const here = new URL(req.url);
  const current = new URL(`${redirectUri(c)}${here.search}`);
  const tokens = await oidc.authorizationCodeGrant(config, current, { pkceCodeVerifier: t.v, expectedState: t.s, expectedNonce: t.n, idTokenExpected: true });
  let claims = (tokens.claims() ?? {}) as Record<string, unknown>;
  // Many providers put profile and group claims in the userinfo answer only (OIDC Core 5.4).
  if ((claims[o.usernameClaim] === undefined || claims[o.groupsClaim] === undefined) && config.serverMetadata().userinfo_endpoint && typeof claims.sub === 'string') {
    const info = (await oidc.fetchUserInfo(config, tokens.access_token, claims.sub)) as Record<string, unknown>;
    // The signed ID token's claims win; userinfo fills what it lacks (its subject checked to match).
    claims = { ...info, ...claims };
  }
  const groups = claimGroups(claims, o.groupsClaim);
  return { ...principalFrom(o, claims, groups ?? []), next: t.next };
}

const keySets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

/** A bearer ID token from the provider (scripts): signature by the provider's keys, issuer, audience, expiry. */
export async function oidcBearer(token: string, c: AuthConfig): Promise<Principal> {
  const o = c.oidc!;
  if (token.split('.').length !== 3) throw new AuthRejection(401, 'an OIDC bearer must be an ID token (a JWT) from the configured provider');
  let config: oidc.Configuration;
  try { config = await providerConfig(o); } catch (e) { throw new AuthRejection(502, `the OIDC provider could not be reached: ${e instanceof Error ? e.message : String(e)}`); }
  const meta = config.serverMetadata();
  if (!meta.jwks_uri) throw new AuthRejection(502, 'the OIDC provider publishes no keys (jwks_uri)');
  let keys = keySets.get(meta.jwks_uri);
  if (!keys) { keys = createRemoteJWKSet(new URL(meta.jwks_uri), { timeoutDuration: 5000, cooldownDuration: 30_000 }); keySets.set(meta.jwks_uri, keys); }
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(token, keys, { issuer: meta.issuer, audience: o.clientId, clockTolerance: 30 }));
  } catch (e) {
    throw new AuthRejection(401, `the bearer token was refused: ${e instanceof Error ? e.message : String(e)}`);
  }
  const claims = payload as Record<string, unknown>;
  const r = principalFrom(o, claims, claimGroups(claims, o.groupsClaim) ?? []);
  return { ...r, via: 'bearer' };
}
