import type { ReactNode } from 'react';
import styles from './ui.module.css';
import { cx, type Tone } from './tone';

export interface BadgeProps {
  tone?: Tone;
  /** `solid` for the few badges that must be seen from across a room (LIVE, BUNDLE). */
  variant?: 'soft' | 'solid' | 'outline';
  children: ReactNode;
  title?: string;
  className?: string;
}

export function Badge({ tone = 'neutral', variant = 'soft', children, title, className }: BadgeProps) {
  return (
    <span className={cx(styles.badge, styles[`badge-${variant}`], styles[`tone-${tone}`], className)} title={title}>
      {children}
    </span>
  );
}
