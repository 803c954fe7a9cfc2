import { z } from 'zod';
import { withCluster } from '@/server/api/handler';
import { captureAnalysis, captureIdOf } from '@/server/views/runtime';

export const dynamic = 'force-dynamic';

const query = z.object({ sampleIndex: z.string().max(60).optional() });

export const GET = withCluster(({ rt, cluster, req, query: q }) => captureAnalysis(rt, cluster, captureIdOf(req, 1), q.sampleIndex), { query });
