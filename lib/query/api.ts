import type { z } from 'zod';

/**
 * The browser's one transport to kube-forensics' own API. Failures become a typed `ApiError`
 * (tagged by `kind`, not `instanceof`-only), and every JSON answer is validated with zod at this
 * boundary, so a view never renders a half-understood payload.
 */
export type ApiErrorKind = 'http' | 'network' | 'invalid';

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(readonly kind: ApiErrorKind, message: string, readonly status?: number) { super(message); }
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof Error && e.name === 'ApiError';
}

async function errorMessage(res: Response): Promise<string> {
  try {
    const body: unknown = await res.json();
    if (body && typeof body === 'object' && 'error' in body && typeof body.error === 'string') return body.error;
  } catch { /* not JSON: fall through */ }
  return `${res.status} ${res.statusText || 'error'}`;
}

export async function apiGet<S extends z.ZodType>(path: string, schema: S, signal?: AbortSignal): Promise<z.infer<S>> {
  let res: Response;
  try {
    res = await fetch(path, { signal, headers: { accept: 'application/json' }, cache: 'no-store' });
  } catch (e) {
    if (signal?.aborted) throw e;
    throw new ApiError('network', `no answer (${e instanceof Error ? e.message : String(e)})`);
  }
  if (!res.ok) throw new ApiError('http', await errorMessage(res), res.status);
  const parsed = schema.safeParse(await res.json());
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new ApiError('invalid', `unexpected answer from ${path}: ${first ? `${first.path.join('.')}: ${first.message}` : 'invalid'}`);
  }
  return parsed.data;
}
