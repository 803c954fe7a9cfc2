import { z } from 'zod';
import { withCluster } from '@/server/api/handler';
import { exportResponse } from '@/server/bundle/export-response';

export const dynamic = 'force-dynamic';

const query = z.object({ from: z.string().max(40).optional(), to: z.string().max(40).optional() });

export const GET = withCluster(({ rt, cluster, query: q }) => exportResponse(rt, cluster, q), { query });
