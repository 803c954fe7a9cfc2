import { withRuntime } from '@/server/api/handler';
import { listClusters } from '@/server/views/clusters';

export const dynamic = 'force-dynamic';
export const GET = withRuntime(({ rt }) => listClusters(rt));
