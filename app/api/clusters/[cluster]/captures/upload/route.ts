import { z } from 'zod';
import { withCluster } from '@/server/api/handler';
import { uploadCapture } from '@/server/views/runtime';

export const dynamic = 'force-dynamic';

const query = z.object({
  kind: z.enum(['goroutine', 'heap']),
  component: z.string().regex(/^[a-z0-9-]{1,40}$/).default('kube-apiserver'),
  name: z.string().max(200).optional(),
});

export const POST = withCluster(({ rt, cluster, req, query: q }) => uploadCapture(rt, cluster, req, q), { query, role: 'responder' });
