import { withRuntime } from '@/server/api/handler';
import { findingBody, incidentParam, jsonBody } from '@/server/incidents/params';
import { linkFinding } from '@/server/incidents/views';

export const dynamic = 'force-dynamic';

export const POST = withRuntime(async ({ rt, req, principal }) => linkFinding(rt, principal, incidentParam(req), findingBody.parse(await jsonBody(req))));
