// Authentication settings, from the environment or the `auth:` section of the KF_CONFIG file:
//
//   host: 0.0.0.0                  # the bind address (cli/serve.ts --host sets KF_HOST)
//   auth:
//     mode: password               # none | token | password | oidc | kubernetes
//     file: /etc/kube-forensics/users   # name:role:hash lines (kube-forensics auth hash-password / new-token)
//     sessionHours: 12
//     cookieSecure: auto           # auto (Secure when the request came over HTTPS) | always | never
//     trustProxy: true             # believe X-Forwarded-Proto/Host from the ingress
//     publicUrl: https://kf.example.com   # the origin browsers use (Origin checks; OIDC's redirect URI)
//     kubernetes:                  # mode kubernetes: the caller's own Kubernetes token
//       cluster: prod-eu           # the kubeconfig context whose apiserver judges tokens (default: the first)
//       roles:                     # optional: what RBAC must allow for each role (defaults below)
//         viewer: { verb: list, resource: events }
//     oidc:                        # mode oidc: sign in through an OpenID Connect provider
//       issuer: https://idp.example.com/realms/ops
//       clientId: kube-forensics
//       clientSecretFile: /etc/kube-forensics/oidc-secret   # or KF_OIDC_CLIENT_SECRET
//       usernameClaim: preferred_username
//       groupsClaim: groups
//       roles: { admin: [sre-leads], responder: [sre], viewer: [engineering] }
//
// Kept free of 'server-only' and of server/config.ts so proxy.ts can read it too.
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { ROLES, type Role } from '@/lib/auth/constants';
import { bindInfo, type BindInfo } from './bind';

export const AUTH_MODES = ['none', 'token', 'password', 'oidc', 'kubernetes'] as const;
export type AuthMode = (typeof AUTH_MODES)[number];

/** One RBAC question: a resource verb (as `kubectl auth can-i VERB RESOURCE`) or a non-resource URL. */
const accessCheckSchema = z.union([
  z.object({ verb: z.string().min(1), resource: z.string().min(1), group: z.string().optional(), namespace: z.string().optional() }).strict(),
  z.object({ verb: z.string().min(1), nonResourceURL: z.string().startsWith('/') }).strict(),
]);
export type AccessCheck = z.infer<typeof accessCheckSchema>;

/**
 * What the caller's RBAC must allow for each role, checked from admin down (the first allowed
 * wins). Defaults: admin is cluster-admin (every verb on every resource); a responder may read the
 * apiserver's pprof (captures cost the apiserver, and they read its memory); a viewer may list
 * Events cluster-wide (the `view` ClusterRole).
 */
export const DEFAULT_KUBERNETES_ROLES: Record<Role, AccessCheck> = {
  admin: { verb: '*', group: '*', resource: '*' },
  responder: { verb: 'get', nonResourceURL: '/debug/pprof/' },
  viewer: { verb: 'list', group: '', resource: 'events' },
};

const kubernetesSchema = z.object({
  cluster: z.string().optional(),
  roles: z.object({ viewer: accessCheckSchema.optional(), responder: accessCheckSchema.optional(), admin: accessCheckSchema.optional() }).strict().optional(),
}).strict();

const oidcSchema = z.object({
  issuer: z.string().url(),
  clientId: z.string().min(1),
  clientSecretFile: z.string().optional(),
  scopes: z.array(z.string()).optional(),
  usernameClaim: z.string().optional(),
  groupsClaim: z.string().optional(),
  roles: z.object({ viewer: z.array(z.string()).optional(), responder: z.array(z.string()).optional(), admin: z.array(z.string()).optional() }).strict().optional(),
  defaultRole: z.enum(ROLES).optional(),
}).strict();

export interface KubernetesAuthConfig {
  /** A kubeconfig context name (or the cluster's id `ctx-…`); unset: the first live cluster. */
  cluster?: string;
  roles: Record<Role, AccessCheck>;
}

export interface OidcAuthConfig {
  issuer: string;
  clientId: string;
  clientSecret?: string;
  scopes: string[];
  usernameClaim: string;
  groupsClaim: string;
  /** Groups (from `groupsClaim`) mapped to each role; the strongest role wins. */
  roles: Record<Role, string[]>;
  /** The role of a signed-in person in none of the mapped groups; unset: they are refused. */
  defaultRole?: Role;
}

