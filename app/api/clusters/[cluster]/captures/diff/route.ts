import { z } from 'zod';
import { withCluster } from '@/server/api/handler';
import { captureDiff } from '@/server/views/runtime';

export const dynamic = 'force-dynamic';

const query = z.object({
  base: z.coerce.number().int().positive(),
  new: z.coerce.number().int().positive(),
  sampleIndex: z.string().max(60).optional(),
});

export const GET = withCluster(({ rt, cluster, query: q }) => captureDiff(rt, cluster, q.base, q.new, q.sampleIndex), { query });
