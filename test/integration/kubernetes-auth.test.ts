// "Use the caller's Kubernetes token, so cluster RBAC decides what each person sees" (KF_AUTH=kubernetes),
// on the real 1.20.2 control plane. Four service accounts get real bound tokens (TokenRequest) and
// real RBAC: cluster-admin, view plus get on /debug/pprof/*, view alone, and nothing. The dashboard,
// bound to a public address, recognises each by its own identity and gives it the role its RBAC
// allows, by bearer and by sign-in; refuses the unbound one and a forged token with reasons; sees a
// changed binding on the next token; asks the apiserver once per token, not per request; and the
// apiserver's audit log shows the reviews made with the callers' identities, by the sign-in client
// only, while the dashboard's own identity still sent no mutating request.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CSRF_HEADER, cookieValue, CSRF_COOKIE, SESSION_COOKIE } from '@/lib/auth/constants';
import { controlPlane } from './env';
import { admin, auditRequests, startDashboard, waitFor } from './helpers';

const cp = controlPlane();
const NS = 'kf-authn';
const CLUSTER = 'ctx-kf-test';
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kf-k8s-auth-'));
const tokens: Record<string, string> = {};
let dash: Awaited<ReturnType<typeof startDashboard>>;
let from = 0;

const sa = (name: string) => `system:serviceaccount:${NS}:${name}`;
const at = (p: string) => `${dash.url}${p}`;
const bearer = (who: string) => ({ authorization: `Bearer ${tokens[who]}` });
const json = { 'content-type': 'application/json' };

async function ok(what: string, r: Promise<{ status: number; json: unknown }>): Promise<any> {
  const a = await r;
  expect(a.status, `${what}: ${JSON.stringify(a.json).slice(0, 300)}`).toBeLessThan(300);
  return a.json;
}

function binding(name: string, role: string, saName: string) {
  return {
    apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name },
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role },
    subjects: [{ kind: 'ServiceAccount', name: saName, namespace: NS }],
  };
}

async function tokenFor(name: string): Promise<string> {
  const r = await ok(`token for ${name}`, admin(cp, 'POST', `/api/v1/namespaces/${NS}/serviceaccounts/${name}/token`, { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: { expirationSeconds: 3600 } }));
  return r.status.token as string;
}

beforeAll(async () => {
  await ok('namespace', admin(cp, 'POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: NS } }));
  for (const n of ['boss', 'ops', 'looker', 'nobody']) await ok(`sa ${n}`, admin(cp, 'POST', `/api/v1/namespaces/${NS}/serviceaccounts`, { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: n } }));
  await ok('pprof role', admin(cp, 'POST', '/apis/rbac.authorization.k8s.io/v1/clusterroles', {
    apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'kf-authn-pprof' },
    rules: [{ nonResourceURLs: ['/debug/pprof', '/debug/pprof/*'], verbs: ['get'] }],
  }));
  for (const [b, role, who] of [['kf-authn-boss', 'cluster-admin', 'boss'], ['kf-authn-ops-view', 'view', 'ops'], ['kf-authn-ops-pprof', 'kf-authn-pprof', 'ops'], ['kf-authn-looker', 'view', 'looker']] as const) {
    await ok(`binding ${b}`, admin(cp, 'POST', '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings', binding(b, role, who)));
  }
  for (const n of ['boss', 'ops', 'looker', 'nobody']) tokens[n] = await tokenFor(n);
  from = Date.now();
  dash = await startDashboard({ KF_HOST: '0.0.0.0', KF_AUTH: 'kubernetes', KUBECONFIG: cp.viewerKubeconfig, KF_DATA_DIR: dataDir });
}, 240_000);

