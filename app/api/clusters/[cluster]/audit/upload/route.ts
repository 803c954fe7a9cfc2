import { z } from 'zod';
import { withCluster } from '@/server/api/handler';
import { auditUpload } from '@/server/audit/views';

export const dynamic = 'force-dynamic';

const query = z.object({ name: z.string().min(1).max(200).default('audit.log') });

export const POST = withCluster(({ rt, cluster, req, query: q }) => auditUpload(rt, cluster, req, q.name), { query });
