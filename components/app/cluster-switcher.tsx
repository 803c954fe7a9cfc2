'use client';
import Link from 'next/link';
import { useCallback, useId, useRef, useState } from 'react';
import { useDismiss } from '@/components/ui/use-dismiss';
import { clusterHealth } from '@/components/clusters/cluster-health';
import { Badge } from '@/components/ui/badge';
import { ChevronDownIcon } from '@/components/ui/icons';
import { StatusDot } from '@/components/ui/status-dot';
import { cx } from '@/components/ui/tone';
import type { ClusterSummary } from '@/lib/query/clusters';
import { clusterHref } from './cluster-nav';
import { useNow } from './use-now';
import styles from './app-shell.module.css';

export interface ClusterSwitcherProps {
  clusters: ClusterSummary[];
  currentId: string | undefined;
  /** Server time of the first render, used for ages until the browser clock takes over. */
  renderedAt: number;
}

/** A disclosure (button + list of links) rather than an ARIA menu: every item is a real link. */
export function ClusterSwitcher({ clusters, currentId, renderedAt }: ClusterSwitcherProps) {
  const [open, setOpen] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  const listId = useId();
  const now = useNow() ?? renderedAt;
  const current = clusters.find((c) => c.id === currentId);

  const close = useCallback(() => setOpen(false), []);
  useDismiss(open, close, root, button);

  const groups = [
    { title: 'Live clusters', items: clusters.filter((c) => c.kind === 'live') },
    { title: 'Recorded bundles', items: clusters.filter((c) => c.kind === 'bundle') },
  ].filter((g) => g.items.length > 0);

  const currentHealth = current ? clusterHealth(current, now) : null;

  return (
    <div className={styles.switcher} ref={root}>
      <button
        ref={button}
        type="button"
        className={styles.switcherButton}
        aria-expanded={open}
        aria-controls={listId}
        onClick={() => setOpen((o) => !o)}
      >
        {current && currentHealth ? (
          <>
            <StatusDot tone={currentHealth.tone} label={currentHealth.label} />
            <span className={styles.switcherName}>{current.name}</span>
          </>
        ) : (
          <span className={styles.switcherPlaceholder}>{clusters.length ? 'Select a cluster' : 'No clusters'}</span>
        )}
        <ChevronDownIcon size={16} className={styles.switcherChevron} />
        <span className="visually-hidden">Switch cluster</span>
      </button>
      {open ? (
        <div id={listId} className={styles.popover}>
          {groups.length === 0 ? <p className={styles.popoverEmpty}>No clusters configured.</p> : null}
          {groups.map((g) => (
            <div key={g.title} className={styles.popoverGroup}>
              <div className={styles.popoverTitle}>{g.title}</div>
              <ul className={styles.popoverList}>
                {g.items.map((c) => {
                  const h = clusterHealth(c, now);
                  return (
                    <li key={c.id}>
                      <Link
                        href={clusterHref(c.id)}
                        className={cx(styles.popoverItem, c.id === currentId && styles.popoverCurrent)}
                        aria-current={c.id === currentId ? 'page' : undefined}
                        onClick={() => setOpen(false)}
                      >
                        <StatusDot tone={h.tone} />
                        <span className={styles.popoverText}>
                          <span className={styles.popoverName}>{c.name}</span>
                          <span className={styles.popoverDetail}>{h.label} · {h.detail}</span>
                        </span>
                        {c.kind === 'bundle' ? <Badge tone="bundle">BUNDLE</Badge> : null}
                      </Link>
                    </li>
                  );
                })}
              </ul>
            </div>
          ))}
          <div className={styles.popoverFooter}>
            <Link href="/" onClick={() => setOpen(false)}>All clusters</Link>
          </div>
        </div>
      ) : null}
    </div>
  );
}
