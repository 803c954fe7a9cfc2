'use client';
import { useEffect, useState } from 'react';
import { cx } from '@/components/ui/tone';
import { isEmptyFilter, type EventFilter } from '@/lib/events/filter';
import { formatCount } from '@/lib/format/number';
import type { Events } from '@/lib/query/events';
import styles from './events.module.css';

export interface FilterBarProps {
  filter: EventFilter;
  facets: Events['facets'];
  group: boolean;
  onFilter: (f: EventFilter) => void;
  onGroup: (g: boolean) => void;
}

const SELECTS = [
  { key: 'type', label: 'Type', all: 'All types' },
  { key: 'namespace', label: 'Namespace', all: 'All namespaces' },
  { key: 'kind', label: 'Kind', all: 'All kinds' },
  { key: 'reason', label: 'Reason', all: 'All reasons' },
  { key: 'component', label: 'Component', all: 'All components' },
] as const;

/** Dropdowns from the facets (each with its count under the other filters), free text, grouping. */
export function FilterBar({ filter, facets, group, onFilter, onGroup }: FilterBarProps) {
  const [text, setText] = useState(filter.q ?? '');
  // Typing settles for 300 ms before it becomes a query (and a history entry).
  useEffect(() => {
    if ((filter.q ?? '') === text.trim()) return;
    const t = setTimeout(() => onFilter({ ...filter, q: text.trim() || undefined }), 300);
    return () => clearTimeout(t);
  }, [text, filter, onFilter]);
  // The URL changed the query (Back, a link, "clear"): the box follows (React's "adjust state on a prop change").
  const [seenQ, setSeenQ] = useState(filter.q);
  if (seenQ !== filter.q) { setSeenQ(filter.q); setText(filter.q ?? ''); }

  const set = (k: keyof EventFilter, v: string) => onFilter({ ...filter, [k]: v || undefined });

  return (
    <div className={styles.filters} data-testid="event-filters">
      <input className={cx(styles.input, styles.search)} type="search" placeholder="Search messages and object names…" aria-label="Search messages and object names"
        value={text} onChange={(e) => setText(e.target.value)} data-testid="event-search" />
      {SELECTS.map((s) => {
        const values = facets[s.key];
        const current = filter[s.key];
        return (
          <select key={s.key} className={cx(styles.select, current && styles.selectActive)} aria-label={s.label} value={current ?? ''}
            onChange={(e) => set(s.key, e.target.value)} data-testid={`filter-${s.key}`}>
            <option value="">{s.all}</option>
            {current && !values.some((v) => v.value === current) ? <option value={current}>{current} (0)</option> : null}
            {values.map((v) => <option key={v.value} value={v.value}>{v.value || '(none)'} ({formatCount(v.n)})</option>)}
          </select>
        );
      })}
      {filter.name ? (
        <span className={styles.chip} data-testid="filter-name">
          object {filter.kind ? `${filter.kind} ` : ''}{filter.name}
          <button type="button" aria-label="Clear the object filter" onClick={() => onFilter({ ...filter, name: undefined })}>×</button>
        </span>
      ) : null}
      <label className={styles.toggle}>
        <input type="checkbox" checked={group} onChange={(e) => onGroup(e.target.checked)} data-testid="group-toggle" />
        Group by object
      </label>
      {!isEmptyFilter(filter) ? (
        <button type="button" className={styles.linkButton} onClick={() => { setText(''); onFilter({}); }} data-testid="clear-filters">Clear filters</button>
      ) : null}
    </div>
  );
}
