// Audit Policy parsing and evaluation, exactly as kube-apiserver evaluates it
// (k8s.io/apiserver/pkg/audit/policy/checker.go, validation in pkg/apis/audit/validation):
// - rules are tried in order and the first match wins; no match means level None;
// - a rule matches when every filter it sets matches: `users` (username), `userGroups` (any of the
//   user's groups), `verbs`; then, if it sets `namespaces` or `resources`, the request must be a
//   resource request and match those (`namespaces: [""]` means cluster-scoped); otherwise, if it sets
//   `nonResourceURLs`, the request must be a non-resource request whose path matches;
// - resources: `group` must equal the request's API group exactly ("" is core; `*` is NOT a group
//   wildcard); no `resources` means every resource of the group; in `resources`, `*` matches any
//   resource and subresource, `pods/log` a subresource, `*/status` a subresource of any resource,
//   `pods/*` pods and all their subresources; a request on a subresource never matches the bare
//   resource name (`pods` does not match `pods/log`); `resourceNames` restricts to those names;
// - nonResourceURLs: `*`, an exact path, or a prefix ending in `*` (`/healthz*`);
// - the policy-level `omitStages` is added to every rule's (NewChecker unionStages), and the rule's
//   `omitManagedFields`, when set, overrides the policy's.
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { LEVELS, STAGES, requestPath } from './event';
import type { AuditEvent, AuditLevel, AuditStage } from './event';

const GroupResources = z.object({
  group: z.string().optional().default(''),
  resources: z.array(z.string()).optional().default([]),
  resourceNames: z.array(z.string()).optional().default([]),
}).loose();

const Rule = z.object({
  level: z.enum(LEVELS),
  users: z.array(z.string()).optional().default([]),
  userGroups: z.array(z.string()).optional().default([]),
  verbs: z.array(z.string()).optional().default([]),
  resources: z.array(GroupResources).optional().default([]),
  namespaces: z.array(z.string()).optional().default([]),
  nonResourceURLs: z.array(z.string()).optional().default([]),
  omitStages: z.array(z.enum(STAGES)).optional().default([]),
  omitManagedFields: z.boolean().optional(),
}).loose();

const PolicySchema = z.object({
  apiVersion: z.enum(['audit.k8s.io/v1', 'audit.k8s.io/v1beta1', 'audit.k8s.io/v1alpha1']),
  kind: z.literal('Policy'),
  omitStages: z.array(z.enum(STAGES)).optional().default([]),
  omitManagedFields: z.boolean().optional().default(false),
  rules: z.array(Rule).min(1, 'a policy needs at least one rule (the apiserver refuses an empty rule list)'),
}).loose();

export type PolicyRule = z.infer<typeof Rule>;
export type AuditPolicy = z.infer<typeof PolicySchema>;

export class PolicyError extends Error {
  constructor(message: string, readonly issues: string[] = []) { super(message); this.name = 'PolicyError'; }
}

/** Semantic checks the apiserver makes on load (validation.go ValidatePolicy), as messages. */
function validate(p: AuditPolicy): string[] {
  const issues: string[] = [];
  p.rules.forEach((r, i) => {
    const at = `rules[${i}]`;
    if (r.nonResourceURLs.length > 0 && (r.resources.length > 0 || r.namespaces.length > 0)) {
      issues.push(`${at}: rules cannot apply to both regular resources and non-resource URLs`);
    }
    r.nonResourceURLs.forEach((u, j) => {
      if (u !== '*' && !u.startsWith('/')) issues.push(`${at}.nonResourceURLs[${j}]: non-resource URLs must start with "/" or be "*": ${u}`);
      if (u.indexOf('*') >= 0 && u.indexOf('*') !== u.length - 1) issues.push(`${at}.nonResourceURLs[${j}]: "*" is allowed only at the end: ${u}`);
    });
    r.resources.forEach((g, j) => {
      if (g.resourceNames.length > 0 && g.resources.length === 0) issues.push(`${at}.resources[${j}]: resourceNames require resources`);
      g.resources.forEach((res) => {
        if (res.includes('/') && !/^[^/]+\/[^/]+$/.test(res)) issues.push(`${at}.resources[${j}]: "${res}" is not resource or resource/subresource`);
        if (g.resourceNames.length > 0 && (res === '*' || res.startsWith('*/'))) issues.push(`${at}.resources[${j}]: resourceNames cannot be used with the wildcard "${res}"`);
      });
    });
  });
  return issues;
}

/** Real policies are a few KB (the upstream example ~5 KB); these bounds keep YAML parsing cheap. */
export const MAX_POLICY_BYTES = 256 * 1024;
export const MAX_POLICY_LINE = 8 * 1024;

