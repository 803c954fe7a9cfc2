import { withRuntime } from '@/server/api/handler';
import { incidentParam, jsonBody, patchBody } from '@/server/incidents/params';
import { dossier, patchIncident } from '@/server/incidents/views';

export const dynamic = 'force-dynamic';

export const GET = withRuntime(({ rt, req }) => dossier(rt, incidentParam(req)));

export const PATCH = withRuntime(async ({ rt, req }) => patchIncident(rt, incidentParam(req), patchBody.parse(await jsonBody(req))));
