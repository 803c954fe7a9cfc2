import { redirect } from 'next/navigation';

/** /clusters/<id> opens the cluster's overview. */
export default async function ClusterIndex({ params }: { params: Promise<{ cluster: string }> }) {
  const { cluster } = await params;
  redirect(`/clusters/${encodeURIComponent(cluster)}/overview`);
}
