import { z } from 'zod';
import { withRuntime } from '@/server/api/handler';
import { markdownResponse } from '@/server/report/postmortem';

export const dynamic = 'force-dynamic';

const query = z.object({ format: z.enum(['tar', 'md']).default('tar') });

/** GET /api/incidents/[incident]/postmortem/markdown?format=tar|md: postmortem.md with charts/*.svg as a .tar.gz, or one .md with the charts inlined. */
export const GET = withRuntime(({ rt, req, query: q }) => markdownResponse(rt, req, q.format), { query });
