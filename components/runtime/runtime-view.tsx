'use client';
import { usePathname, useSearchParams } from 'next/navigation';
import { useCallback, useMemo, useState } from 'react';
import { Badge } from '@/components/ui/badge';
import { AlertIcon } from '@/components/ui/icons';
import { useCaptureAnalysis, useCaptures, type CaptureAnalysis, type CaptureSummary, type CapturesList, type HeapAnalysis } from '@/lib/query/runtime';
import { CaptureActions } from './capture-actions';
import { CapturesCard } from './captures-card';
import { DiffPanel } from './diff-panel';
import { FindingsPanel } from './findings-panel';
import { GoroutineTable } from './goroutine-table';
import { HeapPanel } from './heap-panel';
import { TrendCard } from './trend-card';
import { readSelection, selectionSearch, type RuntimeSelection } from './url-state';
import styles from './runtime.module.css';

export interface RuntimeViewProps {
  clusterId: string;
  clusterName: string;
  kind: 'live' | 'bundle';
  initial: CapturesList;
}

const heapOf = (a: CaptureAnalysis | undefined): HeapAnalysis | undefined => (a?.kind === 'heap' ? a : undefined);

/** The last defined value seen (React's "storing information from previous renders" pattern). */
function useLastDefined<T>(value: T | undefined): T | undefined {
  const [last, setLast] = useState(value);
  if (value !== undefined && value !== last) setLast(value);
  return value ?? last;
}

function Problem({ children }: { children: React.ReactNode }) {
  return <div className={styles.alert} role="alert"><AlertIcon size={20} /><p>{children}</p></div>;
}

/** Runtime: goroutine leaks and heap of the control plane, from captures taken now, stored, or uploaded. */
export function RuntimeView({ clusterId, clusterName, kind, initial }: RuntimeViewProps) {
  const params = useSearchParams();
  const pathname = usePathname();
  const list = useCaptures(clusterId, initial);
  const data = list.data ?? initial;
  const sel = useMemo(() => readSelection((k) => params.get(k), data.captures), [params, data.captures]);
  const navigate = useCallback((next: Partial<RuntimeSelection>) => {
    window.history.replaceState(null, '', `${pathname}?${selectionSearch({ ...sel, ...next })}`);
  }, [pathname, sel]);

  const g = useCaptureAnalysis(clusterId, sel.goroutine);
  const h = useCaptureAnalysis(clusterId, sel.heap, sel.sampleIndex, sel.heapSort);
  // The previous capture (or sample type) stays on screen, dimmed, while the next one parses.
  const goroutines = useLastDefined(g.data?.kind === 'goroutine' ? g.data : undefined);
  const heap = useLastDefined(heapOf(h.data));
  const [reveal, setReveal] = useState<{ index: number; nonce: number } | undefined>();

  const compareKind = sel.compare !== null ? data.captures.find((c) => c.id === sel.compare)?.kind : undefined;
  const compareNew = compareKind ? sel[compareKind] : null;
  const onSelect = (c: CaptureSummary) => navigate(c.kind === 'goroutine' ? { goroutine: c.id } : { heap: c.id, sampleIndex: undefined });

  return (
    <div className={styles.page} data-testid="runtime-page">
      <header className={styles.header}>
        <div className={styles.titleRow}>
          {kind === 'live' ? <Badge tone="info" variant="solid">LIVE</Badge> : <Badge tone="bundle" variant="solid">BUNDLE</Badge>}
          <h1 className={styles.title}>{clusterName}<span className={styles.titleSub}>Runtime</span></h1>
        </div>
        <CaptureActions clusterId={clusterId} canCapture={data.canCapture} reason={data.reason} components={data.components} onCaptured={onSelect} />
      </header>

      {g.isError ? <Problem>Goroutine capture #{sel.goroutine} cannot be shown: {g.error.message}</Problem> : null}
      {goroutines ? <FindingsPanel analysis={goroutines} onGroup={(index) => setReveal({ index, nonce: Date.now() })} /> : null}

      <div className={styles.topGrid}>
        <CapturesCard clusterId={clusterId} captures={data.captures} selected={sel} now={data.now}
          onSelect={onSelect} onUploaded={onSelect}
          onCompare={(c) => navigate({ compare: c.id })} />
        <TrendCard clusterId={clusterId} bundle={kind === 'bundle'} captures={data.captures} />
      </div>

      {sel.compare !== null && compareNew !== null && compareNew !== undefined && compareNew !== sel.compare ? (
        <DiffPanel clusterId={clusterId} base={sel.compare} next={compareNew} sampleIndex={compareKind === 'heap' ? heap?.sampleIndex : undefined} onClose={() => navigate({ compare: null })} />
      ) : null}

      {goroutines ? <GoroutineTable analysis={goroutines} reveal={reveal} stale={!g.data} />
        : sel.goroutine !== null && g.isPending ? <p className={styles.empty}>Parsing goroutine dump #{sel.goroutine}…</p> : null}

      {h.isError ? <Problem>Heap capture #{sel.heap} cannot be shown: {h.error.message}</Problem> : null}
      {heap ? <HeapPanel analysis={heap} stale={!h.data} onSampleIndex={(si) => navigate({ sampleIndex: si })} onSort={(s) => navigate({ heapSort: s === 'cum' ? 'cum' : undefined })} />
        : sel.heap !== null && h.isPending ? <p className={styles.empty}>Parsing heap profile #{sel.heap}…</p> : null}
    </div>
  );
}
