// Authentication settings, from the environment or the `auth:` section of the KF_CONFIG file:
//
//   host: 0.0.0.0                  # the bind address (cli/serve.ts --host sets KF_HOST)
//   auth:
//     mode: password               # none | token | password | oidc | kubernetes
//     file: /etc/kube-forensics/users   # name:role:hash lines (kube-forensics auth hash-password / new-token)
//     sessionHours: 12
//     cookieSecure: auto           # auto (Secure when the request came over HTTPS) | always | never
//     trustProxy: true             # believe X-Forwarded-Proto/Host from the ingress
//     publicUrl: https://kf.example.com   # the origin browsers use (Origin checks behind an ingress)
//
// Kept free of 'server-only' and of server/config.ts so proxy.ts can read it too.
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { bindInfo, type BindInfo } from './bind';

export const AUTH_MODES = ['none', 'token', 'password', 'oidc', 'kubernetes'] as const;
export type AuthMode = (typeof AUTH_MODES)[number];

const authSchema = z.object({
  mode: z.enum(AUTH_MODES).optional(),
  file: z.string().optional(),
  sessionHours: z.number().min(0.1).max(24 * 30).optional(),
  cookieSecure: z.enum(['auto', 'always', 'never']).optional(),
  trustProxy: z.boolean().optional(),
  publicUrl: z.string().url().optional(),
}).strict();

export interface AuthConfig {
  mode: AuthMode;
  /** Users and tokens: `name:role:scrypt$…` or `name:role:sha256$…` lines. */
  file?: string;
  sessionMs: number;
  cookieSecure: 'auto' | 'always' | 'never';
  trustProxy: boolean;
  publicOrigin?: string;
  /** HMAC key for session cookies: KF_SESSION_SECRET, or a random key kept in the data directory. */
  secretFile: string;
  secretEnv?: string;
  bind: BindInfo;
}

function fileSection(env: Record<string, string | undefined>): { auth: z.infer<typeof authSchema>; host?: string; dataDir?: string } {
  if (!env.KF_CONFIG) return { auth: {} };
  const doc = parseYaml(fs.readFileSync(env.KF_CONFIG, 'utf8')) as Record<string, unknown> | null;
  const r = authSchema.safeParse(doc?.auth ?? {});
  if (!r.success) throw new Error(`${env.KF_CONFIG}: auth: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return { auth: r.data, host: typeof doc?.host === 'string' ? doc.host : undefined, dataDir: typeof doc?.dataDir === 'string' ? doc.dataDir : undefined };
}

export function loadAuthConfig(env: Record<string, string | undefined> = process.env, argv: readonly string[] = process.argv): AuthConfig {
  const f = fileSection(env);
  const mode = (env.KF_AUTH ?? f.auth.mode ?? 'none') as AuthMode;
  if (!AUTH_MODES.includes(mode)) throw new Error(`KF_AUTH=${mode}: expected one of ${AUTH_MODES.join(', ')}`);
  const dataDir = path.resolve(env.KF_DATA_DIR ?? f.dataDir ?? path.join(process.cwd(), '.data'));
  const hours = Number(env.KF_SESSION_HOURS ?? f.auth.sessionHours ?? 12);
  const secure = (env.KF_COOKIE_SECURE ?? f.auth.cookieSecure ?? 'auto') as AuthConfig['cookieSecure'];
  const publicUrl = env.KF_PUBLIC_URL ?? f.auth.publicUrl;
  return {
    mode,
    file: env.KF_AUTH_FILE ?? f.auth.file,
    sessionMs: (Number.isFinite(hours) && hours > 0 ? hours : 12) * 3600_000,
    cookieSecure: ['auto', 'always', 'never'].includes(secure) ? secure : 'auto',
    trustProxy: env.KF_TRUST_PROXY !== undefined ? env.KF_TRUST_PROXY === '1' : f.auth.trustProxy ?? false,
    publicOrigin: publicUrl ? new URL(publicUrl).origin : undefined,
    secretFile: path.join(dataDir, 'session.key'),
    secretEnv: env.KF_SESSION_SECRET,
    bind: bindInfo(env.KF_HOST ?? f.host, argv),
  };
}

/** Why this configuration must not start, or null. */
export function startupRefusal(c: AuthConfig): string | null {
  if (c.mode === 'none' && c.bind.exposed) {
    return `kube-forensics refuses to start: it would listen on ${c.bind.hosts.join(', ')} (reachable from other machines) without authentication. `
      + 'Bind to loopback (--host 127.0.0.1, or `next start -H 127.0.0.1`), or choose an auth mode: KF_AUTH=password|token with KF_AUTH_FILE (see SECURITY.md).';
  }
  if ((c.mode === 'token' || c.mode === 'password') && !c.file) return `KF_AUTH=${c.mode} needs KF_AUTH_FILE (name:role:hash lines; see SECURITY.md)`;
  if ((c.mode === 'token' || c.mode === 'password') && c.file && !fs.existsSync(c.file)) return `KF_AUTH_FILE ${c.file} does not exist`;
  if (c.mode === 'oidc') return 'KF_AUTH=oidc is not available in this build: it needs a maintained OpenID Connect client (openid-client) as a direct dependency; see SECURITY.md';
  if (c.mode === 'kubernetes') return 'KF_AUTH=kubernetes is not available in this build (it needs a TokenReview, a create call; see SECURITY.md)';
  if (c.secretEnv !== undefined && c.secretEnv.length < 32) return 'KF_SESSION_SECRET must be at least 32 characters';
  return null;
}

let cached: AuthConfig | null = null;
/** The process's auth configuration (read once). */
export function authConfig(): AuthConfig {
  cached ??= loadAuthConfig();
  return cached;
}
