import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { RunWizard } from '@/components/runbooks/run-wizard';
import { RunbooksIndex } from '@/components/runbooks/runbooks-index';
import type { RunbooksIndex as IndexData, RunView } from '@/lib/query/runbooks';
import { getRuntime } from '@/server/runtime';
import { runbooksIndex, runView } from '@/server/views/runbooks';

export const dynamic = 'force-dynamic';

interface RunbooksPageProps {
  params: Promise<{ cluster: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

async function entryOf(params: RunbooksPageProps['params']) {
  const { cluster } = await params;
  const rt = await getRuntime();
  await rt.ready;
  return { rt, entry: rt.clusters.get(cluster) };
}

export async function generateMetadata({ params }: RunbooksPageProps): Promise<Metadata> {
  const { entry } = await entryOf(params);
  return { title: entry ? `${entry.name} · Runbooks` : 'Unknown cluster' };
}

const one = (v: string | string[] | undefined) => (typeof v === 'string' ? v : undefined);

/**
 * Runbooks: the menu (?runbook=…&finding=… when opened from a finding), or one run's wizard (?run=ID).
 * `timeline=` (the timeline's own query) when opened from the timeline: a run started here opens
 * beside those charts.
 */
export default async function RunbooksPage({ params, searchParams }: RunbooksPageProps) {
  const { rt, entry } = await entryOf(params);
  if (!entry) notFound();
  const q = await searchParams;
  const run = one(q.run);
  if (run && /^\d{1,15}$/.test(run)) {
    let initial: RunView;
    try { initial = runView(rt, entry, Number(run)); } catch { notFound(); }
    return <RunWizard clusterId={entry.id} runId={Number(run)} initial={initial} />;
  }
  const initial: IndexData = runbooksIndex(rt, entry);
  const runbook = one(q.runbook);
  const finding = one(q.finding);
  const timeline = one(q.timeline);
  return (
    <RunbooksIndex clusterId={entry.id} initial={initial} suggested={runbook ? { runbook, finding } : undefined}
      timeline={timeline !== undefined && timeline.length <= 400 ? timeline : undefined} />
  );
}
