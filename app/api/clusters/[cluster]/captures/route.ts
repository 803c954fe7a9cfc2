import { z } from 'zod';
import { withCluster } from '@/server/api/handler';
import { capturesList, postCapture } from '@/server/views/runtime';

export const dynamic = 'force-dynamic';

const captureBody = z.object({
  kind: z.enum(['goroutine', 'heap']),
  component: z.enum(['kube-apiserver', 'etcd']).default('kube-apiserver'),
  requestedBy: z.string().max(100).optional(),
});

export const GET = withCluster(({ rt, cluster }) => capturesList(rt, cluster));

// Signed-in callers are recorded by name; in open mode the body's `requestedBy` is all there is.
export const POST = withCluster(async ({ rt, cluster, req, principal }) => {
  const body = captureBody.parse(await req.json().catch(() => ({})));
  return postCapture(rt, cluster, { ...body, requestedBy: principal && principal.via !== 'open' ? principal.name : body.requestedBy });
}, { role: 'responder' });
