'use client';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { applyChange } from '@/lib/incidents/live';
import type { IncidentDossier } from '@/lib/incidents/types';
import { changeSchema, incidentPath } from '@/lib/query/incidents';
import { incidentKeys } from '@/lib/query/keys';

export type LiveState = 'connecting' | 'live' | 'reconnecting';

/**
 * The war room's live feed: an EventSource on the incident's stream, each change applied to the
 * cached dossier. The browser reconnects by itself and sends Last-Event-ID (the last seq it saw);
 * if the stream is refused or closed for good, a new one starts from the dossier's seq after 2 s.
 */
export function useIncidentStream(id: string): LiveState {
  const qc = useQueryClient();
  const [state, setState] = useState<LiveState>('connecting');
  useEffect(() => {
    const key = incidentKeys.dossier(id);
    let es: EventSource | null = null;
    let retry: ReturnType<typeof setTimeout> | undefined;
    const open = () => {
      const since = qc.getQueryData<IncidentDossier>(key)?.seq ?? 0;
      es = new EventSource(`${incidentPath(id, '/stream')}?since=${since}`);
      es.onopen = () => setState('live');
      es.onmessage = (ev: MessageEvent<string>) => {
        let data: unknown;
        try { data = JSON.parse(ev.data); } catch { return; }
        const c = changeSchema.safeParse(data);
        if (c.success) qc.setQueryData<IncidentDossier>(key, (d) => (d ? applyChange(d, c.data) : d));
      };
      es.onerror = () => {
        setState('reconnecting');
        if (es?.readyState === EventSource.CLOSED) { es.close(); retry = setTimeout(open, 2_000); }
      };
    };
    open();
    return () => { clearTimeout(retry); es?.close(); };
  }, [id, qc]);
  return state;
}
