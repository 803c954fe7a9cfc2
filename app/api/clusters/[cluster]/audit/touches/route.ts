import { z } from 'zod';
import { withCluster } from '@/server/api/handler';
import { auditTouches } from '@/server/audit/views';

export const dynamic = 'force-dynamic';

const query = z.object({
  resource: z.string().regex(/^[a-z0-9.-]{1,100}$/, 'a plural resource name, e.g. configmaps'),
  name: z.string().min(1).max(253),
  namespace: z.string().max(63).optional(),
  group: z.string().max(253).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(200),
});

export const GET = withCluster(({ rt, cluster, query: q }) => auditTouches(rt, cluster, q), { query });
