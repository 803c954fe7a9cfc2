import type { z } from 'zod';
import { csrfHeaders } from '@/lib/auth/constants';
import { ApiError } from './api';

/**
 * The one way the browser changes state on the server: every POST of the runbook wizard goes
 * through here, so request-forgery protection (a CSRF header) is added in one place.
 */
export function apiPost<S extends z.ZodType>(path: string, body: unknown, schema: S): Promise<z.infer<S>> {
  return apiSend('POST', path, body, schema);
}

/** POST, PATCH or DELETE with a JSON body, the CSRF header of a signed-in session, and a validated answer. */
export async function apiSend<S extends z.ZodType>(method: 'POST' | 'PATCH' | 'DELETE', path: string, body: unknown, schema: S): Promise<z.infer<S>> {
  let res: Response;
  try {
    res = await fetch(path, {
      method, headers: { 'content-type': 'application/json', accept: 'application/json', ...csrfHeaders() },
      body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store',
    });
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
