import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { TimelineView } from '@/components/timeline/timeline-view';
import { defaultRange, readTimelineParams } from '@/components/timeline/url-state';
import type { RunbooksIndex, RunView } from '@/lib/query/runbooks';
import type { Timeline } from '@/lib/query/timeline';
import { HttpError } from '@/server/api/http-error';
import { getRuntime } from '@/server/runtime';
import { runbooksIndex, runView } from '@/server/views/runbooks';
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

/**
 * Timeline: the first render comes from the store for the URL's range; the client takes over from there.
 * `?run=` adds that runbook run's wizard beside the charts, loaded as the runbooks page loads it.
 */
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
  // An unknown or foreign run id shows the charts without a panel, never an error page.
  let run: { id: number; view: RunView | null } | undefined;
  if (range.run !== undefined) {
    try {
      run = { id: range.run, view: runView(rt, entry, range.run) };
    } catch (e) {
      if (!(e instanceof HttpError)) console.error(`[kube-forensics] run ${range.run} for the timeline of ${entry.id}:`, e);
      run = { id: range.run, view: null };
    }
  }
  // Only for the findings' runbook links (resume an open run): if this fails the browser asks again.
  let runbooks: RunbooksIndex | undefined;
  try { runbooks = runbooksIndex(rt, entry); } catch (e) { console.error(`[kube-forensics] runbook runs for the timeline of ${entry.id}:`, e); }
  return (
    <TimelineView
      clusterId={entry.id}
      clusterName={entry.name}
      kind={entry.kind}
      initial={initial}
      initialRange={{ from: range.from, to: range.to }}
      initialError={error}
      defaults={defaults}
      initialRun={run}
      runbooks={runbooks}
    />
  );
}
