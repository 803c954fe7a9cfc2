import { withRuntime } from '@/server/api/handler';
import { annotationParam, incidentParam } from '@/server/incidents/params';
import { deleteAnnotation } from '@/server/incidents/views';

export const dynamic = 'force-dynamic';

export const DELETE = withRuntime(({ rt, req }) => deleteAnnotation(rt, incidentParam(req), annotationParam(req)));
