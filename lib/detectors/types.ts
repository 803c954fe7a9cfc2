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

export type DetectorSpec = ThresholdDetector | DbQuotaDetector | NoSpaceDetector | GrowthDetector;

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
}
