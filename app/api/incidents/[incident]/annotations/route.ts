import { withRuntime } from '@/server/api/handler';
import { annotationBody, incidentParam, jsonBody } from '@/server/incidents/params';
import { addAnnotation, annotations } from '@/server/incidents/views';

export const dynamic = 'force-dynamic';

export const GET = withRuntime(({ rt, req }) => annotations(rt, incidentParam(req)));

export const POST = withRuntime(async ({ rt, req, principal }) => addAnnotation(rt, principal, incidentParam(req), annotationBody.parse(await jsonBody(req))));
