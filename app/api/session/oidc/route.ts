import { NextResponse } from 'next/server';
import { cookieValue } from '@/lib/auth/constants';
import { authorize, isAuthRejection } from '@/server/auth/authorize';
import { authConfig } from '@/server/auth/config';
import { issueSession } from '@/server/auth/login';
import { beginSignIn, clearedStateCookie, finishSignIn, OIDC_STATE_COOKIE } from '@/server/auth/oidc';

export const dynamic = 'force-dynamic';

/** Back to the sign-in page with a message a person can act on. */
function toLogin(c: ReturnType<typeof authConfig>, req: Request, error: string, status = 303): NextResponse {
  const to = new URL('/login', c.publicOrigin ?? req.url);
  to.searchParams.set('error', error.slice(0, 300));
  const res = NextResponse.redirect(to, status);
  res.headers.append('set-cookie', clearedStateCookie(req, c));
  return res;
}

/**
 * OpenID Connect sign-in (mode oidc), one route for both legs: without `code` it sends the browser
 * to the provider (PKCE, state, nonce in a signed cookie); with `code` (the provider's redirect
 * back, this route being the registered redirect URI) it checks everything, opens a session and
 * returns to where the person was going. Public: this is how one signs in.
 */
export async function GET(req: Request): Promise<Response> {
  const c = authConfig();
  if (c.mode !== 'oidc' || !c.oidc) return NextResponse.json({ error: `OIDC sign-in is not used in ${c.mode} mode` }, { status: 400 });
  const d = authorize(req, 'public', c);
  if (!d.ok) return NextResponse.json({ error: d.error }, { status: d.status });
  const q = new URL(req.url).searchParams;
  try {
    if (q.has('error')) {
      // The provider refused (access_denied, login_required…): say so on the sign-in page.
      return toLogin(c, req, `the identity provider said: ${q.get('error_description') || q.get('error')}`);
    }
    if (!q.has('code')) {
      const { location, cookie } = await beginSignIn(req, c, q.get('next') ?? '/');
      const res = NextResponse.redirect(location, 303);
      res.headers.append('set-cookie', cookie);
      return res;
    }
    const who = await finishSignIn(req, c, cookieValue(req.headers.get('cookie'), OIDC_STATE_COOKIE));
    const s = issueSession(req, c, who.name, who.role);
    const res = NextResponse.redirect(new URL(who.next, c.publicOrigin ?? req.url), 303);
    for (const ck of s.cookies) res.headers.append('set-cookie', ck);
    res.headers.append('set-cookie', clearedStateCookie(req, c));
    return res;
  } catch (e) {
    if (isAuthRejection(e)) return toLogin(c, req, e.message);
    console.error('[kube-forensics] oidc:', e instanceof Error ? e.message : e);
    return toLogin(c, req, `sign-in with the identity provider failed: ${e instanceof Error ? e.message : String(e)}`);
  }
}
