'use client';
import { useState, type FormEvent } from 'react';
import styles from './login-form.module.css';

/** Sign-in: user name and password, or an access token, depending on the server's mode. */
export function LoginForm({ mode, next }: { mode: 'password' | 'token'; next: string }) {
  const [error, setError] = useState<string | null>(null);
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
  return (
    <form className={styles.form} onSubmit={(e) => void submit(e)} data-testid="login-form">
      <h1 className={styles.title}>Sign in to kube-forensics</h1>
      {mode === 'password' ? (
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
