/**
 * Severities of findings and panel stats mapped onto the one status palette (components/ui/tone):
 * critical is red, warning amber, ok green. "info" is neutral grey: blue means live, not a status.
 */
import type { Tone } from '@/components/ui/tone';
import type { Finding, FindingSeverity } from '@/lib/query/timeline';

export type AnySeverity = FindingSeverity | 'ok';

const RANK: Record<FindingSeverity, number> = { critical: 0, warning: 1, info: 2 };

export function severityTone(s: AnySeverity | undefined): Tone {
  return s === 'critical' ? 'crit' : s === 'warning' ? 'warn' : s === 'ok' ? 'ok' : 'neutral';
}

export function severityLabel(s: FindingSeverity): string {
  return s === 'critical' ? 'CRITICAL' : s === 'warning' ? 'WARNING' : 'INFO';
}

/** Most severe first; among equals, the one whose evidence is most recent. */
export function sortFindings(findings: ReadonlyArray<Finding>): Finding[] {
  return [...findings].sort((a, b) => RANK[a.severity] - RANK[b.severity] || b.evidence.to - a.evidence.to || a.id.localeCompare(b.id));
}

/** The worst severity among findings, for a card's coloured edge. */
export function worstSeverity(findings: ReadonlyArray<Finding>): FindingSeverity | undefined {
  return sortFindings(findings)[0]?.severity;
}
