// Incidents: the war room's shared object and the postmortem's source. Pure types, shared by the
// server (server/incidents: store, live feed; server/postmortem) and the views.
import type { Severity } from '../detectors/types';

export type IncidentSeverity = 'sev1' | 'sev2' | 'sev3' | 'sev4';
export type IncidentStatus = 'investigating' | 'identified' | 'mitigated' | 'resolved';
export const INCIDENT_SEVERITIES: readonly IncidentSeverity[] = ['sev1', 'sev2', 'sev3', 'sev4'];
export const INCIDENT_STATUSES: readonly IncidentStatus[] = ['investigating', 'identified', 'mitigated', 'resolved'];

export interface Incident {
  /** Short, URL-safe, unguessable enough for a share link to be a capability only with auth. */
  id: string;
  title: string;
  severity: IncidentSeverity;
  status: IncidentStatus;
  /** Cluster ids (live contexts or bundles) the incident spans; the first is the primary one. */
  clusters: string[];
  /** The impact window, epoch ms; `to` null while ongoing. */
  from: number;
  to: number | null;
  createdAt: number;
  createdBy: string;
  updatedAt: number;
  /** Free text: what is known so far (the postmortem's summary starts from it). */
  summary: string;
}

export type AnnotationKind = 'observation' | 'action' | 'hypothesis';
export const ANNOTATION_KINDS: readonly AnnotationKind[] = ['observation', 'action', 'hypothesis'];

/** A note on the shared timeline: a point (`to` null) or a range. */
export interface Annotation {
  id: number;
  incidentId: string;
  cluster: string;
  from: number;
  to: number | null;
  kind: AnnotationKind;
  text: string;
  author: string;
  createdAt: number;
}

/** A finding linked to an incident, frozen as it was when linked (detectors re-run later may differ). */
export interface LinkedFinding {
  incidentId: string;
  cluster: string;
  findingId: string;
  detector: string;
  title: string;
  severity: Severity;
  summary: string;
  from: number;
  to: number;
  facts: string[];
  linkedAt: number;
  linkedBy: string;
}

/** A runbook step done during the incident (from the runbook run's step log). */
export interface IncidentStep {
  runId: number;
  runbook: string;
  cluster: string;
  step: string;
  status: 'done' | 'skipped' | 'failed' | 'pending';
  by: string;
  t: number;
  note: string;
}

/** A captured dump or profile linked to the incident (an artifact of its cluster). */
export interface IncidentCapture {
  cluster: string;
  artifactId: number;
  kind: 'goroutine' | 'heap';
  component: string;
  t: number;
}

/**
 * What changed in an incident, as pushed to every open screen (Server-Sent Events). `seq` is the
 * incident's own increasing sequence number: a client that reconnects sends the last one it saw
 * (Last-Event-ID) and gets the changes it missed.
 */
export type IncidentChange =
  | { seq: number; t: number; type: 'incident'; incident: Incident }
  | { seq: number; t: number; type: 'annotation'; annotation: Annotation }
  | { seq: number; t: number; type: 'annotation-deleted'; id: number }
  | { seq: number; t: number; type: 'finding'; finding: LinkedFinding }
  | { seq: number; t: number; type: 'step'; step: IncidentStep }
  | { seq: number; t: number; type: 'capture'; capture: IncidentCapture };

/** Everything known about one incident: the war room's first paint and the postmortem's input. */
export interface IncidentDossier {
  incident: Incident;
  annotations: Annotation[];
  findings: LinkedFinding[];
  steps: IncidentStep[];
  captures: IncidentCapture[];
  /** The latest change's seq, for the live feed to continue from. */
  seq: number;
}
