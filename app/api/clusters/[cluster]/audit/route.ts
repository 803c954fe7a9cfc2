import { z } from 'zod';
import { withCluster } from '@/server/api/handler';
import { auditSummary } from '@/server/audit/views';

export const dynamic = 'force-dynamic';

// Time expressions (now-1h, epoch ms, ISO 8601), resolved against the cluster's "now" by the view.
const time = z.string().trim().min(1).max(40).optional();
const query = z.object({
  from: time,
  to: time,
  by: z.enum(['events', 'bytes']).default('events'),
  top: z.coerce.number().int().min(1).max(100).default(20),
});

export const GET = withCluster(({ rt, cluster, query: q }) => auditSummary(rt, cluster, q), { query });
