import styles from './ui.module.css';
import { cx, type Tone } from './tone';

export interface MeterProps {
  /** Fraction in [0, 1]; values above 1 fill the bar and keep their tone. */
  ratio: number;
  tone: Tone;
  label: string;
  size?: 'md' | 'sm';
}

/** A horizontal bar for "used of limit" figures (etcd DB vs quota, object counts vs the largest). */
export function Meter({ ratio, tone, label, size = 'md' }: MeterProps) {
  const pct = Math.max(0, Math.min(1, Number.isFinite(ratio) ? ratio : 0)) * 100;
  return (
    <div
      className={cx(styles.meter, size === 'sm' && styles.meterSm)}
      role="meter"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={Math.round(pct * 10) / 10}
    >
      {/* A visible sliver even for tiny values, so "almost empty" reads differently from "no data". */}
      <span className={cx(styles.meterFill, styles[`fill-${tone}`])} style={{ width: pct > 0 ? `max(${pct}%, 3px)` : 0 }} />
    </div>
  );
}
