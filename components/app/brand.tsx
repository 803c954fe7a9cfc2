import Link from 'next/link';
import styles from './app-shell.module.css';

/** The product mark: a magnifier over a hexagon (the Kubernetes wheel's outline). */
export function Brand() {
  return (
    <Link href="/" className={styles.brand} aria-label="kube-forensics: all clusters">
      <svg width="26" height="26" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
        <path d="M14 3.2l9.6 5.5v11.1L14 25.3 4.4 19.8V8.7z" fill="none" stroke="currentColor" strokeWidth="2.4" strokeLinejoin="round" className={styles.brandHex} />
        <circle cx="14" cy="14.2" r="4.4" fill="none" stroke="currentColor" strokeWidth="2.4" />
        <path d="M17.3 17.6l9.2 9.2" stroke="currentColor" strokeWidth="3.2" strokeLinecap="round" />
      </svg>
      <span className={styles.brandName}>kube<span className={styles.brandDash}>-</span>forensics</span>
    </Link>
  );
}
