import { withRuntime } from '@/server/api/handler';
import { pdfResponse } from '@/server/report/postmortem';

export const dynamic = 'force-dynamic';

/** GET /api/incidents/[incident]/postmortem/pdf: the postmortem printed by Chromium (A4, numbered pages); 503 without Chromium. */
export const GET = withRuntime(({ rt, req }) => pdfResponse(rt, req));
