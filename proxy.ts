// Runs before every page and API route (Next 16 Proxy, Node.js runtime):
//  - a per-request CSP nonce for pages (server/auth/csp.ts), a strict CSP for API answers;
//  - authentication for pages: signed-out visitors go to /login (API routes answer 401 here as a
//    second line; each route's role and CSRF checks are in server/api/handler.ts);
//  - open (loopback development) mode: only loopback Host names (DNS rebinding).
import { NextResponse, type NextRequest } from 'next/server';
import { authorize, bearerIsRemote } from './server/auth/authorize';
import { authConfig } from './server/auth/config';
import { API_CSP, newNonce, pageCsp } from './server/auth/csp';

/** Reachable without signing in: liveness, the session API (sign-in itself) and the sign-in page. */
const PUBLIC_API = new Set(['/api/healthz', '/api/session', '/api/session/oidc']);
const PUBLIC_PAGES = new Set(['/login']);

export function proxy(req: NextRequest): NextResponse {
  const path = req.nextUrl.pathname;
  const isApi = path === '/api' || path.startsWith('/api/');
  const isPublic = isApi ? PUBLIC_API.has(path) : PUBLIC_PAGES.has(path);
  const c = authConfig();
  // A bearer token of the kubernetes or oidc mode is judged remotely (the cluster's RBAC, the
  // provider's keys), which only the route handlers do (server/auth/remote.ts): API calls only.
  const remoteBearer = isApi && bearerIsRemote(c) && req.headers.has('authorization');
  // Method-independent here: the route handler applies the role and CSRF rules.
  const d = remoteBearer ? { ok: true as const, principal: null }
    : authorize(new Request(req.url, { method: 'GET', headers: req.headers }), isPublic ? 'public' : 'viewer', c);

  if (!d.ok) {
    if (!isApi && d.status === 401) {
      const to = new URL('/login', req.url);
      to.search = new URLSearchParams({ next: `${path}${req.nextUrl.search}` }).toString();
      return NextResponse.redirect(to, 303);
    }
    const res = NextResponse.json({ error: d.error }, { status: d.status, headers: d.status === 401 ? { 'www-authenticate': 'Bearer realm="kube-forensics"' } : {} });
    res.headers.set('Content-Security-Policy', API_CSP);
    return res;
  }

  if (isApi) {
    const res = NextResponse.next();
    res.headers.set('Content-Security-Policy', API_CSP);
    return res;
  }
  const nonce = newNonce();
  const csp = pageCsp(nonce);
  const headers = new Headers(req.headers);
  headers.set('x-nonce', nonce);
  headers.set('Content-Security-Policy', csp);
  const res = NextResponse.next({ request: { headers } });
  res.headers.set('Content-Security-Policy', csp);
  return res;
}

export const config = {
  matcher: [
    // Everything but build assets (immutable, same-origin, covered by next.config.ts headers) and
    // the upload route: with a proxy in the path, Next buffers request bodies in memory and cuts
    // them at proxyClientMaxBodySize (10 MB), which would truncate a 60 MB dump. That route streams
    // its body with its own limit and does its own auth (withCluster, role responder). Every upload
    // route (captures, audit logs) is named …/<feature>/upload for this reason; bundles upload to
    // /api/bundles/upload (not under a cluster: the bundle becomes one).
    '/((?!_next/static|_next/image|favicon\\.svg|favicon\\.ico|api/clusters/[^/]+/[^/]+/upload|api/bundles/upload).*)',
  ],
};
