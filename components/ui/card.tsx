import type { ReactNode } from 'react';
import styles from './ui.module.css';
import { cx, type Tone } from './tone';

export interface CardProps {
  /** Heading text; also names the region for assistive technology and tests. */
  title: ReactNode;
  /** Right side of the header: a timestamp, a count, a badge. */
  aside?: ReactNode;
  /** A coloured top edge for cards whose content is a status. */
  tone?: Tone;
  id: string;
  children: ReactNode;
  className?: string;
  testId?: string;
}

export function Card({ title, aside, tone, id, children, className, testId }: CardProps) {
  const headingId = `${id}-title`;
  return (
    <section aria-labelledby={headingId} className={cx(styles.card, tone && styles[`edge-${tone}`], className)} data-testid={testId}>
      <header className={styles.cardHeader}>
        <h2 id={headingId} className={styles.cardTitle}>{title}</h2>
        {aside ? <div className={styles.cardAside}>{aside}</div> : null}
      </header>
      <div className={styles.cardBody}>{children}</div>
    </section>
  );
}
