// Sign-in through OpenID Connect (KF_AUTH=oidc) with a real provider: node-oidc-provider (the
// certified implementation openid-client is tested against), served over HTTPS with a certificate
// the dashboard trusts through NODE_EXTRA_CA_CERTS, as a private IdP's CA is deployed. A browser
// (Debian's chromium) goes the whole way: the dashboard sends it to the provider, the person signs
// in, consents, and lands back on the page they asked for, with the role their groups map to; the
// groups come from the userinfo endpoint, as many providers send them. Someone in no mapped group
// is turned back with the reason; a replayed or forged callback opens no session; scripts may send
// an ID token signed by the provider's keys, and one signed by another key or for another client is
// refused. Needs no cluster: a demo bundle is the data.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import Provider from 'oidc-provider';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startDashboard } from './helpers';

const root = path.resolve(import.meta.dirname, '../..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kf-oidc-it-'));
const CLIENT_ID = 'kube-forensics';
const CLIENT_SECRET = 'a-client-secret-for-the-test-only-0123456789';
const CLUSTER = 'bundle-healthy-baseline';
const GROUPS: Record<string, string[]> = { rita: ['sre', 'eng'], vic: ['eng'], mallory: ['marketing'] };
let idp: https.Server;
let issuer = '';
let signingKey: CryptoKey;
let dash: Awaited<ReturnType<typeof startDashboard>>;
let browser: Browser;

beforeAll(async () => {
  // The provider's TLS certificate, self-signed for 127.0.0.1: the dashboard trusts it as an extra CA.
  const key = path.join(dir, 'idp.key');
  const cert = path.join(dir, 'idp.crt');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=test-idp', '-addext', 'subjectAltName=IP:127.0.0.1'], { stdio: 'ignore' });
  const [idpPort, dashPort] = [await freePort(), await freePort()];
  issuer = `https://127.0.0.1:${idpPort}`;
  const dashUrl = `http://127.0.0.1:${dashPort}`;
  const pair = await generateKeyPair('RS256', { extractable: true });
  signingKey = pair.privateKey;
  const jwk: JWK = { ...(await exportJWK(pair.privateKey)), kid: 'test-key', use: 'sig', alg: 'RS256' };
  const provider = new Provider(issuer, {
    clients: [{ client_id: CLIENT_ID, client_secret: CLIENT_SECRET, redirect_uris: [`${dashUrl}/api/session/oidc`], token_endpoint_auth_method: 'client_secret_post' }],
    claims: { openid: ['sub'], profile: ['preferred_username', 'name'], email: ['email'], groups: ['groups'] },
    scopes: ['openid', 'profile', 'email', 'groups'],
    findAccount: (_ctx, id) => ({ accountId: id, claims: () => ({ sub: id, preferred_username: id, email: `${id}@example.com`, groups: GROUPS[id] ?? [] }) }),
    jwks: { keys: [jwk] },
    cookies: { keys: ['a-cookie-key-for-the-test-idp-only'] },
    pkce: { required: () => true, methods: ['S256'] },
    features: { devInteractions: { enabled: true } },
  });
  provider.proxy = false;
  idp = https.createServer({ key: fs.readFileSync(key), cert: fs.readFileSync(cert) }, provider.callback());
  await new Promise<void>((r) => idp.listen(idpPort, '127.0.0.1', r));

  dash = await startDashboard({
    KF_HOST: '0.0.0.0', KF_AUTH: 'oidc', KF_PUBLIC_URL: dashUrl, KF_DATA_DIR: path.join(dir, 'data'),
    KF_OIDC_ISSUER: issuer, KF_OIDC_CLIENT_ID: CLIENT_ID, KF_OIDC_CLIENT_SECRET: CLIENT_SECRET,
    KF_OIDC_RESPONDER_GROUPS: 'sre', KF_OIDC_VIEWER_GROUPS: 'eng',
    NODE_EXTRA_CA_CERTS: cert,
    KF_BUNDLES: path.join(root, 'testdata', 'bundles', 'healthy-baseline.tar.gz'), KUBECONFIG: path.join(dir, 'no-kubeconfig'),
  }, dashPort);
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  await dash?.stop();
  await new Promise((r) => (idp ? idp.close(r) : r(undefined)));
  fs.rmSync(dir, { recursive: true, force: true });
});

/** A person signs in at the provider (its development login and consent pages) from a page of the dashboard. */
async function signIn(who: string, startAt: string) {
  const context = await browser.newContext({ ignoreHTTPSErrors: true });
  const page = await context.newPage();
  await page.goto(`${dash.url}${startAt}`);
  await page.waitForURL(/\/login\?/);
  await page.getByRole('link', { name: `Sign in with 127.0.0.1:${new URL(issuer).port}` }).click();
  await page.waitForURL(new RegExp(`^${issuer}/interaction/`));
  await page.fill('input[name=login]', who);
  await page.fill('input[name=password]', 'any password');
  await page.click('button[type=submit]');
  await page.waitForURL(new RegExp(`^${issuer}/interaction/`));
  await page.click('button[type=submit]');
  await page.waitForURL((u) => u.origin === dash.url);
  return { context, page };
}

