import { describe, expect, it } from 'vitest';
import type { Finding } from '@/lib/query/timeline';
import { findingRunbookHref, openRunFor } from './runbook-link';
import { severityLabel, severityTone, sortFindings, worstSeverity } from './severity';
import { evidenceRange, evidenceWhen, findingTimelineHref, zoomToEvidence } from './timeline-link';

const now = Date.parse('2026-11-23T02:00:00Z');
const MIN = 60_000;

function finding(o: Partial<Finding> & { id: string }): Finding {
  return {
    detector: o.id, title: o.id, severity: 'warning', summary: '', explanation: '', references: [],
    evidence: { from: now - 10 * MIN, to: now - 5 * MIN, facts: [] }, ...o,
  };
}

describe('severity', () => {
  it('maps severities onto the status tones; info is not blue', () => {
    expect(['critical', 'warning', 'info', 'ok', undefined].map((s) => severityTone(s as never))).toEqual(['crit', 'warn', 'neutral', 'ok', 'neutral']);
    expect(severityLabel('critical')).toBe('CRITICAL');
  });
  it('sorts most severe first, then most recent', () => {
    const fs = [
      finding({ id: 'a', severity: 'info' }),
      finding({ id: 'b', severity: 'warning', evidence: { from: 0, to: 1, facts: [] } }),
      finding({ id: 'c', severity: 'critical' }),
      finding({ id: 'd', severity: 'warning', evidence: { from: 0, to: 2, facts: [] } }),
    ];
    expect(sortFindings(fs).map((f) => f.id)).toEqual(['c', 'd', 'b', 'a']);
    expect(worstSeverity(fs)).toBe('critical');
    expect(worstSeverity([])).toBeUndefined();
  });
});

describe('timeline links', () => {
  it('opens 15 minutes before the evidence and 5 after it', () => {
    const f = finding({ id: 'x', evidence: { from: now - 60 * MIN, to: now - 30 * MIN, facts: [] } });
    expect(evidenceRange(f, now)).toEqual({ from: String(now - 75 * MIN), to: String(now - 25 * MIN) });
  });
  it('reaches now when the evidence is recent', () => {
    const f = finding({ id: 'x', evidence: { from: now - 10 * MIN, to: now - MIN, panel: 'etcd-db-size', facts: [] } });
    expect(findingTimelineHref('ctx-kf test', f, now)).toBe(`/clusters/ctx-kf%20test/timeline?from=${now - 25 * MIN}&to=now&panel=etcd-db-size`);
  });
  it('zooms to the evidence with a little room either side', () => {
    const f = finding({ id: 'x', evidence: { from: now - 70 * MIN, to: now - 10 * MIN, facts: [] } });
    expect(zoomToEvidence(f, now)).toEqual({ from: String(now - 80 * MIN), to: 'now' });
    const g = finding({ id: 'y', evidence: { from: now - 100 * MIN, to: now - 99 * MIN, facts: [] } });
    expect(zoomToEvidence(g, now)).toEqual({ from: String(now - 101 * MIN), to: String(now - 98 * MIN) });
  });
});

describe('evidenceWhen', () => {
  it('says "since" while the evidence reaches now', () => {
    expect(evidenceWhen(finding({ id: 'x', evidence: { from: now - 10 * MIN, to: now - 1000, facts: [] } }), now)).toBe('since 01:50:00 UTC');
    expect(evidenceWhen(finding({ id: 'x', evidence: { from: now - 10 * MIN, to: now - 5 * MIN, facts: [] } }), now)).toBe('01:50:00–01:55:00 UTC');
  });
});

describe('runbook links', () => {
  it('offers the runbook with the finding, and carries the timeline it was opened from', () => {
    const f = { runbook: 'etcd-out-of-space', detector: 'etcd-nospace' };
    expect(findingRunbookHref('c', f)).toBe('/clusters/c/runbooks?runbook=etcd-out-of-space&finding=etcd-nospace');
    expect(findingRunbookHref('c', f, 'from=now-1h&to=now')).toBe('/clusters/c/runbooks?runbook=etcd-out-of-space&finding=etcd-nospace&timeline=from%3Dnow-1h%26to%3Dnow');
    expect(findingRunbookHref('c', { detector: 'x' })).toBeUndefined();
  });
  it('resumes an open run: the newest from this detector, else the newest of the runbook', () => {
    const run = (id: number, o: { runbook?: string; finding?: string | null; closedAt?: number | null; startedAt?: number }) => ({
      id, runbook: 'etcd-out-of-space', finding: null, closedAt: null, startedAt: id * 1000, ...o,
    });
    const f = { runbook: 'etcd-out-of-space', detector: 'etcd-nospace' };
    expect(openRunFor([], f)).toBeUndefined();
    expect(openRunFor([run(1, {}), run(2, { runbook: 'other' })], f)).toBe(1);
    expect(openRunFor([run(1, {}), run(3, {}), run(2, { finding: 'etcd-nospace' })], f)).toBe(2);
    expect(openRunFor([run(1, { closedAt: 5 }), run(2, { runbook: 'other' })], f)).toBeUndefined();
    expect(openRunFor([run(1, {})], { detector: 'etcd-nospace' })).toBeUndefined();
  });
});
