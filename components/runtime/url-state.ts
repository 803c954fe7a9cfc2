// The runtime page's selection lives in the URL, so a war-room link shows the same captures:
// ?g=<goroutine capture id>&h=<heap capture id>&base=<capture id to diff against>&si=<sample type>
// &hs=cum (the heap top ordered by cum).
import type { CaptureSummary } from '@/lib/query/runtime';

export interface RuntimeSelection { goroutine: number | null; heap: number | null; compare: number | null; sampleIndex?: string; heapSort?: 'cum' }

const id = (v: string | null | undefined): number | null => (v && /^\d{1,15}$/.test(v) && Number(v) > 0 ? Number(v) : null);

/**
 * Reads the URL; a missing or unknown id falls back to the newest capture of that kind, the
 * apiserver's first (the page's trends, suspects and known issues are about it; etcd's captures
 * sit beside it in the list).
 */
export function readSelection(get: (k: string) => string | null | undefined, captures: ReadonlyArray<CaptureSummary>): RuntimeSelection {
  const pick = (kind: 'goroutine' | 'heap', v: number | null) => {
    const mine = captures.filter((c) => c.kind === kind);
    const newest = mine.find((c) => c.component === 'kube-apiserver') ?? mine[0]; // newest first (the API's order)
    return mine.find((c) => c.id === v)?.id ?? newest?.id ?? null;
  };
  const si = get('si');
  return {
    goroutine: pick('goroutine', id(get('g'))),
    heap: pick('heap', id(get('h'))),
    compare: captures.some((c) => c.id === id(get('base'))) ? id(get('base')) : null,
    ...(si && /^[A-Za-z0-9_]{1,60}$/.test(si) ? { sampleIndex: si } : {}),
    ...(get('hs') === 'cum' ? { heapSort: 'cum' as const } : {}),
  };
}

export function selectionSearch(s: RuntimeSelection): string {
  const q = new URLSearchParams();
  if (s.goroutine !== null) q.set('g', String(s.goroutine));
  if (s.heap !== null) q.set('h', String(s.heap));
  if (s.compare !== null) q.set('base', String(s.compare));
  if (s.sampleIndex) q.set('si', s.sampleIndex);
  if (s.heapSort) q.set('hs', s.heapSort);
  return q.toString();
}
