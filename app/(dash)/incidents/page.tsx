import type { Metadata } from 'next';
import { IncidentList } from '@/components/incidents/incident-list';
import { getRuntime } from '@/server/runtime';
import { listIncidents } from '@/server/incidents/views';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Incidents' };

/** The incident list and the form to declare one. */
export default async function IncidentsPage() {
  const rt = await getRuntime();
  await rt.ready;
  const clusters = [...rt.clusters.values()].filter((c) => !c.error).map((c) => ({ id: c.id, name: c.name }));
  return <IncidentList initial={listIncidents(rt)} clusters={clusters} />;
}
