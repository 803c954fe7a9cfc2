import { withCluster } from '@/server/api/handler';
import { overview } from '@/server/views/overview';

export const dynamic = 'force-dynamic';
export const GET = withCluster(({ rt, cluster }) => overview(rt, cluster));
