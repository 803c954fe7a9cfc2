import { z } from 'zod';
import { withRuntime } from '@/server/api/handler';
import { uploadBundle } from '@/server/bundle/upload';

export const dynamic = 'force-dynamic';

const query = z.object({ name: z.string().min(1).max(200).default('bundle.tar.gz') });

export const POST = withRuntime(async ({ rt, req, query: q }) => { await rt.ready; return uploadBundle(rt, req, q.name); }, { query, role: 'responder' });
