import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { RuntimeView } from '@/components/runtime/runtime-view';
import type { CapturesList } from '@/lib/query/runtime';
import { getRuntime } from '@/server/runtime';
import { capturesList } from '@/server/views/runtime';

export const dynamic = 'force-dynamic';

interface RuntimePageProps { params: Promise<{ cluster: string }> }

async function entryOf(params: RuntimePageProps['params']) {
  const { cluster } = await params;
  const rt = await getRuntime();
  await rt.ready;
  return { rt, entry: rt.clusters.get(cluster) };
}

export async function generateMetadata({ params }: RuntimePageProps): Promise<Metadata> {
  const { entry } = await entryOf(params);
  return { title: entry ? `${entry.name} · Runtime` : 'Unknown cluster' };
}

/** Runtime: the captures list comes from the store; analyses load on the client (they parse megabytes). */
export default async function RuntimePage({ params }: RuntimePageProps) {
  const { rt, entry } = await entryOf(params);
  if (!entry) notFound();
  // Typed as the client's schema type: TypeScript flags any drift from server/views/runtime.ts.
  const initial: CapturesList = capturesList(rt, entry);
  return <RuntimeView clusterId={entry.id} clusterName={entry.name} kind={entry.kind} initial={initial} />;
}
