// The audit page's state lives in the URL, so a war-room link shows the same view:
// ?tab=<top table>&by=events|bytes&from=<expr>&to=<expr>&refresh=&res=&ns=&name= (the object search).
// The range is the timeline's time expressions (now-1h, epoch ms); absent, all the ingested data
// (audit logs are often uploaded long after the fact).
import { REFRESH_OPTIONS, type RefreshOption } from '@/components/timeline/url-state';
import { AUDIT_DIMS, type AuditTopDim } from '@/lib/query/audit';

export interface AuditUrlState {
  tab: AuditTopDim;
  by: 'events' | 'bytes';
  from?: string;
  to?: string;
  refresh?: RefreshOption;
  object: { resource: string; namespace?: string; name: string } | null;
}

/** `now`, `now-<n><s|m|h|d|w>` or epoch ms: what the picker writes. */
const TIME = /^(now(-\d{1,6}[smhdw])?|\d{10,15})$/;
const time = (v: string | null | undefined) => (v && TIME.test(v.trim()) ? v.trim() : undefined);
const RESOURCE = /^[a-z0-9.-]{1,100}$/;

export function readAuditState(get: (k: string) => string | null | undefined): AuditUrlState {
  const tab = get('tab');
  const res = get('res') ?? '';
  const name = get('name') ?? '';
  const ns = get('ns') ?? '';
  const from = time(get('from'));
  const to = time(get('to'));
  const refresh = get('refresh');
  return {
    tab: (AUDIT_DIMS as readonly string[]).includes(tab ?? '') ? (tab as AuditTopDim) : 'userAgent',
    by: get('by') === 'bytes' ? 'bytes' : 'events',
    ...(from !== undefined && to !== undefined && !(/^\d+$/.test(from) && /^\d+$/.test(to) && Number(to) <= Number(from)) ? { from, to } : {}),
    ...(refresh && (REFRESH_OPTIONS as readonly string[]).includes(refresh) && refresh !== 'off' ? { refresh: refresh as RefreshOption } : {}),
    object: RESOURCE.test(res) && name.length > 0 && name.length <= 253 ? { resource: res, name, ...(ns ? { namespace: ns.slice(0, 63) } : {}) } : null,
  };
}

export function auditSearch(s: AuditUrlState): string {
  const q = new URLSearchParams();
  if (s.tab !== 'userAgent') q.set('tab', s.tab);
  if (s.by !== 'events') q.set('by', s.by);
  if (s.from !== undefined && s.to !== undefined) { q.set('from', s.from); q.set('to', s.to); }
  if (s.refresh && s.refresh !== 'off') q.set('refresh', s.refresh);
  if (s.object) {
    q.set('res', s.object.resource);
    q.set('name', s.object.name);
    if (s.object.namespace) q.set('ns', s.object.namespace);
  }
  return q.toString();
}
