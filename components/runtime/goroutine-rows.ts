// The goroutine table's rows: filtered groups, with the small idle groups folded into one summary
// row (expandable) so the few groups that matter are on the first screen.
import type { GoroutineAnalysis, GoroutineGroupRow } from '@/lib/query/runtime';

export interface GroupFilter {
  /** Case-insensitive substring of the top function, the creator or any frame. */
  text: string;
  /** '' for all states. */
  state: string;
  minMinutes: number;
}

export const EMPTY_FILTER: GroupFilter = { text: '', state: '', minMinutes: 0 };

export type GroupTableRow =
  | { type: 'group'; index: number; group: GoroutineGroupRow }
  | { type: 'idle'; groups: number; goroutines: number; byState: GoroutineAnalysis['idle']['byState']; expanded: boolean };

export function matchesFilter(g: GoroutineGroupRow, f: GroupFilter): boolean {
  if (f.state && (g.state ?? '') !== f.state) return false;
  if (f.minMinutes > 0 && g.minutes.max < f.minMinutes) return false;
  const q = f.text.trim().toLowerCase();
  if (!q) return true;
  if (g.function?.toLowerCase().includes(q) || g.createdBy?.function.toLowerCase().includes(q)) return true;
  return g.frames.some((fr) => fr.function.toLowerCase().includes(q));
}

export function isFiltering(f: GroupFilter): boolean {
  return f.text.trim() !== '' || f.state !== '' || f.minMinutes > 0;
}

/**
 * Rows for the table. Idle groups fold into one summary row placed after the last non-idle group;
 * a filter shows every match (folding matches away would hide what was asked for).
 */
export function groupRows(a: Pick<GoroutineAnalysis, 'groups' | 'idle'>, f: GroupFilter, idleExpanded: boolean): GroupTableRow[] {
  const filtering = isFiltering(f);
  const rows: GroupTableRow[] = [];
  const idle: GroupTableRow[] = [];
  a.groups.forEach((group, index) => {
    if (!matchesFilter(group, f)) return;
    if (group.idle && !filtering) idle.push({ type: 'group', index, group });
    else rows.push({ type: 'group', index, group });
  });
  if (idle.length > 0) {
    rows.push({ type: 'idle', groups: a.idle.groups, goroutines: a.idle.goroutines, byState: a.idle.byState, expanded: idleExpanded });
    if (idleExpanded) rows.push(...idle);
  }
  return rows;
}

/** States present in the dump, most goroutines first, for the filter's menu. */
export function stateOptions(groups: ReadonlyArray<GoroutineGroupRow>): Array<{ state: string; count: number }> {
  const m = new Map<string, number>();
  for (const g of groups) if (g.state) m.set(g.state, (m.get(g.state) ?? 0) + g.count);
  return [...m].map(([state, count]) => ({ state, count })).sort((x, y) => y.count - x.count || x.state.localeCompare(y.state));
}

const VENDOR = 'k8s.io/kubernetes/vendor/';
/** Kubernetes' GOPATH-era vendor prefix adds nothing on screen. */
export function shortFunction(fn: string | null | undefined): string {
  if (!fn) return '—';
  return fn.startsWith(VENDOR) ? fn.slice(VENDOR.length) : fn;
}

export function minutesText(m: { min: number; max: number }, state: string | null): string {
  if (state === null) return '—';
  return m.min === m.max ? `${m.max}` : `${m.min}–${m.max}`;
}
