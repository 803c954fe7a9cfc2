import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CSRF_HEADER, SESSION_COOKIE } from '@/lib/auth/constants';
import { authorize, defaultNeed } from './authorize';
import { bindInfo, hostnameFromArgv, isLoopbackHost } from './bind';
import { loadAuthConfig, startupRefusal, type AuthConfig } from './config';
import { _resetLoginThrottle, login } from './login';
import { hashPassword, newToken, tokenDigest, verifyPassword, verifyToken } from './password';
import { newSession, sessionKey, signSession, verifySession } from './session';
import { parseUsers } from './users';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kf-auth-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('bind guard', () => {
  it('knows loopback from the rest', () => {
    for (const h of ['localhost', '127.0.0.1', '127.1.2.3', '::1', '[::1]', '::ffff:127.0.0.1', 'app.localhost']) expect(isLoopbackHost(h), h).toBe(true);
    for (const h of ['0.0.0.0', '::', '10.0.0.5', 'example.com', '128.0.0.1', '::ffff:10.0.0.1', 'localhost.example.com']) expect(isLoopbackHost(h), h).toBe(false);
  });
  it('reads -H from a Next command line, and Next without -H listens everywhere', () => {
    expect(hostnameFromArgv(['node', 'next', 'start', '-p', '3', '-H', '127.0.0.1'])).toBe('127.0.0.1');
    expect(hostnameFromArgv(['node', 'next', 'start', '--hostname=::1'])).toBe('::1');
    expect(bindInfo(undefined, ['/usr/bin/node', '/x/node_modules/.bin/next', 'start']).exposed).toBe(true);
    expect(bindInfo(undefined, ['/usr/bin/node', '/x/node_modules/.bin/next', 'start', '-H', 'localhost']).exposed).toBe(false);
    // A configured public address wins over a loopback command line.
    expect(bindInfo('0.0.0.0', ['node', 'next', 'start', '-H', '127.0.0.1']).exposed).toBe(true);
  });
  it('refuses open mode when exposed, and half-configured modes', () => {
    const argv = ['node', 'next', 'start', '-H', '127.0.0.1'];
    expect(startupRefusal(loadAuthConfig({ KF_HOST: '0.0.0.0' }, argv))).toMatch(/refuses to start/);
    expect(startupRefusal(loadAuthConfig({}, argv))).toBeNull();
    expect(startupRefusal(loadAuthConfig({ KF_HOST: '0.0.0.0', KF_AUTH: 'password' }, argv))).toMatch(/KF_AUTH_FILE/);
    expect(startupRefusal(loadAuthConfig({ KF_AUTH: 'oidc' }, argv))).toMatch(/oidc/);
    expect(() => loadAuthConfig({ KF_AUTH: 'bogus' }, argv)).toThrow(/KF_AUTH/);
  });
});

describe('passwords and tokens', () => {
  it('scrypt round trip, wrong password, tampered and hostile hashes', async () => {
    const h = await hashPassword('correct horse battery staple', { N: 1024 });
    expect(await verifyPassword('correct horse battery staple', h)).toBe(true);
    expect(await verifyPassword('correct horse battery stapl', h)).toBe(false);
    expect(await verifyPassword('x', h.replace(/\$1024\$/, '$1048576000$'))).toBe(false);
    expect(await verifyPassword('x', 'md5$abc')).toBe(false);
  });
  it('token digests', () => {
    const t = newToken();
    expect(verifyToken(t, tokenDigest(t))).toBe(true);
    expect(verifyToken(`${t}x`, tokenDigest(t))).toBe(false);
  });
  it('users file: validated lines', () => {
    expect(parseUsers('# c\nalice:admin:sha256$' + '0'.repeat(64) + '\n')).toHaveLength(1);
    expect(() => parseUsers('alice:root:sha256$00')).toThrow(/role/);
    expect(() => parseUsers('alice:viewer:plaintext')).toThrow(/hash/);
  });
});

describe('sessions', () => {
  const key = Buffer.alloc(32, 7);
  it('signed, expiring, tamper-evident', () => {
    const s = newSession('alice', 'viewer', 60_000, 1000);
    const v = signSession(key, s);
    expect(verifySession(key, v, 2000)?.sub).toBe('alice');
    expect(verifySession(key, v, 61_001)).toBeNull();
    expect(verifySession(Buffer.alloc(32, 8), v, 2000)).toBeNull();
    const forged = Buffer.from(JSON.stringify({ ...s, role: 'admin' })).toString('base64url');
    expect(verifySession(key, `${forged}.${v.split('.')[1]}`, 2000)).toBeNull();
  });
  it('the key file is created once, owner-only', () => {
    const c = { secretFile: path.join(dir, 'k', 'session.key') };
    const a = sessionKey(c);
    expect(a.length).toBe(32);
    expect(fs.statSync(c.secretFile).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(c.secretFile)).mode & 0o777).toBe(0o700);
  });
});

