import { useQuery } from '@tanstack/react-query';
import { z } from 'zod';
import { apiGet } from './api';

/** Mirrors GET /api/session (app/api/session/route.ts). */
export const sessionSchema = z.object({
  mode: z.enum(['none', 'token', 'password', 'oidc', 'kubernetes']),
  open: z.boolean(),
  user: z.string().optional(),
  role: z.enum(['viewer', 'responder', 'admin']).optional(),
  via: z.enum(['open', 'session', 'bearer']).optional(),
});
export type SessionInfo = z.infer<typeof sessionSchema>;

export function useSession() {
  return useQuery({
    queryKey: ['session'],
    queryFn: ({ signal }) => apiGet('/api/session', sessionSchema, signal),
    staleTime: 60_000,
    refetchInterval: 5 * 60_000,
  });
}
