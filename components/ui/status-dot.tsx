import styles from './ui.module.css';
import { cx, type Tone } from './tone';

export interface StatusDotProps {
  tone: Tone;
  /** A slow halo for "live and healthy". */
  pulse?: boolean;
  /** Spoken label; omit when adjacent text already says the status. */
  label?: string;
}

export function StatusDot({ tone, pulse = false, label }: StatusDotProps) {
  return (
    <span
      className={cx(styles.dot, styles[`tone-${tone}`], pulse && styles.pulse)}
      {...(label ? { role: 'img', 'aria-label': label } : { 'aria-hidden': true })}
    />
  );
}