/** Parses a Policy YAML (or JSON); throws PolicyError with every problem found. */
export function parsePolicy(text: string): AuditPolicy {
  if (text.length > MAX_POLICY_BYTES) throw new PolicyError(`policy is larger than ${MAX_POLICY_BYTES / 1024} KiB`);
  // The YAML parser is superlinear on some long scalars (a 260 KB line of quotes took minutes in
  // the fuzz suite); no real policy has a line this long.
  let lineNo = 1;
  for (let i = 0, start = 0; i <= text.length; i++) {
    if (i === text.length || text.charCodeAt(i) === 10) {
      if (i - start > MAX_POLICY_LINE) throw new PolicyError(`policy line ${lineNo} is longer than ${MAX_POLICY_LINE / 1024} KiB`);
      start = i + 1;
      lineNo++;
    }
  }
  let doc: unknown;
  try {
    doc = parseYaml(text, { maxAliasCount: 100 });
  } catch (e) {
    throw new PolicyError(`policy is not valid YAML: ${e instanceof Error ? e.message : String(e)}`);
  }
  const r = PolicySchema.safeParse(doc);
  if (!r.success) {
    const issues = r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new PolicyError(`not an audit Policy: ${issues.join('; ')}`, issues);
  }
  const issues = validate(r.data);
  if (issues.length > 0) throw new PolicyError(`invalid audit Policy: ${issues.join('; ')}`, issues);
  return r.data;
}

/** What the checker needs from a request (authorizer.Attributes). */
export interface RequestAttributes {
  user: string;
  groups: string[];
  verb: string;
  resourceRequest: boolean;
  apiGroup: string;
  resource: string;
  subresource: string;
  namespace: string;
  name: string;
  path: string;
}

export function attributesOf(e: AuditEvent): RequestAttributes {
  const r = e.objectRef;
  return {
    user: e.user.username, groups: e.user.groups, verb: e.verb,
    resourceRequest: r !== null && r.resource !== '',
    apiGroup: r?.apiGroup ?? '', resource: r?.resource ?? '', subresource: r?.subresource ?? '', namespace: r?.namespace ?? '', name: r?.name ?? '',
    path: requestPath(e.requestURI),
  };
}

export function pathMatches(path: string, spec: string): boolean {
  if (spec === '*' || spec === path) return true;
  return spec.endsWith('*') && path.startsWith(spec.replace(/\*+$/, ''));
}

function matchesResource(r: PolicyRule, a: RequestAttributes): boolean {
  if (!a.resourceRequest) return false;
  if (r.namespaces.length > 0 && !r.namespaces.includes(a.namespace)) return false;
  if (r.resources.length === 0) return true;
  const combined = a.subresource ? `${a.resource}/${a.subresource}` : a.resource;
  for (const gr of r.resources) {
    if (gr.group !== a.apiGroup) continue;
    if (gr.resources.length === 0) return true;
    if (gr.resourceNames.length > 0 && !gr.resourceNames.includes(a.name)) continue;
    for (const res of gr.resources) {
      if (res === combined || res === '*') return true;
      if (a.subresource && res.startsWith('*/') && res.slice(2) === a.subresource) return true;
      if (res.endsWith('/*') && res.slice(0, -2) === a.resource) return true;
    }
  }
  return false;
}

export function ruleMatches(r: PolicyRule, a: RequestAttributes): boolean {
  if (r.users.length > 0 && !r.users.includes(a.user)) return false;
  if (r.userGroups.length > 0 && !a.groups.some((g) => r.userGroups.includes(g))) return false;
  if (r.verbs.length > 0 && !r.verbs.includes(a.verb)) return false;
  if (r.namespaces.length > 0 || r.resources.length > 0) return matchesResource(r, a);
  if (r.nonResourceURLs.length > 0) return !a.resourceRequest && r.nonResourceURLs.some((s) => pathMatches(a.path, s));
  return true;
}

export interface PolicyDecision {
  /** Index of the matching rule; -1 when none matched (level None). */
  rule: number;
  level: AuditLevel;
  omitStages: AuditStage[];
  omitManagedFields: boolean;
}

export function evaluatePolicy(p: AuditPolicy, a: RequestAttributes): PolicyDecision {
  for (let i = 0; i < p.rules.length; i++) {
    const r = p.rules[i]!;
    if (ruleMatches(r, a)) {
      return {
        rule: i, level: r.level,
        omitStages: [...new Set([...p.omitStages, ...r.omitStages])],
        omitManagedFields: r.omitManagedFields ?? p.omitManagedFields,
      };
    }
  }
  return { rule: -1, level: 'None', omitStages: p.omitStages, omitManagedFields: p.omitManagedFields };
}

/** A short human description of a rule, for tables: `RequestResponse: users=…, resources=core/secrets`. */
export function describeRule(r: PolicyRule): string {
  const parts: string[] = [];
  const list = (xs: string[]) => (xs.length > 3 ? `${xs.slice(0, 3).join(',')},…` : xs.join(','));
  if (r.users.length) parts.push(`users=${list(r.users)}`);
  if (r.userGroups.length) parts.push(`groups=${list(r.userGroups)}`);
  if (r.verbs.length) parts.push(`verbs=${list(r.verbs)}`);
  if (r.namespaces.length) parts.push(`namespaces=${list(r.namespaces.map((n) => n || '""'))}`);
  if (r.resources.length) {
    parts.push(`resources=${list(r.resources.map((g) => {
      const grp = g.group === '' ? 'core' : g.group;
      return g.resources.length ? g.resources.map((x) => `${grp}/${x}`).join(',') : `${grp}/*`;
    }))}`);
  }
  if (r.nonResourceURLs.length) parts.push(`urls=${list(r.nonResourceURLs)}`);
  return `${r.level}: ${parts.length ? parts.join(' ') : 'everything'}`;
}
