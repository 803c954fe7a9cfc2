import type { Metadata } from 'next';
import { StartView } from '@/components/clusters/start-view';
import { getRuntime } from '@/server/runtime';
import { listClusters } from '@/server/views/clusters';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Clusters' };

/** Start page: live clusters and recorded bundles, from the store (no upstream request). */
async function load() {
  const clusters = await listClusters(await getRuntime());
  return { clusters, at: Date.now() };
}

export default async function StartPage() {
  const { clusters, at } = await load();
  return <StartView initialClusters={clusters} renderedAt={at} />;
}
