import { describe, expect, it } from 'vitest';
import { auditSearch, readAuditState } from './url-state';

const read = (q: string) => { const p = new URLSearchParams(q); return readAuditState((k) => p.get(k)); };

describe('audit URL state', () => {
  it('round-trips', () => {
    const s = read('tab=resource&by=bytes&from=1700000000000&to=1700003600000&res=secrets&name=db&ns=prod');
    expect(s).toEqual({ tab: 'resource', by: 'bytes', from: '1700000000000', to: '1700003600000', object: { resource: 'secrets', name: 'db', namespace: 'prod' } });
    expect(read(auditSearch(s))).toEqual(s);
    expect(auditSearch(read(''))).toBe('');
  });

  it('ignores what it does not understand', () => {
    expect(read('tab=evil&by=x&from=1&to=2&res=Secrets!&name=x')).toEqual({ tab: 'userAgent', by: 'events', object: null });
    expect(read('from=1700003600000&to=1700000000000').from).toBeUndefined();
    expect(read('from=now-1y&to=now').from).toBeUndefined();
    expect(read('from=now-1h').from).toBeUndefined(); // both ends or neither
    expect(read('refresh=2s').refresh).toBeUndefined();
  });

  it('keeps relative ranges and the auto-refresh, so a link follows "now"', () => {
    const s = read('from=now-6h&to=now&refresh=15s');
    expect(s).toMatchObject({ from: 'now-6h', to: 'now', refresh: '15s' });
    expect(auditSearch(s)).toBe('from=now-6h&to=now&refresh=15s');
    expect(read(auditSearch(s))).toEqual(s);
  });
});
