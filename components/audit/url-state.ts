// The audit page's state lives in the URL, so a war-room link shows the same view:
// ?tab=<top table>&by=events|bytes&from=<ms>&to=<ms>&res=&ns=&name= (the object search).
import { AUDIT_DIMS, type AuditTopDim } from '@/lib/query/audit';

export interface AuditUrlState {
  tab: AuditTopDim;
  by: 'events' | 'bytes';
  from?: number;
  to?: number;
  object: { resource: string; namespace?: string; name: string } | null;
}

const ms = (v: string | null | undefined) => (v && /^\d{10,15}$/.test(v) ? Number(v) : undefined);
const RESOURCE = /^[a-z0-9.-]{1,100}$/;

export function readAuditState(get: (k: string) => string | null | undefined): AuditUrlState {
  const tab = get('tab');
  const res = get('res') ?? '';
  const name = get('name') ?? '';
  const ns = get('ns') ?? '';
  const from = ms(get('from'));
  const to = ms(get('to'));
  return {
    tab: (AUDIT_DIMS as readonly string[]).includes(tab ?? '') ? (tab as AuditTopDim) : 'userAgent',
    by: get('by') === 'bytes' ? 'bytes' : 'events',
    ...(from !== undefined && to !== undefined && to > from ? { from, to } : {}),
    object: RESOURCE.test(res) && name.length > 0 && name.length <= 253 ? { resource: res, name, ...(ns ? { namespace: ns.slice(0, 63) } : {}) } : null,
  };
}

export function auditSearch(s: AuditUrlState): string {
  const q = new URLSearchParams();
  if (s.tab !== 'userAgent') q.set('tab', s.tab);
  if (s.by !== 'events') q.set('by', s.by);
  if (s.from !== undefined && s.to !== undefined) { q.set('from', String(s.from)); q.set('to', String(s.to)); }
  if (s.object) {
    q.set('res', s.object.resource);
    q.set('name', s.object.name);
    if (s.object.namespace) q.set('ns', s.object.namespace);
  }
  return q.toString();
}
