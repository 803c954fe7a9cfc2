import { z } from 'zod';
import { HttpError, withCluster } from '@/server/api/handler';
import { actorName } from '@/server/auth/identity';
import { runAction, runView } from '@/server/views/runbooks';

export const dynamic = 'force-dynamic';

const by = z.string().trim().max(100).default('');
const stepId = z.string().regex(/^[a-z0-9-]{1,60}$/);
const actionBody = z.discriminatedUnion('action', [
  z.object({ action: z.literal('step'), step: stepId, status: z.enum(['done', 'skipped', 'failed', 'pending']), by, note: z.string().max(2000).optional(), goto: stepId.optional() }),
  z.object({ action: z.literal('inputs'), inputs: z.record(z.string(), z.string().max(500)), by }),
  z.object({ action: z.literal('capture'), step: stepId, by }),
  z.object({ action: z.literal('close'), by }),
  z.object({ action: z.literal('reopen'), by }),
]);

/** The `[run]` segment (withCluster resolves only the cluster). */
function runId(req: Request): number {
  const raw = decodeURIComponent(new URL(req.url).pathname.split('/').filter(Boolean).pop() ?? '');
  if (!/^\d{1,15}$/.test(raw) || Number(raw) <= 0) throw new HttpError(400, `run id must be a positive integer, got ${JSON.stringify(raw)}`);
  return Number(raw);
}

export const GET = withCluster(({ rt, cluster, req }) => runView(rt, cluster, runId(req)));

export const POST = withCluster(async ({ rt, cluster, req, principal }) => {
  const a = actionBody.parse(await req.json().catch(() => ({})));
  // Signed in: the step is the user's, whatever name the body carries.
  return runAction(rt, cluster, runId(req), { ...a, by: actorName(principal, a.by) });
});