describe('authorize', () => {
  const token = newToken();
  const file = path.join(dir, 'users');
  const cfg = async (): Promise<AuthConfig> => {
    fs.writeFileSync(file, `alice:responder:${await hashPassword('alice-password-1', { N: 1024 })}\nvic:viewer:${tokenDigest(token)}\n`, { mode: 0o600 });
    return loadAuthConfig({ KF_AUTH: 'password', KF_AUTH_FILE: file, KF_DATA_DIR: dir, KF_HOST: '0.0.0.0' }, ['node']);
  };
  const req = (method: string, headers: Record<string, string> = {}) => new Request('http://kf.example:3000/api/clusters', { method, headers: { host: 'kf.example:3000', ...headers } });

  it('default roles: viewer reads, responder writes', () => {
    expect(defaultNeed('GET')).toBe('viewer');
    expect(defaultNeed('POST')).toBe('responder');
    expect(defaultNeed('DELETE')).toBe('responder');
  });

  it('401 without credentials, bearer viewer reads but cannot write', async () => {
    const c = await cfg();
    expect(authorize(req('GET'), 'viewer', c)).toMatchObject({ ok: false, status: 401 });
    expect(authorize(req('GET', { authorization: `Bearer ${token}` }), 'viewer', c)).toMatchObject({ ok: true });
    expect(authorize(req('POST', { authorization: `Bearer ${token}` }), 'responder', c)).toMatchObject({ ok: false, status: 403 });
    expect(authorize(req('GET', { authorization: 'Bearer kf_wrongwrongwrongwrong' }), 'viewer', c)).toMatchObject({ ok: false, status: 401 });
  });

  it('password sign-in → cookie session; writes need the CSRF header and a same-site Origin', async () => {
    _resetLoginThrottle();
    const c = await cfg();
    const r = await login(req('POST'), c, { username: 'alice', password: 'alice-password-1' });
    if (!r.ok) throw new Error(r.error);
    const cookie = r.cookies.map((x) => x.split(';')[0]).join('; ');
    expect(r.cookies[0]).toMatch(new RegExp(`^${SESSION_COOKIE}=.*HttpOnly; SameSite=Lax`));
    expect(authorize(req('GET', { cookie }), 'viewer', c)).toMatchObject({ ok: true });
    expect(authorize(req('POST', { cookie }), 'responder', c)).toMatchObject({ ok: false, status: 403 });
    expect(authorize(req('POST', { cookie, [CSRF_HEADER]: r.session.csrf }), 'responder', c)).toMatchObject({ ok: true });
    expect(authorize(req('POST', { cookie, [CSRF_HEADER]: r.session.csrf, origin: 'https://evil.example' }), 'responder', c)).toMatchObject({ ok: false, status: 403 });
    expect(authorize(req('GET', { cookie }), 'admin', c)).toMatchObject({ ok: false, status: 403 });
    // Removing the user from the file ends the session.
    fs.writeFileSync(file, `vic:viewer:${tokenDigest(token)}\n`);
    fs.utimesSync(file, new Date(), new Date(Date.now() + 5000));
    expect(authorize(req('GET', { cookie }), 'viewer', c)).toMatchObject({ ok: false, status: 401 });
  });

  it('failed sign-ins are throttled', async () => {
    _resetLoginThrottle();
    const c = await cfg();
    for (let i = 0; i < 10; i++) expect(await login(req('POST'), c, { username: 'alice', password: 'nope' })).toMatchObject({ ok: false, status: 401 });
    expect(await login(req('POST'), c, { username: 'alice', password: 'alice-password-1' })).toMatchObject({ ok: false, status: 429 });
  });

  it('open mode: loopback Host names only, cross-site writes refused', () => {
    const c = loadAuthConfig({ KF_DATA_DIR: dir }, ['node']);
    const at = (host: string, method = 'GET', h: Record<string, string> = {}) => authorize(new Request(`http://${host}/api/clusters`, { method, headers: { host, ...h } }), defaultNeed(method), c);
    expect(at('127.0.0.1:3000')).toMatchObject({ ok: true });
    expect(at('localhost:3000')).toMatchObject({ ok: true });
    expect(at('rebind.evil.example:3000')).toMatchObject({ ok: false, status: 403 });
    expect(at('127.0.0.1:3000', 'POST')).toMatchObject({ ok: true });
    expect(at('127.0.0.1:3000', 'POST', { origin: 'https://evil.example' })).toMatchObject({ ok: false, status: 403 });
    expect(at('127.0.0.1:3000', 'POST', { origin: 'http://127.0.0.1:3000' })).toMatchObject({ ok: true });
  });
});
