import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { OverviewView } from '@/components/overview/overview-view';
import type { Overview } from '@/lib/query/overview';
import { getRuntime } from '@/server/runtime';
import { overview } from '@/server/views/overview';

export const dynamic = 'force-dynamic';

interface OverviewPageProps { params: Promise<{ cluster: string }> }

async function entryOf(params: OverviewPageProps['params']) {
  const { cluster } = await params;
  const rt = await getRuntime();
  await rt.ready;
  return { rt, entry: rt.clusters.get(cluster) };
}

export async function generateMetadata({ params }: OverviewPageProps): Promise<Metadata> {
  const { entry } = await entryOf(params);
  return { title: entry ? `${entry.name} · Overview` : 'Unknown cluster' };
}

/** Overview: the first render comes from the store; the client refreshes it every 5 s. */
export default async function OverviewPage({ params }: OverviewPageProps) {
  const { rt, entry } = await entryOf(params);
  if (!entry) notFound();
  // Typed as the client's schema type: TypeScript flags any drift from server/views/overview.ts.
  const initial: Overview = overview(rt, entry);
  return <OverviewView initial={initial} />;
}
