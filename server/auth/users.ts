// The users file: one `name:role:hash` per line (`#` comments), re-read when it changes so a
// removed user or a changed role takes effect without a restart (and ends that user's sessions).
import fs from 'node:fs';
import { isRole, type Role } from '@/lib/auth/constants';

export interface UserEntry { name: string; role: Role; hash: string }

const NAME = /^[A-Za-z0-9._@-]{1,64}$/;

export function parseUsers(text: string, file = 'users file'): UserEntry[] {
  const out: UserEntry[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (!line || line.startsWith('#')) return;
    const [name, role, ...rest] = line.split(':');
    const hash = rest.join(':');
    if (!name || !NAME.test(name)) throw new Error(`${file}:${i + 1}: user name must match ${NAME}`);
    if (!isRole(role)) throw new Error(`${file}:${i + 1}: role must be viewer, responder or admin`);
    if (!/^(scrypt|sha256)\$/.test(hash)) throw new Error(`${file}:${i + 1}: expected a scrypt$… password hash or a sha256$… token digest (kube-forensics auth hash-password / new-token)`);
    out.push({ name, role, hash });
  });
  return out;
}

let cache: { file: string; mtimeMs: number; size: number; users: UserEntry[] } | null = null;

export function loadUsers(file: string): UserEntry[] {
  const st = fs.statSync(file);
  if (cache && cache.file === file && cache.mtimeMs === st.mtimeMs && cache.size === st.size) return cache.users;
  if ((st.mode & 0o077) !== 0) console.warn(`[kube-forensics] ${file} is readable by group or others (mode ${(st.mode & 0o777).toString(8)}): chmod 600 it`);
  const users = parseUsers(fs.readFileSync(file, 'utf8'), file);
  cache = { file, mtimeMs: st.mtimeMs, size: st.size, users };
  return users;
}
