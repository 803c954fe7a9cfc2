import type { AuditDiskInput, AuditDiskLevels } from '../audit/disk';
import type { Query, SeriesLoader } from '../timeline/types';

export type Severity = 'info' | 'warning' | 'critical';

export interface Reference { title: string; url: string }

/** What a finding rests on: series and the time range where the condition held. */
export interface Evidence {
  /** Panel to open, and the series in it. */
  panel?: string;
  series?: string[];
  from: number;
  to: number;
  /** Human-readable figures, e.g. "p99 148 ms (threshold 100 ms)". */
  facts: string[];
}

export interface Finding {
  id: string;
  detector: string;
  title: string;
  severity: Severity;
  summary: string;
  explanation: string;
  evidence: Evidence;
  references: Reference[];
  /** Runbook to open from this finding (lib/runbooks). */
  runbook?: string;
}

interface DetectorBase {
  id: string;
  title: string;
  explanation: string;
  references: Reference[];
  runbook?: string;
  panel?: string;
}

/** A query's value compared with levels, sustained for a number of consecutive points. */
export interface ThresholdDetector extends DetectorBase {
  kind: 'threshold';
  query: Query;
  /** Fires when the value is above (default) or below the levels. */
  direction?: 'above' | 'below';
  levels: Array<{ severity: Severity; above: number }>;
  /** Consecutive evaluated points over the level before it fires (e.g. 2 scrapes). */
  sustainedPoints: number;
  /** How to word the value, e.g. "p99 WAL fsync {value}". */
  summary: string;
  format: 'seconds' | 'count' | 'ops' | 'bytes';
}

/** etcd DB against the quota: percent used and projected time to full. */
export interface DbQuotaDetector extends DetectorBase { kind: 'db-quota'; warnPercent: number; critPercent: number; fullWithinHoursWarn: number; fullWithinHoursCrit: number }
/** NOSPACE: the DB at its quota (the alarm fires at the quota) and writes failing with 5xx. */
export interface NoSpaceDetector extends DetectorBase { kind: 'nospace' }
/** One resource growing far faster than the others. */
export interface GrowthDetector extends DetectorBase { kind: 'resource-growth'; minPerMinute: number; minShare: number; windowMs: number }

/** The `kubernetes` Endpoints: how many apiserver addresses the cluster advertises (one is a single point of failure). */
export interface ApiserverEndpointsDetector extends DetectorBase { kind: 'apiserver-endpoints' }
/** etcd members, counted from the peers a member reports round-trip times to (one member has none). */
export interface EtcdMembersDetector extends DetectorBase { kind: 'etcd-members' }
/** Node heartbeats (Leases, the Ready condition) and the node lifecycle controller's eviction countdown. */
export interface NodeHeartbeatDetector extends DetectorBase { kind: 'node-heartbeats' }
/** A gauge growing steadily (lib/capture/auto-policy `growthVerdict`), with a known-issue hint for the version. */
export interface SteadyGrowthDetector extends DetectorBase {
  kind: 'steady-growth'; series: string; label: string; windowMs: number; minIncrease: number; minRatio: number; format: 'count' | 'bytes';
  /** Known issues (lib/known-issues ids) whose affected versions make the growth a likely match. */
  knownIssues: string[];
  /**
   * The known issues are goroutine leaks: for a series other than goroutines, they are named only
   * when go_goroutines grew by at least this fraction over the same run (else the facts say the
   * goroutines stayed flat: the memory is held by data, not by leaked goroutines).
   */
  goroutinesMustGrow?: number;
}
/** Share of requests answered with 5xx, sustained over consecutive scrapes. */
export interface ErrorRatioDetector extends DetectorBase {
  kind: 'error-ratio'; series: string; minRatePerSecond: number;
  levels: Array<{ severity: Severity; ratio: number }>; sustainedPoints: number;
}
/** Increase of a counter over a window (leader changes ≥ 4 in 15 min, heartbeat send failures > 0). */
export interface CounterIncreaseDetector extends DetectorBase {
  kind: 'counter-increase'; series: string; windowMs: number; levels: Array<{ severity: Severity; atLeast: number }>; summary: string;
}
/** Events per minute from the events archive. */
export interface EventStormDetector extends DetectorBase { kind: 'event-storm'; windowMs: number; levels: Array<{ severity: Severity; perMinute: number }> }
/** Audit log volume (bytes per minute), where audit logs are ingested. */
export interface AuditVolumeDetector extends DetectorBase { kind: 'audit-volume'; windowMs: number; levels: Array<{ severity: Severity; bytesPerMinute: number }> }
/** The audit log's filesystem (statfs, sampled by the audit follower): how full, who fills it, how soon it is full. */
export interface AuditDiskDetector extends DetectorBase { kind: 'audit-disk'; levels: AuditDiskLevels; growthWindowMs: number; maxAgeMs: number }
/** The apiserver's /readyz?verbose: failing checks (etcd first). */
export interface ReadinessDetector extends DetectorBase { kind: 'readiness' }

