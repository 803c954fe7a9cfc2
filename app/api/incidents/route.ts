import { z } from 'zod';
import { withRuntime } from '@/server/api/handler';
import { createBody, jsonBody } from '@/server/incidents/params';
import { createIncident, listIncidents } from '@/server/incidents/views';

export const dynamic = 'force-dynamic';

const query = z.object({ cluster: z.string().max(100).optional() });

export const GET = withRuntime(({ rt, query: q }) => listIncidents(rt, q.cluster), { query });

/** By hand, or in one click from a finding (`fromFinding`). */
export const POST = withRuntime(async ({ rt, req, principal }) => createIncident(rt, principal, createBody.parse(await jsonBody(req))));
