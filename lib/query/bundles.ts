import { useMutation, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { ApiError } from './api';
import { queryKeys } from './keys';
import { csrfHeaders } from '@/lib/auth/constants';

/** Mirrors `UploadedBundle` (server/bundle/upload.ts). */
export const uploadedBundleSchema = z.object({
  id: z.string(), name: z.string(), from: z.number().optional(), to: z.number().optional(), story: z.string().optional(),
});
export type UploadedBundle = z.infer<typeof uploadedBundleSchema>;

/** Sends a dropped .tar.gz as the request body (streamed by the browser), with the session's CSRF token. */
export function useUploadBundle() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (file: File): Promise<UploadedBundle> => {
      let res: Response;
      try {
        res = await fetch(`/api/bundles/upload?${new URLSearchParams({ name: file.name.slice(0, 200) })}`, {
          method: 'POST', body: file, cache: 'no-store', headers: { 'content-type': 'application/gzip', ...csrfHeaders() },
        });
      } catch (e) { throw new ApiError('network', `no answer (${e instanceof Error ? e.message : String(e)})`); }
      const body: unknown = await res.json().catch(() => null);
      if (!res.ok) {
        const msg = body && typeof body === 'object' && 'error' in body && typeof body.error === 'string' ? body.error : `${res.status} ${res.statusText}`;
        throw new ApiError('http', msg, res.status);
      }
      const parsed = uploadedBundleSchema.safeParse(body);
      if (!parsed.success) throw new ApiError('invalid', 'unexpected answer from the bundle upload');
      return parsed.data;
    },
    onSuccess: () => qc.invalidateQueries({ queryKey: queryKeys.clusters() }),
  });
}