afterAll(async () => {
  await dash?.stop();
  for (const b of ['kf-authn-boss', 'kf-authn-ops-view', 'kf-authn-ops-pprof', 'kf-authn-looker']) await admin(cp, 'DELETE', `/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/${b}`).catch(() => undefined);
  await admin(cp, 'DELETE', '/apis/rbac.authorization.k8s.io/v1/clusterroles/kf-authn-pprof').catch(() => undefined);
  await admin(cp, 'DELETE', `/api/v1/namespaces/${NS}`).catch(() => undefined);
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('the caller\'s Kubernetes token (KF_AUTH=kubernetes)', () => {
  it('gives each service account the role its RBAC allows, and refuses the rest with reasons', async () => {
    expect((await fetch(at('/api/clusters'))).status).toBe(401);
    const roles: Record<string, unknown> = {};
    for (const who of ['boss', 'ops', 'looker']) {
      const s = (await (await fetch(at('/api/session'), { headers: bearer(who) })).json()) as { user?: string; role?: string; via?: string };
      roles[who] = s;
    }
    expect(roles).toEqual({
      boss: { mode: 'kubernetes', open: false, user: sa('boss'), role: 'admin', via: 'bearer' },
      ops: { mode: 'kubernetes', open: false, user: sa('ops'), role: 'responder', via: 'bearer' },
      looker: { mode: 'kubernetes', open: false, user: sa('looker'), role: 'viewer', via: 'bearer' },
    });
    // No binding at all: authenticated by the cluster, allowed nothing by RBAC.
    const nobody = await fetch(at('/api/clusters'), { headers: bearer('nobody') });
    expect(nobody.status).toBe(403);
    expect(((await nobody.json()) as { error: string }).error).toBe(`${sa('nobody')} may not list events (all namespaces) on kf-test, which viewers of kube-forensics need (RBAC decides)`);
    // A token the cluster never issued: signed by nobody it trusts.
    const [h, p] = tokens.looker!.split('.');
    const forged = await fetch(at('/api/clusters'), { headers: { authorization: `Bearer ${h}.${p}.${'A'.repeat(342)}` } });
    expect(forged.status).toBe(401);
    expect(((await forged.json()) as { error: string }).error).toMatch(/does not accept this token/);
  });

  it('a viewer reads and may not capture; a responder captures from the apiserver', async () => {
    expect((await fetch(at('/api/clusters'), { headers: bearer('looker') })).status).toBe(200);
    await waitFor('the cluster to be recorded', async () => {
      const l = (await (await fetch(at('/api/clusters'), { headers: bearer('looker') })).json()) as Array<{ id: string; lastOk: number | null }>;
      return l.find((c) => c.id === CLUSTER)?.lastOk;
    }, 60_000, 500);
    const capture = (who: string) => fetch(at(`/api/clusters/${CLUSTER}/captures`), { method: 'POST', headers: { ...bearer(who), ...json }, body: JSON.stringify({ kind: 'goroutine' }) });
    const denied = await capture('looker');
    expect(denied.status).toBe(403);
    expect(((await denied.json()) as { error: string }).error).toBe(`${sa('looker')} is a viewer; this needs responder`);
    const taken = await capture('ops');
    expect(taken.status, await taken.clone().text()).toBeLessThan(300);
  });

  it('signs in with a pasted token: a session cookie, then pages and writes with CSRF', async () => {
    const login = await fetch(at('/login'));
    expect(await login.text()).toContain('Kubernetes token');
    // What a person sees: the sign-in page of this mode, after pasting a token RBAC allows nothing.
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] });
    try {
      const page = await browser.newPage();
      await page.goto(at(`/clusters/${CLUSTER}/overview`));
      await page.getByLabel('Kubernetes token').fill(tokens.nobody!);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect.poll(() => page.getByTestId('login-form').getByRole('alert').textContent()).toMatch(/may not list events/);
      await page.screenshot({ path: path.join(import.meta.dirname, '../../artifacts/integration/kubernetes-login-refused.png') });
    } finally { await browser.close(); }
    const r = await fetch(at('/api/session'), { method: 'POST', headers: json, body: JSON.stringify({ token: tokens.ops }) });
    expect(r.status).toBe(200);
    expect(await r.json()).toMatchObject({ user: sa('ops'), role: 'responder' });
    const set = r.headers.getSetCookie();
    // Kubernetes-token sessions last an hour: RBAC may change, and the session does not keep the token.
    expect(set.find((c) => c.startsWith(`${SESSION_COOKIE}=`))).toMatch(/HttpOnly; SameSite=Lax; Path=\/; Max-Age=3600/);
    const cookie = set.map((c) => c.split(';')[0]).join('; ');
    expect(JSON.stringify(set)).not.toContain(tokens.ops!.slice(-40));
    const page = await fetch(at(`/clusters/${CLUSTER}`), { headers: { cookie } });
    expect(page.status).toBe(200);
    expect(new URL(page.url).pathname).toMatch(new RegExp(`^/clusters/${CLUSTER}`));
    const made = await fetch(at('/api/incidents'), { method: 'POST', headers: { cookie, ...json, [CSRF_HEADER]: cookieValue(cookie, CSRF_COOKIE)! }, body: JSON.stringify({ title: 'rbac decides', clusters: [CLUSTER] }) });
    expect(made.status).toBeLessThan(300);
    const without = await fetch(at('/api/incidents'), { method: 'POST', headers: { cookie, ...json }, body: JSON.stringify({ title: 'no csrf', clusters: [CLUSTER] }) });
    expect(without.status).toBe(403);
    const refused = await fetch(at('/api/session'), { method: 'POST', headers: json, body: JSON.stringify({ token: tokens.nobody }) });
    expect(refused.status).toBe(403);
  });

  it('RBAC decides at sign-in: a binding removed shows in the next token\'s role', async () => {
    await ok('remove pprof binding', admin(cp, 'DELETE', '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/kf-authn-ops-pprof'));
    const fresh = await tokenFor('ops');
    const s = (await (await fetch(at('/api/session'), { headers: { authorization: `Bearer ${fresh}` } })).json()) as { role?: string };
    expect(s.role).toBe('viewer');
  });

  it('asks the apiserver once per token, with the caller\'s identity; the dashboard\'s own identity writes nothing', async () => {
    const before = Date.now();
    const boss = await tokenFor('boss');
    for (let i = 0; i < 20; i++) expect((await fetch(at('/api/clusters'), { headers: { authorization: `Bearer ${boss}` } })).status).toBe(200);
    // The audit log is written asynchronously by the apiserver.
    await new Promise((r) => setTimeout(r, 2000));
    const log = path.join(cp.dir, 'audit', 'audit.log');
    const reviews = auditRequests(log, from, Date.now(), (e) => e.userAgent === 'kube-forensics-authn/0.1');
    expect(reviews.length).toBeGreaterThan(0);
    for (const e of reviews) {
      expect(e.verb).toBe('create');
      expect(e.requestURI).toMatch(/^\/apis\/(authorization\.k8s\.io\/v1\/selfsubjectaccessreviews|authentication\.k8s\.io\/v1(beta1)?\/selfsubjectreviews)$/);
      // The forged token's reviews were refused at authentication (401, nobody); the rest ran as the callers.
      if (e.responseStatus?.code !== 401) expect(e.user?.username).toMatch(new RegExp(`^system:serviceaccount:${NS}:`));
    }
    expect(reviews.filter((e) => e.responseStatus?.code === 401).length).toBeGreaterThan(0);
    // One review per question for the new token (who: SelfSubjectReview v1 and v1beta1, absent
    // in 1.20, so 404; which role: three access reviews), then the cache answers the other 19.
    const forBoss = auditRequests(log, before, Date.now(), (e) => e.userAgent === 'kube-forensics-authn/0.1' && e.user?.username === sa('boss'));
    expect(forBoss.filter((e) => e.requestURI.endsWith('selfsubjectaccessreviews'))).toHaveLength(3);
    expect(forBoss.length).toBeLessThanOrEqual(5);
    const own = auditRequests(log, from, Date.now(), (e) => e.user?.username === 'kube-forensics' && !['get', 'list', 'watch'].includes(e.verb));
    expect(own).toEqual([]);
  });
});
