// "Read-only toward clusters", checked in the apiserver's own audit log (Metadata level: one entry
// per request with verb, URI, user and user agent): the dashboard's requests, and those of them a
// read-only tool must never send. Shared by the integration test that drives every route and by
// the browser suite's live control plane.
import { isAllowedPath } from '../../lib/cluster/allowed-paths';
import { auditRequests, type AuditEntry } from '../integration/helpers';

export const MUTATING = new Set(['create', 'update', 'patch', 'delete', 'deletecollection']);

/** The dashboard's requests: its certificate's user, or its user agent. */
export const ours = (e: AuditEntry) => e.user?.username === 'kube-forensics' || (e.userAgent ?? '').startsWith('kube-forensics/');

export interface ReadOnlyReport {
  requests: AuditEntry[];
  byVerb: Record<string, number>;
  /** Each list must be empty. */
  mutating: string[];
  notRead: string[];
  offAllowList: string[];
  /** Requests that were ours by user or by agent but not both (another identity or agent in use). */
  foreign: string[];
}

/** The dashboard's requests received in [from, to) and what is wrong with them, if anything. */
export function readOnlyReport(auditLog: string, from: number, to: number): ReadOnlyReport {
  const requests = auditRequests(auditLog, from, to, ours);
  const byVerb: Record<string, number> = {};
  for (const e of requests) byVerb[e.verb] = (byVerb[e.verb] ?? 0) + 1;
  const line = (e: AuditEntry) => `${e.verb} ${e.requestURI} (${e.user?.username ?? '?'}, ${e.userAgent ?? '?'})`;
  return {
    requests, byVerb,
    mutating: requests.filter((e) => MUTATING.has(e.verb)).map(line),
    notRead: requests.filter((e) => !['get', 'list', 'watch'].includes(e.verb)).map(line),
    offAllowList: requests.filter((e) => !isAllowedPath(e.requestURI)).map(line),
    foreign: requests.filter((e) => e.user?.username !== 'kube-forensics' || !(e.userAgent ?? '').startsWith('kube-forensics/')).map(line),
  };
}