export type DetectorSpec = ThresholdDetector | DbQuotaDetector | NoSpaceDetector | GrowthDetector | ApiserverEndpointsDetector | EtcdMembersDetector
  | NodeHeartbeatDetector | SteadyGrowthDetector | ErrorRatioDetector | CounterIncreaseDetector | EventStormDetector | AuditVolumeDetector | AuditDiskDetector | ReadinessDetector;

/** A snapshot and when it was taken. */
export interface Timed<T> { t: number; body: T }
/** Structural mirrors of server/cluster/types (lib does not import server code). */
export interface EndpointsInput { addresses: string[]; ports: number[] }
export interface NodeInput {
  name: string;
  zone?: string;
  ready: 'True' | 'False' | 'Unknown';
  /** RFC 3339: the Ready condition's lastTransitionTime. */
  readySince?: string;
  lastHeartbeat?: string;
  taints: Array<{ key: string; effect: string; timeAdded?: string }>;
}
export interface LeaseInput { name: string; renewTime?: string; durationSeconds?: number }
/** A pod bound to a node, with how long it tolerates the not-ready/unreachable NoExecute taints (null: forever). */
export interface PodTolerationInput { namespace: string; name: string; node: string; tolerationSeconds: number | null }

/**
 * kube-controller-manager's node lifecycle settings (facts §3.1). Defaults are 1.20's; a cluster
 * that runs other flags can say so (config), since the controller's flags are not observable.
 */
export interface NodeLifecycleSettings {
  gracePeriodMs: number;
  monitorPeriodMs: number;
  evictionRate: number;
  secondaryEvictionRate: number;
  largeClusterThreshold: number;
  unhealthyZoneThreshold: number;
  /** DefaultTolerationSeconds admission: what a pod without its own toleration gets. */
  defaultTolerationSeconds: number;
}

/** Activity in the events archive (fed by the events recorder: server/store/events). */
export interface EventActivity {
  /** Event occurrences per minute (a repeat's rise in count included), oldest first. */
  perMinute: Array<{ t: number; v: number }>;
  /** The largest (reason, kind) groups in the window, by occurrences. */
  top: Array<{ reason: string; kind: string; type: string; namespace: string; count: number }>;
}
export interface EventActivitySource { activity(from: number, to: number): EventActivity }

/** Error responses in the ingested audit log (minute resolution), grouped by code and message. */
export interface AuditErrorSource { errors(from: number, to: number): Array<{ code: number; message: string; count: number; first: number; last: number }> }

/** Audit volume per minute: the hook the audit ingestion feeds. */
export interface AuditVolumeSource { perMinute(from: number, to: number): Array<{ t: number; events: number; bytes: number }> }

export interface ReadinessInput { t: number; ok: boolean; checks: Array<{ name: string; ok: boolean; reason?: string }> }

export interface DetectionContext {
  load: SeriesLoader;
  /** Evaluate "as of" this time (the end of the range; a bundle's end). */
  at: number;
  /** How far back to look. */
  from: number;
  /**
   * Overrides every threshold detector's `sustainedPoints` (e.g. 1 for `inspect metrics` on a few
   * scrape files, where each interval is all the evidence there is).
   */
  sustainedPoints?: number;
  /** Snapshots and side inputs: detectors that need one stay silent without it. */
  endpoints?: Timed<EndpointsInput> | null;
  nodes?: Timed<NodeInput[]> | null;
  leases?: Timed<LeaseInput[]> | null;
  /** Pods on nodes that are not Ready (for their tolerationSeconds); absent: the default applies. */
  pods?: PodTolerationInput[];
  /** The nodes whose pods `pods` lists (a listed node may have none); other nodes get the default. All nodes when absent. */
  podNodes?: string[];
  nodeLifecycle?: Partial<NodeLifecycleSettings>;
  /** kube-apiserver gitVersion, e.g. "v1.20.2". */
  version?: string;
  readyz?: ReadinessInput | null;
  events?: EventActivitySource;
  audit?: AuditVolumeSource;
  auditErrors?: AuditErrorSource;
  /** The audit log's disk, sampled on this host (absent: no audit path configured, or a bundle). */
  auditDisk?: Timed<AuditDiskInput> | null;
}
