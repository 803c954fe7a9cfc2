'use client';
import { utcClock } from '@/lib/format/time';
import { useNow } from './use-now';
import styles from './app-shell.module.css';

/** The wall clock in UTC, the zone of every timestamp on screen. */
export function UtcClock() {
  const now = useNow();
  return (
    <div className={styles.clock} aria-label="Current time, UTC" data-testid="utc-clock" data-ready={now === null ? undefined : ''}>
      <span className={`${styles.clockTime} num`}>{now === null ? '--:--:--' : utcClock(now)}</span>
      <span className={styles.clockZone}>UTC</span>
    </div>
  );
}
