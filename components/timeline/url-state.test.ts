import { describe, expect, it } from 'vitest';
import {
  defaultRange, defaultRefresh, dragRange, fromUtcInput, isAbsoluteTime, rangeLabel, readTimelineParams, relativeFrom, runBesideTimelineHref, timelineSearch, toUtcInput,
  zoomOut,
} from './url-state';

const params = (q: string) => { const p = new URLSearchParams(q); return (k: string) => p.get(k); };
const now = Date.parse('2026-11-23T02:00:00Z');

describe('readTimelineParams / timelineSearch', () => {
  it('defaults to the last hour, refresh unset', () => {
    expect(readTimelineParams(params(''))).toEqual({ from: 'now-1h', to: 'now' });
  });
  it('reads every field and writes them back in a fixed order', () => {
    const s = readTimelineParams(params('panel=etcd-db-size&refresh=5s&to=1795400000000&from=1795396400000'));
    expect(s).toEqual({ from: '1795396400000', to: '1795400000000', refresh: '5s', panel: 'etcd-db-size' });
    expect(timelineSearch(s)).toBe('from=1795396400000&to=1795400000000&refresh=5s&panel=etcd-db-size');
  });
  it('drops what it cannot use', () => {
    expect(readTimelineParams(params(`refresh=2s&panel=<script>&from=${'x'.repeat(41)}`))).toEqual({ from: 'now-1h', to: 'now' });
  });
  it('takes other defaults (a bundle shows its capture)', () => {
    const d = defaultRange({ from: now - 600_000, to: now });
    expect(d).toEqual({ from: String(now - 630_000), to: 'now' });
    expect(readTimelineParams(params(''), d)).toEqual({ from: String(now - 630_000), to: 'now' });
    expect(readTimelineParams(params('from=now-6h'), d)).toEqual({ from: 'now-6h', to: 'now' });
    expect(defaultRange(undefined)).toEqual({ from: 'now-1h', to: 'now' });
    expect(defaultRange({ from: now - 7_200_000, to: now })).toEqual({ from: String(now - 7_260_000), to: 'now' });
  });
  it('round-trips', () => {
    const s = { from: 'now-6h', to: 'now', refresh: '1m' as const };
    expect(readTimelineParams(params(timelineSearch(s)))).toEqual(s);
  });
});

describe('defaults', () => {
  it('refreshes live clusters every 15 s and leaves bundles alone', () => {
    expect(defaultRefresh('live')).toBe('15s');
    expect(defaultRefresh('bundle')).toBe('off');
  });
});

describe('relativeFrom', () => {
  it.each([[7_200_000, 'now-2h'], [1_800_000, 'now-30m'], [90_000, 'now-90s'], [2 * 86_400_000, 'now-2d'], [14 * 86_400_000, 'now-2w']])('%d → %s', (ms, e) => {
    expect(relativeFrom(ms)).toBe(e);
  });
});

describe('zoomOut', () => {
  it('keeps a range that ends now relative', () => {
    expect(zoomOut({ from: now - 3_600_000, to: now }, { from: 'now-1h', to: 'now' }, now)).toEqual({ from: 'now-2h', to: 'now' });
  });
  it('doubles an absolute range around its centre', () => {
    const r = zoomOut({ from: now - 4 * 3_600_000, to: now - 2 * 3_600_000 }, { from: '1', to: '2' }, now);
    expect(r).toEqual({ from: String(now - 5 * 3_600_000), to: String(now - 3_600_000) });
  });
  it('never reaches past now', () => {
    const r = zoomOut({ from: now - 3_600_000, to: now - 60_000 }, { from: 'a', to: 'b' }, now);
    expect(Number(r.to)).toBe(now);
    expect(Number(r.to) - Number(r.from)).toBe(2 * (3_600_000 - 60_000));
  });
});

describe('dragRange', () => {
  it('orders the ends and writes absolute ms', () => {
    expect(dragRange(now, now - 60_000.4)).toEqual({ from: String(now - 60_000), to: String(now) });
    expect(isAbsoluteTime(dragRange(now - 60_000, now)!.from)).toBe(true);
  });
  it('ignores a click', () => expect(dragRange(now, now + 500)).toBeNull());
});

