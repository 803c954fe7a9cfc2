'use client';
// Open mode (no authentication, loopback only) is shown on every page, so nobody mistakes a
// development server for a protected one. Signed in: who, which role, and a way out.
import { useRouter } from 'next/navigation';
import { useSession } from '@/lib/query/session';
import { csrfHeaders } from '@/lib/auth/constants';
import styles from './auth-banner.module.css';

export function AuthBanner() {
  const { data } = useSession();
  const router = useRouter();
  if (!data) return null;
  if (data.open) {
    return (
      <div className={styles.open} role="status" data-testid="open-mode-banner">
        <strong>Open mode</strong> — no sign-in: anyone who can reach this loopback address has full access. Set an auth mode before exposing it (see SECURITY.md).
      </div>
    );
  }
  if (!data.user || data.via !== 'session') return null;
  const signOut = async () => {
    await fetch('/api/session', { method: 'DELETE', headers: csrfHeaders() }).catch(() => undefined);
    router.replace('/login');
    router.refresh();
  };
  return (
    <div className={styles.user} data-testid="session-bar">
      Signed in as <strong>{data.user}</strong> ({data.role})
      <button type="button" className={styles.signOut} onClick={() => void signOut()}>Sign out</button>
    </div>
  );
}
