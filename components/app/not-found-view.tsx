'use client';
import Link from 'next/link';
import { useParams } from 'next/navigation';
import styles from './states.module.css';

/** Unknown cluster id: say which, and how clusters get here. */
export function NotFoundView() {
  const params = useParams<{ cluster?: string }>();
  const id = typeof params.cluster === 'string' ? decodeURIComponent(params.cluster) : undefined;
  return (
    <section className={styles.box} data-testid="cluster-not-found">
      <p className={styles.code}>404</p>
      <h1 className={styles.title}>{id ? <>No cluster named <span className="mono">{id}</span></> : 'No such cluster'}</h1>
      <p className={styles.text}>
        This server knows the contexts of its kubeconfig and the bundles it was started with. The cluster may have been
        renamed, or the server restarted without it.
      </p>
      <Link href="/" className={styles.action}>See all clusters</Link>
    </section>
  );
}
