'use client';
import { Badge } from '@/components/ui/badge';
import { AlertIcon } from '@/components/ui/icons';
import { cx } from '@/components/ui/tone';
import { formatDuration } from '@/lib/format/duration';
import { formatCount } from '@/lib/format/number';
import { formatUtc, utcClock } from '@/lib/format/time';
import type { StormData } from '@/lib/query/events';
import styles from './events.module.css';

export interface StormListProps {
  storms: StormData[];
  now: number;
  onShow: (s: StormData) => void;
}

/** Known storms in the range, each with what it means and where to look next. */
export function StormList({ storms, now, onShow }: StormListProps) {
  if (!storms.length) return null;
  return (
    <section className={styles.storms} aria-label="Event storms" data-testid="storms">
      {storms.map((s) => (
        <article key={`${s.id}-${s.from}`} className={cx(styles.storm, s.severity === 'critical' ? styles.stormCardCrit : styles.stormCardWarn)} data-testid="storm">
          <header className={styles.stormHead}>
            <AlertIcon size={18} />
            <Badge tone={s.severity === 'critical' ? 'crit' : 'warn'} variant="solid">{s.severity === 'critical' ? 'CRITICAL' : 'WARNING'}</Badge>
            <h3 className={styles.stormTitle}>{s.title}</h3>
            <span className={cx(styles.stormWhen, 'num')}>
              {formatCount(s.objects)} objects, {formatCount(s.events)} {s.reason} events · {formatUtc(s.from, now)}–{utcClock(s.to, false)} ({formatDuration(s.to - s.from)}) · peak {s.peak} (threshold {s.threshold})
            </span>
            <button type="button" className={styles.stormShow} onClick={() => onShow(s)} data-testid="storm-show">Show these events</button>
          </header>
          <p className={styles.stormText}>{s.explanation}</p>
          <p className={cx(styles.stormText, styles.muted)}><strong>Next:</strong> {s.next}</p>
        </article>
      ))}
    </section>
  );
}
