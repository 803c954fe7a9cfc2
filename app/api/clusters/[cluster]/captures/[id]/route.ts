import { z } from 'zod';
import { withCluster } from '@/server/api/handler';
import { captureAnalysis, captureIdOf } from '@/server/views/runtime';

export const dynamic = 'force-dynamic';

// `sort=cum`: heap top ordered by cum (pprof -cum), the cut to the top rows following that order.
const query = z.object({ sampleIndex: z.string().max(60).optional(), sort: z.enum(['flat', 'cum']).optional() });

export const GET = withCluster(({ rt, cluster, req, query: q }) => captureAnalysis(rt, cluster, captureIdOf(req, 1), q.sampleIndex, q.sort), { query });
