import { describe, expect, it } from 'vitest';
import type { ClusterSummary } from '@/lib/query/clusters';
import { clusterHealth } from './cluster-health';

const now = Date.parse('2026-11-23T02:00:00Z');
const live = (o: Partial<ClusterSummary>): ClusterSummary => ({
  id: 'ctx-a', name: 'a', kind: 'live', server: 'https://127.0.0.1:6443', lastOk: now - 4_000, ok: true, ...o,
});

describe('clusterHealth', () => {
  it('is live when the last scrape succeeded recently', () => {
    expect(clusterHealth(live({}), now)).toMatchObject({ kind: 'live', tone: 'ok', detail: 'last scrape 4 s ago' });
  });
  it('is stale when the last good scrape is over a minute old', () => {
    expect(clusterHealth(live({ lastOk: now - 192_000 }), now)).toMatchObject({ kind: 'stale', tone: 'warn', detail: 'last good scrape 3m 12s ago' });
  });
  it('is unreachable when the last attempt failed', () => {
    expect(clusterHealth(live({ ok: false }), now)).toMatchObject({ kind: 'unreachable', tone: 'crit' });
    expect(clusterHealth(live({ ok: false, lastOk: null }), now).detail).toBe('never reached');
  });
  it('waits for the first scrape', () => {
    expect(clusterHealth(live({ ok: null, lastOk: null }), now)).toMatchObject({ kind: 'waiting', tone: 'neutral' });
  });
  it('describes bundles by their captured range', () => {
    const b = clusterHealth({ id: 'bundle-x', name: 'x', kind: 'bundle', server: '/b', lastOk: null, ok: null,
      range: { from: Date.parse('2026-11-23T01:53:00Z'), to: Date.parse('2026-11-23T02:10:00Z') } }, now);
    expect(b).toMatchObject({ kind: 'recorded', tone: 'bundle', detail: '23 Nov 2026, 01:53–02:10 UTC · 17m' });
  });
  it('reports a cluster that failed to open', () => {
    expect(clusterHealth(live({ error: 'manifest.json is missing' }), now)).toMatchObject({ kind: 'error', tone: 'crit', detail: 'manifest.json is missing' });
  });
});
