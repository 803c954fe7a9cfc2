import 'server-only';
import { NextResponse } from 'next/server';
import { z } from 'zod';
import type { Role } from '@/lib/auth/constants';
import { authorizeAsync, defaultNeed, type Need, type Principal } from '../auth/authorize';
import { authConfig } from '../auth/config';
import { remoteBearer } from '../auth/remote';
import { isClusterError } from '../cluster/types';
import { getRuntime, type ClusterEntry, type Runtime } from '../runtime';
import { HttpError, isHttpError } from './http-error';

export { HttpError };

type Ctx = { params: Promise<Record<string, string | string[] | undefined>> };

function toResponse(e: unknown): NextResponse {
  if (isHttpError(e)) {
    const headers: Record<string, string> = e.status === 401 ? { 'www-authenticate': 'Bearer realm="kube-forensics"' } : {};
    return NextResponse.json({ error: e.message }, { status: e.status, headers });
  }
  if (isClusterError(e)) {
    const status = e.kind === 'timeout' ? 504 : e.kind === 'unreachable' ? 502 : e.kind === 'not-found' ? 404 : e.kind === 'forbidden' ? 403 : 502;
    return NextResponse.json(e.toJSON(), { status });
  }
  if (e instanceof z.ZodError) {
    return NextResponse.json({ error: e.issues.map((i) => `${i.path.join('.') || 'query'}: ${i.message}`).join('; ') }, { status: 400 });
  }
  console.error('[kube-forensics] unhandled', e);
  return NextResponse.json({ error: 'internal error' }, { status: 500 });
}

/**
 * Authentication and authorization for one request (server/auth): throws 401/403. A route says
 * what it needs with `{ role }`; without it, GET needs a viewer and anything else a responder.
 */
async function guard(req: Request, role: Need | undefined): Promise<Principal | null> {
  const d = await authorizeAsync(req, role ?? defaultNeed(req.method), authConfig(), remoteBearer);
  if (!d.ok) throw new HttpError(d.status, d.error);
  return d.principal;
}

export interface RouteOptions<Q extends z.ZodType> {
  query?: Q;
  /** The role this route needs ('public': none). Default: viewer for GET, responder otherwise. */
  role?: Role | 'public';
}

function queryOf(req: Request): Record<string, string> {
  return Object.fromEntries(new URL(req.url).searchParams.entries());
}

/** Wraps a handler that needs the runtime: validates the query with zod and maps errors to JSON. */
export function withRuntime<Q extends z.ZodType>(
  handler: (a: { rt: Runtime; query: z.infer<Q>; req: Request; principal: Principal | null }) => Promise<unknown> | unknown,
  opts: RouteOptions<Q> = {},
) {
  return async (req: Request): Promise<Response> => {
    try {
      const principal = await guard(req, opts.role);
      const rt = await getRuntime();
      const query = (opts.query ? opts.query.parse(queryOf(req)) : {}) as z.infer<Q>;
      const out = await handler({ rt, query, req, principal });
      return out instanceof Response ? out : NextResponse.json(out);
    } catch (e) { return toResponse(e); }
  };
}

/** Like `withRuntime`, for routes under /api/clusters/[cluster]/…: resolves the cluster or 404s. */
export function withCluster<Q extends z.ZodType>(
  handler: (a: { rt: Runtime; cluster: ClusterEntry; query: z.infer<Q>; req: Request; principal: Principal | null }) => Promise<unknown> | unknown,
  opts: RouteOptions<Q> = {},
) {
  return async (req: Request, ctx: Ctx): Promise<Response> => {
    try {
      const principal = await guard(req, opts.role);
      const rt = await getRuntime();
      await rt.ready;
      const { cluster: id } = await ctx.params;
      const entry = typeof id === 'string' ? rt.clusters.get(id) : undefined;
      if (!entry) throw new HttpError(404, `no cluster ${String(id)}`);
      const query = (opts.query ? opts.query.parse(queryOf(req)) : {}) as z.infer<Q>;
      const out = await handler({ rt, cluster: entry, query, req, principal });
      return out instanceof Response ? out : NextResponse.json(out);
    } catch (e) { return toResponse(e); }
  };
}
