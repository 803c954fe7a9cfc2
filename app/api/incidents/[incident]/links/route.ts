import { withRuntime } from '@/server/api/handler';
import { incidentParam, jsonBody, linkBody } from '@/server/incidents/params';
import { link } from '@/server/incidents/views';

export const dynamic = 'force-dynamic';

/** Links a runbook run (its steps join the feed) or a captured dump or profile. */
export const POST = withRuntime(async ({ rt, req }) => link(rt, incidentParam(req), linkBody.parse(await jsonBody(req))));
