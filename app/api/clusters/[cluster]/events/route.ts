import { z } from 'zod';
import { MAX_FILTER_LENGTH, readFilter } from '@/lib/events/filter';
import { HttpError, withCluster } from '@/server/api/handler';
import { MAX_EVENT_ROWS } from '@/server/store/events';
import { DEFAULT_EVENT_LIMIT, events } from '@/server/views/events';

export const dynamic = 'force-dynamic';

const text = z.string().max(MAX_FILTER_LENGTH).optional();
const query = z.object({
  from: z.string().max(40).optional(),
  to: z.string().max(40).optional(),
  namespace: text, kind: text, name: text, reason: text, type: text, component: text, q: text,
  limit: z.coerce.number().int().min(0).max(MAX_EVENT_ROWS).default(DEFAULT_EVENT_LIMIT),
  group: z.enum(['none', 'object']).default('none'),
  sel: z.string().regex(/^\d{10,16}-\d{10,16}$/, 'use <from ms>-<to ms>').optional()
    .transform((s) => { if (!s) return undefined; const [a, b] = s.split('-').map(Number); return { from: a!, to: b! }; }),
});

/**
 * GET /api/clusters/[cluster]/events?from&to&namespace&kind&name&reason&type&component&q&limit&group&sel
 * Rows newest first (last seen, descending); see lib/events/types.ts `EventsResult`.
 */
export const GET = withCluster(({ rt, cluster, query: q }) => {
  try {
    return events(rt, cluster, { from: q.from, to: q.to, filter: readFilter((k) => q[k as keyof typeof q] as string | undefined), limit: q.limit, group: q.group, sel: q.sel });
  } catch (e) {
    if (e instanceof RangeError) throw new HttpError(400, e.message);
    throw e;
  }
}, { query });