const authSchema = z.object({
  mode: z.enum(AUTH_MODES).optional(),
  kubernetes: kubernetesSchema.optional(),
  oidc: oidcSchema.optional(),
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
  kubernetes: KubernetesAuthConfig;
  oidc?: OidcAuthConfig;
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
  // A Kubernetes token's RBAC can change at any time and a session does not keep the token to ask
  // again: such sessions last an hour unless configured otherwise.
  const hours = Number(env.KF_SESSION_HOURS ?? f.auth.sessionHours ?? (mode === 'kubernetes' ? 1 : 12));
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
    kubernetes: {
      cluster: env.KF_AUTH_KUBERNETES_CLUSTER ?? f.auth.kubernetes?.cluster,
      roles: { ...DEFAULT_KUBERNETES_ROLES, ...f.auth.kubernetes?.roles },
    },
    oidc: oidcConfig(env, f.auth.oidc),
  };
}

/** OIDC settings: the file's `auth.oidc`, with KF_OIDC_* variables taking precedence. */
function oidcConfig(env: Record<string, string | undefined>, o: z.infer<typeof oidcSchema> | undefined): OidcAuthConfig | undefined {
  const issuer = env.KF_OIDC_ISSUER ?? o?.issuer;
  const clientId = env.KF_OIDC_CLIENT_ID ?? o?.clientId;
  if (!issuer || !clientId) return undefined;
  const secretFile = env.KF_OIDC_CLIENT_SECRET_FILE ?? o?.clientSecretFile;
  const list = (v: string | undefined) => v?.split(',').map((x) => x.trim()).filter(Boolean);
  const defaultRole = env.KF_OIDC_DEFAULT_ROLE ?? o?.defaultRole;
  return {
    issuer,
    clientId,
    clientSecret: env.KF_OIDC_CLIENT_SECRET ?? (secretFile ? fs.readFileSync(secretFile, 'utf8').trim() : undefined),
    scopes: list(env.KF_OIDC_SCOPES) ?? o?.scopes ?? ['openid', 'profile', 'email', 'groups'],
    usernameClaim: env.KF_OIDC_USERNAME_CLAIM ?? o?.usernameClaim ?? 'preferred_username',
    groupsClaim: env.KF_OIDC_GROUPS_CLAIM ?? o?.groupsClaim ?? 'groups',
    roles: {
      viewer: list(env.KF_OIDC_VIEWER_GROUPS) ?? o?.roles?.viewer ?? [],
      responder: list(env.KF_OIDC_RESPONDER_GROUPS) ?? o?.roles?.responder ?? [],
      admin: list(env.KF_OIDC_ADMIN_GROUPS) ?? o?.roles?.admin ?? [],
    },
    defaultRole: defaultRole && (ROLES as readonly string[]).includes(defaultRole) ? defaultRole as Role : undefined,
  };
}

/** Why this configuration must not start, or null. */
export function startupRefusal(c: AuthConfig): string | null {
  if (c.mode === 'none' && c.bind.exposed) {
    return `kube-forensics refuses to start: it would listen on ${c.bind.hosts.join(', ')} (reachable from other machines) without authentication. `
      + 'Bind to loopback (--host 127.0.0.1, or `next start -H 127.0.0.1`), or choose an auth mode: KF_AUTH=password|token (with KF_AUTH_FILE), oidc or kubernetes (see SECURITY.md).';
  }
  if ((c.mode === 'token' || c.mode === 'password') && !c.file) return `KF_AUTH=${c.mode} needs KF_AUTH_FILE (name:role:hash lines; see SECURITY.md)`;
  if ((c.mode === 'token' || c.mode === 'password') && c.file && !fs.existsSync(c.file)) return `KF_AUTH_FILE ${c.file} does not exist`;
  if (c.mode === 'oidc') {
    if (!c.oidc) return 'KF_AUTH=oidc needs an issuer and a client id (KF_OIDC_ISSUER and KF_OIDC_CLIENT_ID, or auth.oidc in KF_CONFIG; see SECURITY.md)';
    if (!c.publicOrigin) return 'KF_AUTH=oidc needs KF_PUBLIC_URL (the address browsers use): the provider sends them back to <KF_PUBLIC_URL>/api/session/oidc';
    const roles = c.oidc.roles;
    if (!c.oidc.defaultRole && roles.viewer.length + roles.responder.length + roles.admin.length === 0) {
      return 'KF_AUTH=oidc maps no group to a role, so nobody could sign in: set auth.oidc.roles (or KF_OIDC_*_GROUPS), or a defaultRole';
    }
  }
  if (c.secretEnv !== undefined && c.secretEnv.length < 32) return 'KF_SESSION_SECRET must be at least 32 characters';
  return null;
}

let cached: AuthConfig | null = null;
/** The process's auth configuration (read once). */
export function authConfig(): AuthConfig {
  cached ??= loadAuthConfig();
  return cached;
}
