import { z } from 'zod';
import { withCluster } from '@/server/api/handler';
import { actorName } from '@/server/auth/identity';
import { runbooksIndex, startRun } from '@/server/views/runbooks';

export const dynamic = 'force-dynamic';

const startBody = z.object({
  runbook: z.string().regex(/^[a-z0-9-]{1,60}$/),
  finding: z.string().regex(/^[a-z0-9-]{1,60}$/).optional(),
  by: z.string().trim().max(100).default(''),
});

export const GET = withCluster(({ rt, cluster }) => runbooksIndex(rt, cluster));

export const POST = withCluster(async ({ rt, cluster, req, principal }) => {
  const b = startBody.parse(await req.json().catch(() => ({})));
  return startRun(rt, cluster, { ...b, by: actorName(principal, b.by) });
});
