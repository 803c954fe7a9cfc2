import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { WarRoom } from '@/components/incidents/war-room';
import { incidents } from '@/server/incidents/service';
import { getRuntime } from '@/server/runtime';

export const dynamic = 'force-dynamic';

interface IncidentPageProps { params: Promise<{ incident: string }> }

async function dossierOf(params: IncidentPageProps['params']) {
  const { incident } = await params;
  const rt = await getRuntime();
  await rt.ready;
  return { rt, at: Date.now(), dossier: /^[a-z0-9]{4,40}$/.test(incident) ? incidents(rt).dossier(incident) : null };
}

export async function generateMetadata({ params }: IncidentPageProps): Promise<Metadata> {
  const { dossier } = await dossierOf(params);
  return { title: dossier ? `${dossier.incident.severity.toUpperCase()} · ${dossier.incident.title}` : 'Unknown incident' };
}

/** The war room: first paint from the store; the live feed (SSE) keeps it current. */
export default async function IncidentPage({ params }: IncidentPageProps) {
  const { rt, dossier, at } = await dossierOf(params);
  if (!dossier) notFound();
  const clusterNames = Object.fromEntries([...rt.clusters.values()].map((c) => [c.id, c.name]));
  // A bundle's "now" is the end of its capture (server/views/timeline.ts clusterNow).
  const primary = rt.clusters.get(dossier.incident.clusters[0]!);
  const captureEnd = primary?.kind === 'bundle' ? primary.bundle?.to : undefined;
  return <WarRoom initial={dossier} clusterNames={clusterNames} renderedAt={at} captureEnd={captureEnd} />;
}
