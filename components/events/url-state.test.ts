import { describe, expect, it } from 'vitest';
import { eventsApiParams, eventsHref, eventsSearch, readEventsParams } from './url-state';

const D = { from: 'now-1h', to: 'now' };

describe('events URL state', () => {
  it('round-trips range, filter, grouping, selection and limit', () => {
    const q = 'from=now-6h&to=now&refresh=15s&namespace=shop&reason=BackOff&q=crash&group=object&sel=1795400000000-1795400060000&limit=20000';
    const s = readEventsParams((k) => new URLSearchParams(q).get(k), D);
    expect(s).toEqual({ from: 'now-6h', to: 'now', refresh: '15s', filter: { namespace: 'shop', reason: 'BackOff', q: 'crash' }, group: true, sel: { from: 1795400000000, to: 1795400060000 }, limit: 20000 });
    expect(eventsSearch(s)).toBe(q);
    expect(eventsApiParams(s)).toEqual({ from: 'now-6h', to: 'now', namespace: 'shop', reason: 'BackOff', q: 'crash', group: 'object', sel: '1795400000000-1795400060000', limit: '20000' });
  });

  it('ignores unreadable parts and falls back to the defaults', () => {
    const s = readEventsParams((k) => ({ sel: '9-1', limit: 'lots', group: 'yes', refresh: '2s' } as Record<string, string>)[k], D);
    expect(s).toEqual({ from: 'now-1h', to: 'now', filter: {}, group: false });
    expect(eventsApiParams(s).limit).toBe('5000');
  });

  it('links a minute with five minutes of context either side', () => {
    const t = Date.parse('2026-11-23T02:17:25Z');
    const href = eventsHref('ctx-a', { from: t, to: t });
    const sp = new URLSearchParams(href.split('?')[1]);
    expect(href.startsWith('/clusters/ctx-a/events?')).toBe(true);
    expect(sp.get('sel')).toBe(`${Date.parse('2026-11-23T02:17:00Z')}-${Date.parse('2026-11-23T02:18:00Z')}`);
    expect(Number(sp.get('from'))).toBe(Date.parse('2026-11-23T02:12:00Z'));
    expect(Number(sp.get('to'))).toBe(Date.parse('2026-11-23T02:23:00Z'));
  });
});
