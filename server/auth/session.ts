// Signed session cookies: base64url(JSON payload) "." base64url(HMAC-SHA256), with an expiry, a
// CSRF token (double-submit: also in a script-readable cookie, echoed in a header on writes) and
// the role at sign-in. The key comes from KF_SESSION_SECRET or a random file in the data directory
// (0600), so sessions survive restarts and are shared by proxy.ts and the route handlers.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { isRole, type Role } from '@/lib/auth/constants';
import type { AuthConfig } from './config';

export interface Session { sub: string; role: Role; iat: number; exp: number; csrf: string }

const keys = new Map<string, Buffer>();

export function sessionKey(c: Pick<AuthConfig, 'secretEnv' | 'secretFile'>): Buffer {
  if (c.secretEnv) return crypto.createHash('sha256').update(c.secretEnv).digest();
  const hit = keys.get(c.secretFile);
  if (hit) return hit;
  let key: Buffer;
  try {
    key = fs.readFileSync(c.secretFile);
  } catch {
    fs.mkdirSync(path.dirname(c.secretFile), { recursive: true, mode: 0o700 });
    try {
      fs.writeFileSync(c.secretFile, crypto.randomBytes(32), { mode: 0o600, flag: 'wx' });
    } catch (e) { if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e; }
    key = fs.readFileSync(c.secretFile);
  }
  if (key.length < 32) throw new Error(`${c.secretFile}: session key shorter than 32 bytes`);
  keys.set(c.secretFile, key);
  return key;
}

const mac = (key: Buffer, data: string) => crypto.createHmac('sha256', key).update(data).digest('base64url');

export function signSession(key: Buffer, s: Session): string {
  const body = Buffer.from(JSON.stringify(s)).toString('base64url');
  return `${body}.${mac(key, body)}`;
}

/** The session in a cookie value, or null if it is forged, malformed or expired. */
export function verifySession(key: Buffer, value: string | undefined, now = Date.now()): Session | null {
  if (!value || value.length > 4096) return null;
  const dot = value.indexOf('.');
  if (dot <= 0) return null;
  const body = value.slice(0, dot);
  const sig = Buffer.from(value.slice(dot + 1));
  const want = Buffer.from(mac(key, body));
  if (sig.length !== want.length || !crypto.timingSafeEqual(sig, want)) return null;
  let s: Partial<Session>;
  try { s = JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as Partial<Session>; } catch { return null; }
  if (typeof s.sub !== 'string' || !isRole(s.role) || typeof s.exp !== 'number' || typeof s.iat !== 'number' || typeof s.csrf !== 'string') return null;
  if (s.exp <= now) return null;
  return s as Session;
}

export function newSession(sub: string, role: Role, ttlMs: number, now = Date.now()): Session {
  return { sub, role, iat: now, exp: now + ttlMs, csrf: crypto.randomBytes(24).toString('base64url') };
}
