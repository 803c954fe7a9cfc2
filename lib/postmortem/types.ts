// The postmortem: what the server gathers for an incident (PostmortemInput), the draft assembled
// from it (PostmortemDraft), and the edits a team saves over the draft (DraftEdits). Pure types.
import type { IncidentDossier, IncidentSeverity, IncidentStatus } from '../incidents/types';
import type { Threshold, TimelineSeries, Unit } from '../timeline/types';

/** One key chart over the incident window, already evaluated from the recorded series. */
export interface ChartInput {
  panelId: string;
  cluster: string;
  title: string;
  unit: Unit;
  explanation: string;
  series: TimelineSeries[];
  thresholds: Threshold[];
  /** Why the chart has no data, when it has none. */
  empty?: string;
}

export interface EventExcerpt {
  cluster: string;
  t: number;
  type: string;
  reason: string;
  object: string;
  /** Already masked (lib/events/redact), as the events API returns it. */
  message: string;
  count: number;
}

export interface AuditExcerpt {
  cluster: string;
  total: number;
  errors: Array<{ code: number; message: string; count: number; first: number; last: number }>;
  users: Array<{ key: string; events: number }>;
  verbs: Array<{ key: string; events: number }>;
}

export interface GoroutineExcerpt {
  cluster: string;
  component: string;
  t: number;
  total: number;
  groups: Array<{ count: number; state: string; function: string; createdBy: string | null; maxMinutes: number | null }>;
  knownIssues: Array<{ id: string; title: string; count: number; fixedIn: string | null }>;
}

export interface HeapExcerpt {
  cluster: string;
  component: string;
  t: number;
  sampleType: string;
  unit: string;
  total: number;
  top: Array<{ function: string; flat: number; flatPct: number; cum: number; cumPct: number }>;
}

export interface PostmortemInput {
  dossier: IncidentDossier;
  /** Display names by cluster id. */
  clusterNames: Record<string, string>;
  /** The window's end when the incident is still open (the cluster's "now"). */
  now: number;
  charts: ChartInput[];
  events: EventExcerpt[];
  audit: AuditExcerpt[];
  goroutines: GoroutineExcerpt[];
  heap: HeapExcerpt[];
}

export type TimelineSource = 'incident' | 'finding' | 'annotation' | 'step' | 'capture' | 'event';

export interface DraftTimelineEntry {
  /** Stable across re-assembly, so an edit can hide or reword one entry. */
  key: string;
  t: number;
  until: number | null;
  source: TimelineSource;
  cluster: string | null;
  text: string;
  who: string | null;
  tone: 'info' | 'warning' | 'critical' | 'ok';
}

export interface ActionItem { text: string; owner: string; status: 'open' | 'done' }

export interface PostmortemDraft {
  incidentId: string;
  title: string;
  severity: IncidentSeverity;
  status: IncidentStatus;
  clusters: Array<{ id: string; name: string }>;
  authors: string[];
  window: { from: number; to: number; ongoing: boolean; durationMs: number };
  summary: string;
  impact: string;
  detection: { at: number | null; how: string; timeToDetectMs: number | null; text: string };
  timeline: DraftTimelineEntry[];
  rootCause: string;
  contributingFactors: string[];
  actionItems: ActionItem[];
  lessons: string;
  evidence: { charts: ChartInput[]; goroutines: GoroutineExcerpt[]; heap: HeapExcerpt[]; events: EventExcerpt[]; audit: AuditExcerpt[] };
  /** When the saved edits were last written, and by whom (null: a fresh draft). */
  edited: { at: number; by: string } | null;
}

/** What a team changes over the assembled draft; absent fields keep the assembled text. */
export interface DraftEdits {
  summary?: string;
  impact?: string;
  detection?: string;
  rootCause?: string;
  contributingFactors?: string[];
  actionItems?: ActionItem[];
  lessons?: string;
  /** Timeline entries left out of the document, by key. */
  hiddenTimeline?: string[];
  /** Timeline entries reworded, by key. */
  timelineText?: Record<string, string>;
}
