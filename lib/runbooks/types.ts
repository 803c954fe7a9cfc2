import type { AuditDiskInput } from '../audit/disk';
import type { Finding, ReadinessInput, Severity, Timed } from '../detectors/types';
import type { Query, SeriesLoader } from '../timeline/types';

/**
 * Runbooks as data (design.md: "dashboards are data"; do the same for runbooks). A step is one of
 * five kinds; the wizard renders each kind, and checks evaluate themselves against recorded data.
 * The server never runs a command: it shows it, templated with the cluster's values, for a human.
 */
export type StepKind = 'check' | 'command' | 'capture' | 'decide' | 'note';

/** Values commands are templated with: `{{name}}` in a command. */
export type ValueName =
  | 'context' | 'apiserver' | 'etcdEndpoint' | 'etcdCerts' | 'revision' | 'resource' | 'group' | 'version' | 'namespace'
  | 'namespaced' | 'resourceName' | 'batchSize' | 'resourcePath' | 'nodes' | 'auditLogPath' | 'etcdDataDir' | 'auditPolicyPath' | 'keepDir';
export type RunbookValues = Partial<Record<ValueName, string>>;

export type CheckSpec =
  /** Passes when none of these detectors fires at `atLeast` (default warning) or above. */
  | { type: 'no-finding'; detectors: string[]; atLeast?: Severity }
  /** Passes when the last `points` values of every series of the query are below/above the limit. */
  | { type: 'metric'; label: string; query: Query; below?: number; above?: number; format: 'seconds' | 'count' | 'ops' | 'bytes' | 'percent'; points?: number; whenMissing: 'pass' | 'fail' | 'unknown'; windowMs?: number }
  /** etcd DB size under a percentage of its quota (space reclaimed by defragmentation). */
  | { type: 'db-usage'; belowPercent: number }
  /** The DB size dropped by at least this fraction since the run started (defrag worked). */
  | { type: 'db-shrunk'; byFraction: number }
  /** A compaction happened after the run started (etcd's compact revision moved). */
  | { type: 'compacted' }
  /** /readyz?verbose answered ok. */
  | { type: 'readyz' }
  /**
   * The audit log's filesystem (sampled on this host): used under `belowPercent` (df's Use%), and the
   * audit logs growing no faster than `maxGrowthPerMinute` bytes over the last `windowMs` (default 3 min).
   */
  | { type: 'audit-disk'; belowPercent?: number; maxGrowthPerMinute?: number; windowMs?: number }
  /** A capture of this kind was taken after the run started. */
  | { type: 'capture-taken'; capture: CaptureKind };

export type CaptureKind = 'goroutine' | 'heap' | 'census';

interface StepBase {
  id: string;
  title: string;
  /** Why this step, and what to look at: plain text, paragraphs split by blank lines. */
  detail?: string;
}
export interface CheckStep extends StepBase { kind: 'check'; check: CheckSpec }
export interface CommandStep extends StepBase {
  kind: 'command';
  /** One command per line; `{{value}}` placeholders. */
  command: string;
  /** Where to run it. */
  where: 'workstation' | 'etcd host' | 'control-plane host' | 'every node';
  /** Changes the cluster (shown with a warning). */
  mutating?: boolean;
}
export interface CaptureStep extends StepBase { kind: 'capture'; capture: CaptureKind; component?: 'kube-apiserver' | 'etcd' }
export interface DecideStep extends StepBase { kind: 'decide'; options: Array<{ label: string; goto: string }> }
export interface NoteStep extends StepBase { kind: 'note'; tone?: 'info' | 'warning' | 'critical' }
export type RunbookStep = CheckStep | CommandStep | CaptureStep | DecideStep | NoteStep;

export interface Runbook {
  id: string;
  title: string;
  /** One paragraph: when to use it. */
  summary: string;
  /** Detectors that open it. */
  detectors: string[];
  /** Values the operator types in (the rest come from the recording). */
  inputs: Array<{ name: ValueName; label: string; placeholder: string; default?: string }>;
  steps: RunbookStep[];
  references: Array<{ title: string; url: string }>;
}

export type CheckStatus = 'pass' | 'fail' | 'unknown';
export interface CheckResult { status: CheckStatus; evidence: string[]; at: number }

/** What checks read: the recording around `at`, the current findings, the run's start and its captures. */
export interface CheckContext {
  at: number;
  load: SeriesLoader;
  findings: Finding[];
  readyz?: ReadinessInput | null;
  runStartedAt: number;
  captures: Array<{ kind: CaptureKind; t: number; id?: number }>;
  /** The audit log's disk, latest sample (absent: no audit path followed on this host). */
  auditDisk?: Timed<AuditDiskInput> | null;
}