describe('OpenID Connect sign-in (KF_AUTH=oidc)', () => {
  it('a responder signs in through the provider and lands on the page they asked for', async () => {
    const { context, page } = await signIn('rita', `/clusters/${CLUSTER}/overview?range=6h`);
    expect(page.url()).toBe(`${dash.url}/clusters/${CLUSTER}/overview?range=6h`);
    const s = await page.evaluate(async () => (await fetch('/api/session')).json());
    expect(s).toEqual({ mode: 'oidc', open: false, user: 'rita', role: 'responder', via: 'session' });
    const cookies = await context.cookies(dash.url);
    expect(cookies.find((c) => c.name === 'kf_session')).toMatchObject({ httpOnly: true, sameSite: 'Lax' });
    // The sign-in's own cookie (PKCE verifier, state, nonce) is spent.
    expect(cookies.find((c) => c.name === 'kf_oidc')).toBeUndefined();
    await context.close();
  });

  it('a viewer gets the viewer role; someone in no mapped group is turned back with the reason', async () => {
    const v = await signIn('vic', '/');
    expect(await v.page.evaluate(async () => (await fetch('/api/session')).json())).toMatchObject({ user: 'vic', role: 'viewer' });
    await v.context.close();
    const m = await signIn('mallory', '/');
    expect(new URL(m.page.url()).pathname).toBe('/login');
    await expect.poll(() => m.page.getByTestId('login-form').getByRole('alert').textContent()).toBe('mallory is in none of the groups mapped to a kube-forensics role (groups: marketing)');
    await m.page.screenshot({ path: path.join(root, 'artifacts', 'integration', 'oidc-refused.png') });
    expect((await m.context.cookies(dash.url)).find((c) => c.name === 'kf_session')).toBeUndefined();
    await m.context.close();
  });

  it('a callback without the sign-in\'s cookie, or with a forged code, opens no session', async () => {
    const r = await fetch(`${dash.url}/api/session/oidc?code=forged&state=whatever`, { redirect: 'manual' });
    expect(r.status).toBe(303);
    const loginError = (res: Response) => new URL(res.headers.get('location')!).searchParams.get('error');
    expect(loginError(r)).toBe('this sign-in expired or was started in another browser: start again');
    expect(r.headers.getSetCookie().some((c) => c.startsWith('kf_session='))).toBe(false);
    // Starting a sign-in gives the provider's URL with PKCE and a state, and a scoped, httpOnly cookie.
    const start = await fetch(`${dash.url}/api/session/oidc?next=/events`, { redirect: 'manual' });
    const to = new URL(start.headers.get('location')!);
    expect(to.origin).toBe(issuer);
    expect(to.searchParams.get('code_challenge_method')).toBe('S256');
    expect(to.searchParams.get('redirect_uri')).toBe(`${dash.url}/api/session/oidc`);
    expect(start.headers.getSetCookie()[0]).toMatch(/^kf_oidc=[^;]+; HttpOnly; SameSite=Lax; Path=\/api\/session\/oidc; Max-Age=600$/);
    // With the cookie but a code the provider never issued: refused, no session.
    const cookie = start.headers.getSetCookie()[0]!.split(';')[0]!;
    const bad = await fetch(`${dash.url}/api/session/oidc?code=forged&state=${to.searchParams.get('state')}`, { headers: { cookie }, redirect: 'manual' });
    expect(loginError(bad)).toMatch(/^sign-in with the identity provider failed: /);
    expect(bad.headers.getSetCookie().some((c) => c.startsWith('kf_session='))).toBe(false);
  });

  it('scripts send an ID token from the provider; another key or another audience is refused', async () => {
    const idToken = (aud: string, key: CryptoKey, groups: string[]) => new SignJWT({ preferred_username: 'ci-bot', groups })
      .setProtectedHeader({ alg: 'RS256', kid: 'test-key' }).setIssuer(issuer).setAudience(aud).setSubject('ci-bot').setIssuedAt().setExpirationTime('5m').sign(key);
    const call = async (token: string, method = 'GET', url = '/api/session') => fetch(`${dash.url}${url}`, { method, headers: { authorization: `Bearer ${token}` } });
    expect(await (await call(await idToken(CLIENT_ID, signingKey, ['eng']))).json()).toMatchObject({ user: 'ci-bot', role: 'viewer', via: 'bearer' });
    const viewerToken = await idToken(CLIENT_ID, signingKey, ['eng']);
    expect((await call(viewerToken, 'GET', '/api/clusters')).status).toBe(200);
    const cap = await fetch(`${dash.url}/api/incidents`, { method: 'POST', headers: { authorization: `Bearer ${viewerToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ title: 'x', clusters: [CLUSTER] }) });
    expect(cap.status).toBe(403);
    const other = (await generateKeyPair('RS256')).privateKey;
    const forged = await call(await idToken(CLIENT_ID, other, ['sre']), 'GET', '/api/clusters');
    expect(forged.status).toBe(401);
    expect(((await forged.json()) as { error: string }).error).toMatch(/bearer token was refused: signature verification failed/);
    const elsewhere = await call(await idToken('another-client', signingKey, ['sre']), 'GET', '/api/clusters');
    expect(elsewhere.status).toBe(401);
    expect(((await elsewhere.json()) as { error: string }).error).toMatch(/"aud"/);
  });
});
