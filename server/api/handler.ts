import 'server-only';
import { NextResponse } from 'next/server';
import { z } from 'zod';
// First: evaluated before the runtime (below), whose capture code throws HttpError.
import { HttpError } from './http-error';
import { isClusterError } from '../cluster/types';
import { getRuntime, type ClusterEntry, type Runtime } from '../runtime';

export { HttpError };

type Ctx = { params: Promise<Record<string, string | string[] | undefined>> };

function toResponse(e: unknown): NextResponse {
  if (e instanceof HttpError) return NextResponse.json({ error: e.message }, { status: e.status });
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

function queryOf(req: Request): Record<string, string> {
  return Object.fromEntries(new URL(req.url).searchParams.entries());
}

/** Wraps a handler that needs the runtime: validates the query with zod and maps errors to JSON. */
export function withRuntime<Q extends z.ZodType>(
  handler: (a: { rt: Runtime; query: z.infer<Q>; req: Request }) => Promise<unknown> | unknown,
  opts: { query?: Q } = {},
) {
  return async (req: Request): Promise<Response> => {
    try {
      const rt = await getRuntime();
      const query = (opts.query ? opts.query.parse(queryOf(req)) : {}) as z.infer<Q>;
      const out = await handler({ rt, query, req });
      return out instanceof Response ? out : NextResponse.json(out);
    } catch (e) { return toResponse(e); }
  };
}

/** Like `withRuntime`, for routes under /api/clusters/[cluster]/…: resolves the cluster or 404s. */
export function withCluster<Q extends z.ZodType>(
  handler: (a: { rt: Runtime; cluster: ClusterEntry; query: z.infer<Q>; req: Request }) => Promise<unknown> | unknown,
  opts: { query?: Q } = {},
) {
  return async (req: Request, ctx: Ctx): Promise<Response> => {
    try {
      const rt = await getRuntime();
      await rt.ready;
      const { cluster: id } = await ctx.params;
      const entry = typeof id === 'string' ? rt.clusters.get(id) : undefined;
      if (!entry) throw new HttpError(404, `no cluster ${String(id)}`);
      const query = (opts.query ? opts.query.parse(queryOf(req)) : {}) as z.infer<Q>;
      const out = await handler({ rt, cluster: entry, query, req });
      return out instanceof Response ? out : NextResponse.json(out);
    } catch (e) { return toResponse(e); }
  };
}