describe('rangeLabel', () => {
  it('names quick ranges, else gives the UTC range', () => {
    expect(rangeLabel({ from: 'now-1h', to: 'now' }, { from: now - 3_600_000, to: now })).toBe('Last 1 hour');
    expect(rangeLabel({ from: String(now - 3_600_000), to: String(now) }, { from: now - 3_600_000, to: now })).toBe('23 Nov 2026, 01:00–02:00 UTC');
    expect(rangeLabel({ from: 'now-30m', to: 'now' }, { from: now - 1_800_000, to: now })).toBe('Last 30 minutes');
    expect(rangeLabel({ from: 'now-2h', to: 'now' }, { from: now - 7_200_000, to: now })).toBe('Last 2 hours');
    expect(rangeLabel({ from: String(now - 60_000), to: 'now' }, { from: now - 60_000, to: now })).toBe('23 Nov 2026, 01:59:00–02:00:00 UTC');
  });
});

describe('UTC inputs', () => {
  it('round-trips through a datetime-local value as UTC', () => {
    expect(toUtcInput(now)).toBe('2026-11-23T02:00:00');
    expect(fromUtcInput('2026-11-23T02:00:00')).toBe(now);
    expect(fromUtcInput('2026-11-23T02:00')).toBe(now);
    expect(fromUtcInput('yesterday')).toBeNull();
  });
});

describe('incident filter in the URL', () => {
  it('keeps a well-formed incident id and drops anything else', () => {
    const get = (q: string) => (k: string) => new URLSearchParams(q).get(k);
    expect(readTimelineParams(get('incident=ab3kq9xz2m')).incident).toBe('ab3kq9xz2m');
    expect(readTimelineParams(get('incident=../x')).incident).toBeUndefined();
    expect(timelineSearch({ from: 'now-1h', to: 'now', incident: 'ab3kq9xz2m' })).toBe('from=now-1h&to=now&incident=ab3kq9xz2m');
  });
});

describe('a runbook run beside the charts (?run=)', () => {
  it('reads a run id as a number and writes it last, after the incident', () => {
    const s = readTimelineParams(params('run=12&incident=ab3kq9xz2m&from=now-6h&to=now'));
    expect(s).toEqual({ from: 'now-6h', to: 'now', incident: 'ab3kq9xz2m', run: 12 });
    expect(timelineSearch(s)).toBe('from=now-6h&to=now&incident=ab3kq9xz2m&run=12');
    expect(readTimelineParams(params(timelineSearch(s)))).toEqual(s);
  });
  it.each(['0', '-3', '07', '1.5', 'abc', '12x', '1234567890123456', ''])('drops run=%s', (v) => {
    expect(readTimelineParams(params(`run=${v}`)).run).toBeUndefined();
  });
  it('is removed by setting it undefined (the panel\'s close button), the rest kept', () => {
    const s = readTimelineParams(params('from=now-1h&to=now&panel=etcd-db-size&run=3'));
    expect(timelineSearch({ ...s, run: undefined })).toBe('from=now-1h&to=now&panel=etcd-db-size');
  });
  it('links a run beside the timeline, keeping the view it came from', () => {
    expect(runBesideTimelineHref('ctx-kf test', 7)).toBe('/clusters/ctx-kf%20test/timeline?run=7');
    expect(runBesideTimelineHref('c', 7, 'from=1795396400000&to=1795400000000&panel=etcd-db-size&incident=ab3kq9xz2m&run=2'))
      .toBe('/clusters/c/timeline?from=1795396400000&to=1795400000000&panel=etcd-db-size&incident=ab3kq9xz2m&run=7');
    // Without a range the timeline keeps its own default (a bundle's capture), not the last hour.
    expect(runBesideTimelineHref('c', 7, 'incident=ab3kq9xz2m')).toBe('/clusters/c/timeline?incident=ab3kq9xz2m&run=7');
    // What it cannot use is dropped, as when the timeline reads its URL.
    expect(runBesideTimelineHref('c', 7, 'from=now-6h&panel=<script>&evil=1')).toBe('/clusters/c/timeline?from=now-6h&to=now&run=7');
  });
});

describe('the objects panel\'s view (?objects=)', () => {
  it('keeps small multiples in the link, after the run; anything else is the default (lines)', () => {
    const s = readTimelineParams(params('objects=multiples&run=4&from=now-6h&to=now'));
    expect(s).toEqual({ from: 'now-6h', to: 'now', run: 4, objects: 'multiples' });
    expect(timelineSearch(s)).toBe('from=now-6h&to=now&run=4&objects=multiples');
    for (const v of ['lines', 'stacked', 'MULTIPLES', '']) expect(readTimelineParams(params(`objects=${v}`)).objects).toBeUndefined();
    expect(timelineSearch({ ...s, objects: undefined })).toBe('from=now-6h&to=now&run=4');
  });
});
