import 'server-only';
import type { Principal } from './authorize';

/**
 * Who did it, for the record (runbook steps, incidents, annotations): the authenticated user when
 * auth is on, which a body field cannot override; in open loopback mode (no users) the display
 * name the browser sent (components/runbooks/use-operator-name.ts), else `fallback`.
 */
export function actorName(principal: Principal | null, claimed: string | undefined, fallback = ''): string {
  if (principal && principal.via !== 'open') return principal.name;
  return claimed?.trim().slice(0, 100) || fallback;
}
