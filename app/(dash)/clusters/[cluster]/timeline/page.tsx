import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { TimelineView } from '@/components/timeline/timeline-view';
import { defaultRange, readTimelineParams } from '@/components/timeline/url-state';
import type { Timeline } from '@/lib/query/timeline';
import { getRuntime } from '@/server/runtime';
import { timelineWithHistory } from '@/server/views/timeline';

export const dynamic = 'force-dynamic';

interface TimelinePageProps {
  params: Promise<{ cluster: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

async function entryOf(params: TimelinePageProps['params']) {
  const { cluster } = await params;
  const rt = await getRuntime();
  await rt.ready;
  return { rt, entry: rt.clusters.get(cluster) };
}

export async function generateMetadata({ params }: TimelinePageProps): Promise<Metadata> {
  const { entry } = await entryOf(params);
  return { title: entry ? `${entry.name} · Timeline` : 'Unknown cluster' };
}

/** Timeline: the first render comes from the store for the URL's range; the client takes over from there. */
export default async function TimelinePage({ params, searchParams }: TimelinePageProps) {
  const { rt, entry } = await entryOf(params);
  if (!entry) notFound();
  const sp = await searchParams;
  const defaults = defaultRange(entry.kind === 'bundle' ? entry.bundle : undefined);
  const range = readTimelineParams((k) => { const v = sp[k]; return Array.isArray(v) ? v[0] : v; }, defaults);
  let initial: Timeline | null = null;
  let error: string | undefined;
  try {
    // Typed as the client's schema type: TypeScript flags any drift from server/views/timeline.ts.
    initial = await timelineWithHistory(rt, entry, { from: range.from, to: range.to, width: 1200, incident: range.incident });
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    error = e.message;
  }
  return (
    <TimelineView
      clusterId={entry.id}
      clusterName={entry.name}
      kind={entry.kind}
      initial={initial}
      initialRange={{ from: range.from, to: range.to }}
      initialError={error}
      defaults={defaults}
    />
  );
}
