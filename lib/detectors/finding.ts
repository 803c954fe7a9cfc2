import type { DetectorSpec, Finding, Severity } from './types';

export const RANK: Record<Severity, number> = { info: 0, warning: 1, critical: 2 };

/** A finding of detector `d`: its id, title, explanation, references and runbook, plus what was found. */
export function findingOf(d: DetectorSpec, severity: Severity, summary: string, evidence: Finding['evidence']): Finding {
  return {
    id: `${d.id}`, detector: d.id, title: d.title, severity, summary, explanation: d.explanation, evidence, references: d.references,
    ...(d.runbook ? { runbook: d.runbook } : {}),
  };
}

/** "2026-11-23T03:17:05Z" */
export const isoSeconds = (t: number) => new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');
/** "03:17:05 UTC": what an operator reads off a wall clock set to UTC (the top bar's clock). */
export const clockUtc = (t: number) => `${new Date(t).toISOString().slice(11, 19)} UTC`;
