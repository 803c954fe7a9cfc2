import { z } from 'zod';
import { HttpError, withCluster } from '@/server/api/handler';
import { timelineWithHistory } from '@/server/views/timeline';

export const dynamic = 'force-dynamic';

const query = z.object({
  from: z.string().max(40).optional(),
  to: z.string().max(40).optional(),
  width: z.coerce.number().int().min(100).max(4000).optional(),
  panels: z.string().max(1000).optional().transform((s) => (s ? s.split(',').filter(Boolean) : undefined)),
  /** `recorder`: the recorder's own series even where Prometheus is configured (comparison, fallback). */
  source: z.enum(['recorder', 'prometheus']).optional(),
  /** Only this incident's annotations as markers (the war room's charts). */
  incident: z.string().regex(/^[a-z0-9]{4,40}$/).optional(),
});

export const GET = withCluster(async ({ rt, cluster, query: q, req }) => {
  try {
    return await timelineWithHistory(rt, cluster, q, req.signal);
  } catch (e) {
    if (e instanceof RangeError) throw new HttpError(400, e.message);
    throw e;
  }
}, { query });
