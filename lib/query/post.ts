import type { z } from 'zod';
import { ApiError } from './api';

/**
 * The one way the browser changes state on the server: every POST of the runbook wizard goes
 * through here, so request-forgery protection (a CSRF header) is added in one place.
 */
export async function apiPost<S extends z.ZodType>(path: string, body: unknown, schema: S): Promise<z.infer<S>> {
  let res: Response;
  try {
    res = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify(body), cache: 'no-store' });
  } catch (e) {
    throw new ApiError('network', `no answer (${e instanceof Error ? e.message : String(e)})`);
  }
  const json: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const msg = json && typeof json === 'object' && 'error' in json && typeof json.error === 'string' ? json.error : `${res.status} ${res.statusText}`;
    throw new ApiError('http', msg, res.status);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new ApiError('invalid', `unexpected answer from ${path}`);
  return parsed.data;
}
