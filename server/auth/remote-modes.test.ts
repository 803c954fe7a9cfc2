// The kubernetes and oidc modes' pure parts: configuration and its refusals, the role a person's
// groups give, the name a JWT gives, and the decision for a bearer judged remotely (a stub judge;
// the real ones are tested on the control plane and a real OIDC provider in test/integration).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CSRF_HEADER, SESSION_COOKIE } from '@/lib/auth/constants';
import { AuthRejection, authenticate, authorizeAsync, type Principal, type RemoteBearer } from './authorize';
import { DEFAULT_KUBERNETES_ROLES, loadAuthConfig, startupRefusal } from './config';
import { describeCheck, nameFromJwt } from './kubernetes';
import { claimGroups, roleForGroups, safeNext } from './oidc';
import { newSession, sessionKey, signSession } from './session';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kf-auth-remote-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const argv = ['node', 'next', 'start', '-H', '0.0.0.0'];

describe('configuration', () => {
  it('kubernetes mode: RBAC checks by default, one-hour sessions, a chosen cluster', () => {
    const c = loadAuthConfig({ KF_AUTH: 'kubernetes', KF_DATA_DIR: dir, KF_AUTH_KUBERNETES_CLUSTER: 'prod-eu' }, argv);
    expect(startupRefusal(c)).toBeNull();
    expect(c.sessionMs).toBe(3600_000);
    expect(c.kubernetes).toEqual({ cluster: 'prod-eu', roles: DEFAULT_KUBERNETES_ROLES });
    expect(loadAuthConfig({ KF_AUTH: 'kubernetes', KF_SESSION_HOURS: '8' }, argv).sessionMs).toBe(8 * 3600_000);
    expect(describeCheck(c.kubernetes.roles.viewer)).toBe('list events (all namespaces)');
    expect(describeCheck(c.kubernetes.roles.responder)).toBe('get /debug/pprof/');
  });

  it('kubernetes mode: role checks from the config file, validated', () => {
    const f = path.join(dir, 'k.yaml');
    fs.writeFileSync(f, 'auth:\n  mode: kubernetes\n  kubernetes:\n    roles:\n      viewer: { verb: get, resource: pods, namespace: ops }\n');
    expect(loadAuthConfig({ KF_CONFIG: f }, argv).kubernetes.roles).toEqual({ ...DEFAULT_KUBERNETES_ROLES, viewer: { verb: 'get', resource: 'pods', namespace: 'ops' } });
    fs.writeFileSync(f, 'auth:\n  mode: kubernetes\n  kubernetes:\n    roles:\n      viewer: { verb: get }\n');
    expect(() => loadAuthConfig({ KF_CONFIG: f }, argv)).toThrow(/auth: kubernetes\.roles\.viewer/);
  });

  it('oidc mode refuses to start half-configured, and says what is missing', () => {
    expect(startupRefusal(loadAuthConfig({ KF_AUTH: 'oidc' }, argv))).toMatch(/KF_OIDC_ISSUER and KF_OIDC_CLIENT_ID/);
    const base = { KF_AUTH: 'oidc', KF_OIDC_ISSUER: 'https://idp.example.com/realms/ops', KF_OIDC_CLIENT_ID: 'kf' };
    expect(startupRefusal(loadAuthConfig(base, argv))).toMatch(/KF_PUBLIC_URL/);
    expect(startupRefusal(loadAuthConfig({ ...base, KF_PUBLIC_URL: 'https://kf.example.com' }, argv))).toMatch(/maps no group/);
    const c = loadAuthConfig({ ...base, KF_PUBLIC_URL: 'https://kf.example.com', KF_OIDC_RESPONDER_GROUPS: 'sre, oncall', KF_OIDC_CLIENT_SECRET: 's3cret' }, argv);
    expect(startupRefusal(c)).toBeNull();
    expect(c.oidc).toMatchObject({ scopes: ['openid', 'profile', 'email', 'groups'], usernameClaim: 'preferred_username', groupsClaim: 'groups', roles: { viewer: [], responder: ['sre', 'oncall'], admin: [] }, clientSecret: 's3cret' });
    expect(c.sessionMs).toBe(12 * 3600_000);
  });
});

describe('oidc: groups to roles', () => {
  const o = { roles: { viewer: ['eng'], responder: ['sre'], admin: ['sre-leads'] }, defaultRole: undefined };
  it('the strongest mapped group wins; unmapped people get the default role or nothing', () => {
    expect(roleForGroups(o, ['eng', 'sre'])).toBe('responder');
    expect(roleForGroups(o, ['sre-leads', 'eng'])).toBe('admin');
    expect(roleForGroups(o, ['marketing'])).toBeNull();
    expect(roleForGroups({ ...o, defaultRole: 'viewer' }, [])).toBe('viewer');
    expect(roleForGroups({ ...o, defaultRole: 'viewer' }, ['sre'])).toBe('responder');
  });
  it('reads a groups claim as a list or a single string, ignoring non-strings', () => {
    expect(claimGroups({ groups: ['a', 3, 'b'] }, 'groups')).toEqual(['a', 'b']);
    expect(claimGroups({ roles: 'admins' }, 'roles')).toEqual(['admins']);
    expect(claimGroups({}, 'groups')).toBeUndefined();
  });
  it('returns only to same-site paths', () => {
    expect(safeNext('/clusters/x?range=1h')).toBe('/clusters/x?range=1h');
    for (const bad of ['//evil.example/', 'https://evil.example/', '/\\evil.example', null]) expect(safeNext(bad)).toBe('/');
  });
});

