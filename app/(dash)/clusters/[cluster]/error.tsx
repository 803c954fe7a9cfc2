'use client';
import { ErrorView } from '@/components/app/error-view';

export default function ClusterError({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return <ErrorView error={error} reset={reset} />;
}
