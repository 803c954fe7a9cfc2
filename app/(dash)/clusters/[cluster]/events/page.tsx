import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { EventsView } from '@/components/events/events-view';
import { DEFAULT_LIMIT, eventsApiParams, readEventsParams } from '@/components/events/url-state';
import { defaultRange } from '@/components/timeline/url-state';
import type { Events } from '@/lib/query/events';
import { getRuntime } from '@/server/runtime';
import { events } from '@/server/views/events';

export const dynamic = 'force-dynamic';

interface EventsPageProps {
  params: Promise<{ cluster: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

async function entryOf(params: EventsPageProps['params']) {
  const { cluster } = await params;
  const rt = await getRuntime();
  await rt.ready;
  return { rt, entry: rt.clusters.get(cluster) };
}

export async function generateMetadata({ params }: EventsPageProps): Promise<Metadata> {
  const { entry } = await entryOf(params);
  return { title: entry ? `${entry.name} · Events` : 'Unknown cluster' };
}

/** Events: the first render comes from the archive for the URL's range and filter; the client takes over. */
export default async function EventsPage({ params, searchParams }: EventsPageProps) {
  const { rt, entry } = await entryOf(params);
  if (!entry) notFound();
  const sp = await searchParams;
  const defaults = defaultRange(entry.kind === 'bundle' ? entry.bundle : undefined);
  const state = readEventsParams((k) => { const v = sp[k]; return Array.isArray(v) ? v[0] : v; }, defaults);
  const apiParams = eventsApiParams(state);
  let initial: Events | null = null;
  let error: string | undefined;
  // A link asking for more than the default rows (up to 100k): the page goes out at once and the
  // browser fetches them from the API. Rendered here, they would travel inside the page's payload
  // and be parsed twice (a 100k-row link took 12–15 s to show).
  if (Number(apiParams.limit) <= DEFAULT_LIMIT) {
    try {
      initial = events(rt, entry, { from: state.from, to: state.to, filter: state.filter, limit: Number(apiParams.limit), group: state.group ? 'object' : 'none', sel: state.sel });
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
      error = e.message;
    }
  }
  return (
    <EventsView clusterId={entry.id} clusterName={entry.name} kind={entry.kind} initial={initial} initialParams={apiParams} initialError={error} defaults={defaults} />
  );
}