describe('kubernetes: the name in a token the cluster accepted', () => {
  const jwt = (claims: object) => `eyJhbGciOiJSUzI1NiJ9.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.c2ln`;
  it('bound and legacy service-account tokens, OIDC tokens, and opaque tokens', () => {
    expect(nameFromJwt(jwt({ sub: 'system:serviceaccount:ops:looker', email: 'x@y' }))).toBe('system:serviceaccount:ops:looker');
    expect(nameFromJwt(jwt({ sub: 'system:serviceaccount:ops:old', 'kubernetes.io/serviceaccount/namespace': 'ops' }))).toBe('system:serviceaccount:ops:old');
    expect(nameFromJwt(jwt({ 'kubernetes.io/serviceaccount/namespace': 'ops', 'kubernetes.io/serviceaccount/service-account.name': 'legacy' }))).toBe('system:serviceaccount:ops:legacy');
    expect(nameFromJwt(jwt({ sub: '0a1b2c', email: 'rita@example.com' }))).toBe('rita@example.com');
    expect(nameFromJwt('abcdef0123456789.static-token')).toBeUndefined();
    expect(nameFromJwt('a.not-base64-json.c')).toBeUndefined();
  });
});

describe('a bearer judged remotely', () => {
  const c = loadAuthConfig({ KF_AUTH: 'kubernetes', KF_DATA_DIR: dir }, argv);
  const TOKEN = 'eyJhbGciOiJSUzI1NiJ9.e30.sig-abcdefghijklmnop';
  const req = (headers: Record<string, string>, method = 'GET') => new Request('http://kf.example.com/api/clusters', { method, headers: { host: 'kf.example.com', ...headers } });
  const judge = (p: Principal | Error): RemoteBearer => async (t) => {
    expect(t).toBe(TOKEN);
    if (p instanceof Error) throw p;
    return p;
  };

  it('passes the token to the judge and applies its role', async () => {
    const viewer = judge({ name: 'system:serviceaccount:ops:looker', role: 'viewer', via: 'bearer' });
    expect(await authorizeAsync(req({ authorization: `Bearer ${TOKEN}` }), 'viewer', c, viewer)).toMatchObject({ ok: true, principal: { name: 'system:serviceaccount:ops:looker' } });
    expect(await authorizeAsync(req({ authorization: `Bearer ${TOKEN}` }, 'POST'), 'responder', c, viewer)).toEqual({ ok: false, status: 403, error: 'system:serviceaccount:ops:looker is a viewer; this needs responder' });
    // Synchronously (proxy.ts), such a bearer is nobody: the route handler decides.
    expect(authenticate(req({ authorization: `Bearer ${TOKEN}` }), c)).toBeNull();
  });

  it('says why a token was refused, and fails closed when the judge breaks', async () => {
    expect(await authorizeAsync(req({ authorization: `Bearer ${TOKEN}` }), 'viewer', c, judge(new AuthRejection(403, 'x may not list events')))).toEqual({ ok: false, status: 403, error: 'x may not list events' });
    expect(await authorizeAsync(req({ authorization: `Bearer ${TOKEN}` }), 'viewer', c, judge(new AuthRejection(502, 'the cluster could not judge the token')))).toMatchObject({ ok: false, status: 502 });
    expect(await authorizeAsync(req({ authorization: `Bearer ${TOKEN}` }), 'viewer', c, judge(new Error('boom')))).toEqual({ ok: false, status: 401, error: 'authentication unavailable' });
    expect(await authorizeAsync(req({ authorization: 'Bearer short' }), 'viewer', c, judge(new Error('never asked')))).toMatchObject({ ok: false, status: 401 });
  });

  it('a session decided at sign-in needs no users file, and writes need the CSRF header', async () => {
    const s = newSession('system:serviceaccount:ops:ops', 'responder', c.sessionMs);
    const cookie = `${SESSION_COOKIE}=${signSession(sessionKey(c), s)}`;
    const never = judge(new Error('a session is not a bearer'));
    expect(await authorizeAsync(req({ cookie }), 'viewer', c, never)).toMatchObject({ ok: true, principal: { name: 'system:serviceaccount:ops:ops', role: 'responder', via: 'session' } });
    expect(await authorizeAsync(req({ cookie, origin: 'http://kf.example.com' }, 'POST'), 'responder', c, never)).toMatchObject({ ok: false, status: 403 });
    expect(await authorizeAsync(req({ cookie, origin: 'http://kf.example.com', [CSRF_HEADER]: s.csrf }, 'POST'), 'responder', c, never)).toMatchObject({ ok: true });
  });
});
