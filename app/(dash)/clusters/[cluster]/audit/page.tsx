import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { AuditView } from '@/components/audit/audit-view';
import type { AuditSummaryData } from '@/lib/query/audit';
import { getRuntime } from '@/server/runtime';
import { auditSummary } from '@/server/audit/views';

export const dynamic = 'force-dynamic';

interface AuditPageProps { params: Promise<{ cluster: string }> }

async function entryOf(params: AuditPageProps['params']) {
  const { cluster } = await params;
  const rt = await getRuntime();
  await rt.ready;
  return { rt, entry: rt.clusters.get(cluster) };
}

export async function generateMetadata({ params }: AuditPageProps): Promise<Metadata> {
  const { entry } = await entryOf(params);
  return { title: entry ? `${entry.name} · Audit` : 'Unknown cluster' };
}

/** Audit: the summary over all ingested data comes from the store; filters load on the client. */
export default async function AuditPage({ params }: AuditPageProps) {
  const { rt, entry } = await entryOf(params);
  if (!entry) notFound();
  // Typed as the client's schema type: TypeScript flags any drift from server/audit/views.ts.
  const initial: AuditSummaryData = auditSummary(rt, entry, { by: 'events', top: 20 });
  return <AuditView clusterId={entry.id} clusterName={entry.name} kind={entry.kind} initial={initial} />;
}
