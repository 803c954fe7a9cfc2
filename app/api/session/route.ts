import { NextResponse } from 'next/server';
import { z } from 'zod';
import { HttpError, withRuntime } from '@/server/api/handler';
import { authorize } from '@/server/auth/authorize';
import { authConfig } from '@/server/auth/config';
import { judgeTokenCached } from '@/server/auth/kubernetes';
import { clearedCookies, kubernetesLogin, login } from '@/server/auth/login';
import { kubernetesAuthEndpoint } from '@/server/auth/remote';

export const dynamic = 'force-dynamic';

/**
 * The caller's session: the auth mode (the UI shows a banner in open mode), who is signed in and
 * their role. Public: the sign-in page reads it before anyone is signed in.
 */
export const GET = withRuntime(({ principal }) => {
  const c = authConfig();
  return {
    mode: c.mode,
    open: c.mode === 'none',
    ...(principal ? { user: principal.name, role: principal.role, via: principal.via } : {}),
  };
}, { role: 'public' });

const credentials = z.object({
  username: z.string().max(64).optional(),
  password: z.string().max(1024).optional(),
  // Kubernetes tokens (service-account JWTs, OIDC ID tokens) run to a few kilobytes.
  token: z.string().max(8192).optional(),
}).strict();

/**
 * Sign in: { username, password } or { token } (a kube-forensics token, or in kubernetes mode the
 * caller's Kubernetes token). Sets the session and CSRF cookies. OIDC signs in at /api/session/oidc.
 */
export async function POST(req: Request): Promise<Response> {
  const c = authConfig();
  const d = authorize(req, 'public', c);
  if (!d.ok) return NextResponse.json({ error: d.error }, { status: d.status });
  const raw: unknown = await req.json().catch(() => null);
  const body = credentials.safeParse(raw);
  if (!body.success) return NextResponse.json({ error: 'expected { username, password } or { token }' }, { status: 400 });
  const r = c.mode === 'kubernetes'
    ? await kubernetesLogin(req, c, body.data.token?.trim(), async (t) => judgeTokenCached(await kubernetesAuthEndpoint(c), t, c.kubernetes.roles))
    : await login(req, c, body.data);
  if (!r.ok) return NextResponse.json({ error: r.error }, { status: r.status, ...(r.status === 429 ? { headers: { 'retry-after': '300' } } : {}) });
  const res = NextResponse.json({ user: r.session.sub, role: r.session.role, expires: r.session.exp });
  for (const ck of r.cookies) res.headers.append('set-cookie', ck);
  return res;
}

/** Sign out: clears the cookies (the signed session simply stops being presented). */
export const DELETE = withRuntime(({ req }) => {
  const c = authConfig();
  if (c.mode === 'none') throw new HttpError(400, 'open mode has no session');
  const res = NextResponse.json({ ok: true });
  for (const ck of clearedCookies(req, c)) res.headers.append('set-cookie', ck);
  return res;
}, { role: 'viewer' });
