'use client';
import Link from 'next/link';
import styles from './states.module.css';

export interface ErrorViewProps { error: Error & { digest?: string }; reset: () => void }

export function ErrorView({ error, reset }: ErrorViewProps) {
  return (
    <section className={styles.box} role="alert">
      <p className={styles.code}>Error</p>
      <h1 className={styles.title}>This page could not be shown</h1>
      <p className={styles.text}>
        {error.message || 'The server failed while reading the recorded data.'}
        {error.digest ? <> (reference <span className="mono">{error.digest}</span> in the server log)</> : null}
      </p>
      <div className={styles.actions}>
        <button type="button" className={styles.action} onClick={reset}>Try again</button>
        <Link href="/" className={styles.secondary}>All clusters</Link>
      </div>
    </section>
  );
}
