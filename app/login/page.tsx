import type { Metadata } from 'next';
import Link from 'next/link';
import { LoginForm } from '@/components/app/login-form';
import { authConfig } from '@/server/auth/config';

export const dynamic = 'force-dynamic';
export const metadata: Metadata = { title: 'Sign in' };

/** Only same-site paths after sign-in (no open redirect to another origin). */
function safeNext(v: string | string[] | undefined): string {
  const s = typeof v === 'string' ? v : '/';
  return s.startsWith('/') && !s.startsWith('//') && !s.startsWith('/\\') ? s : '/';
}

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const c = authConfig();
  const mode = c.mode;
  const q = await searchParams;
  const next = safeNext(q.next);
  const error = typeof q.error === 'string' ? q.error.slice(0, 300) : undefined;
  if (mode === 'oidc' && c.oidc) return <LoginForm mode="oidc" next={next} provider={new URL(c.oidc.issuer).host} error={error} />;
  if (mode !== 'password' && mode !== 'token' && mode !== 'kubernetes') {
    return <p style={{ margin: '10vh auto', maxWidth: '30rem' }}>No sign-in is needed here ({mode === 'none' ? 'open loopback mode' : `${mode} mode`}). <Link href="/">Go to the dashboard</Link>.</p>;
  }
  return <LoginForm mode={mode} next={next} error={error} />;
}
