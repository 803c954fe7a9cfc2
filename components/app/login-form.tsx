'use client';
import { useState, type FormEvent } from 'react';
import styles from './login-form.module.css';

/**
 * Sign-in, depending on the server's mode: user name and password; a kube-forensics token; the
 * caller's own Kubernetes token (RBAC decides the role); or a link to the OIDC provider.
 */
export function LoginForm({ mode, next, provider, error: initialError }: { mode: 'password' | 'token' | 'kubernetes' | 'oidc'; next: string; provider?: string; error?: string }) {
  const [error, setError] = useState<string | null>(initialError ?? null);
  const [busy, setBusy] = useState(false);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const body = mode === 'password' ? { username: String(f.get('username') ?? ''), password: String(f.get('password') ?? '') } : { token: String(f.get('token') ?? '') };
    setBusy(true);
    setError(null);
    try {
      const res = await fetch('/api/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      if (res.ok) { window.location.assign(next); return; }
      const j = (await res.json().catch(() => null)) as { error?: string } | null;
      setError(j?.error ?? `sign-in failed (${res.status})`);
    } catch {
      setError('no answer from the server');
    } finally { setBusy(false); }
  };
  if (mode === 'oidc') {
    return (
      <div className={styles.form} data-testid="login-form">
        <h1 className={styles.title}>Sign in to kube-forensics</h1>
        {error ? <p className={styles.error} role="alert">{error}</p> : null}
        <a className={styles.submit} href={`/api/session/oidc?${new URLSearchParams({ next }).toString()}`}>Sign in with {provider ?? 'your identity provider'}</a>
      </div>
    );
  }
  return (
    <form className={styles.form} onSubmit={(e) => void submit(e)} data-testid="login-form">
      <h1 className={styles.title}>Sign in to kube-forensics</h1>
      {mode === 'kubernetes' ? (
        <>
          <label className={styles.label}>Kubernetes token<input name="token" type="password" autoComplete="off" required className={styles.input} /></label>
          <p className={styles.hint}>Your own token for this cluster, for example from <code>kubectl create token</code> or your kubeconfig. The cluster&apos;s RBAC decides what you may do here; the token is not kept.</p>
        </>
      ) : mode === 'password' ? (
        <>
          <label className={styles.label}>User name<input name="username" autoComplete="username" required className={styles.input} /></label>
          <label className={styles.label}>Password<input name="password" type="password" autoComplete="current-password" required className={styles.input} /></label>
        </>
      ) : (
        <label className={styles.label}>Access token<input name="token" type="password" autoComplete="off" required className={styles.input} /></label>
      )}
      {error ? <p className={styles.error} role="alert">{error}</p> : null}
      <button type="submit" className={styles.submit} disabled={busy}>{busy ? 'Signing in…' : 'Sign in'}</button>
    </form>
  );
}
