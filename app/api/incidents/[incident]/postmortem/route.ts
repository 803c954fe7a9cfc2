import { withRuntime } from '@/server/api/handler';
import { getDraft, putDraft } from '@/server/report/postmortem';

export const dynamic = 'force-dynamic';

/** GET /api/incidents/[incident]/postmortem: the draft assembled from the incident and the recorded data, with the saved edits over it (lib/postmortem/types PostmortemDraft). */
export const GET = withRuntime(({ rt, req }) => getDraft(rt, req));

/** PUT /api/incidents/[incident]/postmortem: saves the edits (JSON, lib/postmortem/edits) whole; answers the new draft. Responder. */
export const PUT = withRuntime(({ rt, req, principal }) => putDraft(rt, req, principal));
