// Names shared by the server's auth layer and the browser (isomorphic: no node: imports).

/** Roles, weakest first: each includes the ones before it. */
export const ROLES = ['viewer', 'responder', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export function roleAtLeast(have: Role, need: Role): boolean {
  return ROLES.indexOf(have) >= ROLES.indexOf(need);
}

export function isRole(v: unknown): v is Role {
  return typeof v === 'string' && (ROLES as readonly string[]).includes(v);
}

/** The session cookie (httpOnly, signed). `__Host-` when served over HTTPS: Secure, Path=/, no Domain. */
export const SESSION_COOKIE = 'kf_session';
export const SECURE_SESSION_COOKIE = '__Host-kf_session';
/** Double-submit CSRF token: readable by the page's script, echoed in CSRF_HEADER on POST/PUT/DELETE. */
export const CSRF_COOKIE = 'kf_csrf';
export const CSRF_HEADER = 'x-kf-csrf';

/** The value of a cookie in `document.cookie`-style text. */
export function cookieValue(cookieHeader: string | null | undefined, name: string): string | undefined {
  if (!cookieHeader) return undefined;
  for (const part of cookieHeader.split(';')) {
    const i = part.indexOf('=');
    if (i < 0) continue;
    if (part.slice(0, i).trim() === name) {
      try { return decodeURIComponent(part.slice(i + 1).trim()); } catch { return undefined; }
    }
  }
  return undefined;
}

/** Headers a state-changing request from the page must carry (the CSRF token, when signed in). */
export function csrfHeaders(): Record<string, string> {
  if (typeof document === 'undefined') return {};
  const v = cookieValue(document.cookie, CSRF_COOKIE);
  return v ? { [CSRF_HEADER]: v } : {};
}
