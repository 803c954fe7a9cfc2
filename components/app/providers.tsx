'use client';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';

export interface ProvidersProps { children: ReactNode }

/**
 * One QueryClient per browser tab (created in state, so a server render never shares it between
 * requests). Pages pass server-rendered data as `initialData`; polling intervals are set per hook.
 */
export function Providers({ children }: ProvidersProps) {
  const [client] = useState(() => new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 4_000,
        retry: 1,
        // A war-room screen is often a background window on a shared display: keep it current.
        refetchIntervalInBackground: true,
        refetchOnWindowFocus: true,
      },
    },
  }));
  return <QueryClientProvider client={client}>{children}</QueryClientProvider>;
}
