import { withCluster } from '@/server/api/handler';
import { auditPolicy } from '@/server/audit/views';

export const dynamic = 'force-dynamic';

export const POST = withCluster(({ rt, cluster, req }) => auditPolicy(rt, cluster, req));
