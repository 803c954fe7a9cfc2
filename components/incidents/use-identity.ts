'use client';
import { useOperatorName } from '@/components/runbooks/use-operator-name';
import { useSession } from '@/lib/query/session';

/**
 * Who is writing: the signed-in user when auth is on (the server records that name whatever the
 * body says), else the display name this browser keeps (the runbooks' "You are").
 */
export function useIdentity(): { name: string; signedIn: boolean; setName: (v: string) => void } {
  const session = useSession().data;
  const [local, setName] = useOperatorName();
  const signedIn = !!session?.user && session.via !== 'open';
  return { name: signedIn ? session.user! : local, signedIn, setName };
}
