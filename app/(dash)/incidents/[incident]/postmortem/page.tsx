import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { PostmortemEditor, type PostmortemChart } from '@/components/postmortem/postmortem-editor';
import { renderCharts } from '@/lib/postmortem/charts';
import { HttpError } from '@/server/api/http-error';
import { incidentSource } from '@/server/report/incident-source';
import { applyEdits } from '@/lib/postmortem/draft';
import { draftParts, reportContext } from '@/server/report/postmortem';
import { getRuntime } from '@/server/runtime';

export const dynamic = 'force-dynamic';

interface PostmortemPageProps { params: Promise<{ incident: string }> }

async function load(params: PostmortemPageProps['params']) {
  const { incident } = await params;
  const rt = await getRuntime();
  await rt.ready;
  try {
    const { assembled, saved } = await draftParts(reportContext(rt), incidentSource(rt), incident);
    const draft = saved ? applyEdits(assembled, saved.edits, { at: saved.updatedAt, by: saved.updatedBy }) : assembled;
    return { draft, timeline: assembled.timeline, hidden: saved?.edits.hiddenTimeline ?? [] };
  } catch (e) {
    if (e instanceof HttpError && e.status === 404) return null;
    throw e;
  }
}

export async function generateMetadata({ params }: PostmortemPageProps): Promise<Metadata> {
  const d = await load(params);
  return { title: d ? `Postmortem · ${d.draft.title}` : 'Unknown incident' };
}

/** The postmortem: the draft assembled from the incident and the recorded data, edited in place. */
export default async function PostmortemPage({ params }: PostmortemPageProps) {
  const loaded = await load(params);
  if (!loaded) notFound();
  const { draft, timeline, hidden } = loaded;
  const charts: PostmortemChart[] = renderCharts(draft).map((c) => ({
    file: c.file, title: c.title, explanation: c.explanation, peaks: c.peaks,
    dataUri: `data:image/svg+xml;base64,${Buffer.from(c.svg, 'utf8').toString('base64')}`,
  }));
  // The evidence's series are drawn here; the client gets the pictures, not the points.
  const initial = { ...draft, evidence: { ...draft.evidence, charts: [] } };
  return <PostmortemEditor initial={initial} timeline={timeline} hidden={hidden} charts={charts} />;
}
