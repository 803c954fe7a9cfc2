import { withRuntime } from '@/server/api/handler';
import { sseResponse } from '@/server/incidents/hub';
import { incidentParam, streamQuery } from '@/server/incidents/params';
import { incidentOrThrow, live } from '@/server/incidents/service';

export const dynamic = 'force-dynamic';

/**
 * The war room's live feed (Server-Sent Events): `id:` is the incident's seq; a reconnecting
 * browser sends Last-Event-ID (or `?since=`) and first gets what it missed from the change log.
 * Served from the in-process hub: no screen ever causes a call to a cluster.
 */
export const GET = withRuntime(({ rt, req, query }) => {
  const id = incidentParam(req);
  incidentOrThrow(rt, id);
  const last = Number(req.headers.get('last-event-id'));
  const since = Number.isInteger(last) && last > 0 ? last : query.since ?? 0;
  return sseResponse(live(rt).hub, id, since, req.signal, query.once !== undefined);
}, { query: streamQuery });
