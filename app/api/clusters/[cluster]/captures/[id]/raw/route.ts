import { withCluster } from '@/server/api/handler';
import { captureIdOf, captureRaw } from '@/server/views/runtime';

export const dynamic = 'force-dynamic';

export const GET = withCluster(({ rt, cluster, req }) => captureRaw(rt, cluster, captureIdOf(req, 2)));
