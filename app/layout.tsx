import './globals.css';
import type { Metadata, Viewport } from 'next';
import { cookies, headers } from 'next/headers';
import type { ReactNode } from 'react';
import { AppShell } from '@/components/app/app-shell';
import { Providers } from '@/components/app/providers';
import { parseTheme, THEME_COOKIE } from '@/components/app/theme';
import type { ClusterSummary } from '@/lib/query/clusters';
import { authenticate } from '@/server/auth/authorize';
import { getRuntime } from '@/server/runtime';
import { listClusters } from '@/server/views/clusters';

// Every page shows recorder state: nothing here may be prerendered at build time.
export const dynamic = 'force-dynamic';

export const metadata: Metadata = {
  title: { default: 'kube-forensics', template: '%s · kube-forensics' },
  description: 'Kubernetes control-plane forensics: what etcd, the apiserver and the node controller did.',
  icons: { icon: '/favicon.svg' },
};

export const viewport: Viewport = { colorScheme: 'dark light', themeColor: '#0a0e14' };

/** The switcher's first list, and when it was read; a failure here must not take every page down. */
async function initialClusters(): Promise<{ clusters: ClusterSummary[]; at: number }> {
  try {
    return { clusters: await listClusters(await getRuntime()), at: Date.now() };
  } catch (e) {
    console.error('[kube-forensics] cluster list for the top bar:', e);
    return { clusters: [], at: Date.now() };
  }
}

/** Signed in (or open mode)? proxy.ts sends signed-out visitors to /login, whose page renders here too. */
async function signedIn(): Promise<boolean> {
  try { return authenticate(new Request('http://layout.invalid/', { headers: await headers() })) !== null; } catch { return false; }
}

export default async function RootLayout({ children }: { children: ReactNode }) {
  const [jar, authed] = await Promise.all([cookies(), signedIn()]);
  const theme = parseTheme(jar.get(THEME_COOKIE)?.value);
  if (!authed) {
    // The sign-in page: no shell, no cluster list (nothing recorded is shown before sign-in).
    return (
      <html lang="en" data-theme={theme} suppressHydrationWarning>
        <body><main id="main">{children}</main></body>
      </html>
    );
  }
  const { clusters, at } = await initialClusters();
  return (
    <html lang="en" data-theme={theme} suppressHydrationWarning>
      <body>
        <Providers>
          <AppShell clusters={clusters} renderedAt={at} theme={theme}>{children}</AppShell>
        </Providers>
      </body>
    </html>
  );
}
