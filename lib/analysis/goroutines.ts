// Goroutine dump analysis: groups, leak suspects, known issues, idle collapsing and diffs, in one
// call for the CLI and the dashboard. The pieces live in goroutine-groups.ts (grouping),
// goroutine-leaks.ts (suspects, idle), goroutine-diff.ts and lib/known-issues.
import { matchKnownIssues } from '../known-issues/match';
import type { KnownIssue, KnownIssueMatch, KnownIssueVersionStatus } from '../known-issues/types';
import { GoroutineDumpParser } from '../parse/goroutine-dump';
import type { GoroutineDumpSummary } from '../parse/goroutine-dump';
import { diffGoroutineGroups } from './goroutine-diff';
import type { GoroutineDiff } from './goroutine-diff';
import { GoroutineGrouper } from './goroutine-groups';
import type { GoroutineGroup } from './goroutine-groups';
import { collapseIdleGroups, findLeakSuspects } from './goroutine-leaks';
import type { IdleSummary, LeakSuspect, LeakThresholds } from './goroutine-leaks';

export { GoroutineGrouper, groupGoroutines, formatLocation, sortGroups, stackKeyOf } from './goroutine-groups';
export type { GoroutineGroup, StackLocation } from './goroutine-groups';
export { DEBUG1_DIFF_DEPTH, diffGoroutineGroups, diffKeyOf, isDumpWriter } from './goroutine-diff';
export type { GoroutineDiff, GoroutineGroupChange } from './goroutine-diff';
export { DEFAULT_LEAK_THRESHOLDS, collapseIdleGroups, findLeakSuspects, isIdleState, stateWeight } from './goroutine-leaks';
export type { IdleSummary, LeakOptions, LeakSuspect, LeakThresholds } from './goroutine-leaks';

/** A known issue seen in the dump, summed over the groups that match it. */
export interface KnownIssueFinding {
  id: string;
  title: string;
  component: string;
  fixedIn: string | null;
  links: string[];
  detail: string;
  version: KnownIssueVersionStatus;
  /** Goroutines in matching groups. */
  count: number;
  /** Signatures of the matching groups. */
  signatures: string[];
}

export interface GoroutineAnalysis {
  total: number;
  /** Largest first. */
  groups: GoroutineGroup[];
  /** Highest score first. */
  suspects: LeakSuspect[];
  knownIssues: KnownIssueFinding[];
  /** Groups a view may fold away; never suspects, known issues, growing or large groups. */
  idle: IdleSummary;
  /** Present when a base dump was given. */
  diff: GoroutineDiff | null;
}

export interface GoroutineAnalysisOptions {
  /** Cluster (component) version, e.g. `v1.20.2`, for known-issue ranges. */
  version?: string;
  /** Groups of an older dump of the same process, for growth and the diff. */
  base?: readonly GoroutineGroup[];
  thresholds?: Partial<LeakThresholds>;
  /** Known issues to match (default: lib/known-issues). */
  issues?: readonly KnownIssue[];
}

export function analyzeGoroutines(groups: readonly GoroutineGroup[], options: GoroutineAnalysisOptions = {}): GoroutineAnalysis {
  const total = groups.reduce((n, g) => n + g.count, 0);
  const diff = options.base ? diffGoroutineGroups(options.base, groups) : null;
  const matches = new Map<string, KnownIssueMatch[]>();
  const findings = new Map<string, KnownIssueFinding>();
  for (const g of groups) {
    const found = matchKnownIssues(g, { version: options.version, issues: options.issues });
    if (found.length === 0) continue;
    matches.set(g.signature, found);
    for (const { issue, version } of found) {
      let f = findings.get(issue.id);
      if (!f) {
        f = {
          id: issue.id, title: issue.title, component: issue.component, fixedIn: issue.fixedIn, links: issue.links,
          detail: issue.detail, version, count: 0, signatures: [],
        };
        findings.set(issue.id, f);
      }
      f.count += g.count;
      f.signatures.push(g.signature);
    }
  }
  const suspects = findLeakSuspects(groups, { total, diff, knownIssues: matches, thresholds: options.thresholds });
  const idle = collapseIdleGroups(groups, { suspects, diff, total, minShare: options.thresholds?.minShare });
  const knownIssues = [...findings.values()].sort((a, b) => b.count - a.count);
  return { total, groups: [...groups], suspects, knownIssues, idle, diff };
}

/**
 * Streaming parse + group in one object: feed chunks, get groups at the end. Goroutines are
 * grouped as they are parsed and then dropped, so memory is one chunk plus the groups.
 */
export class GoroutineDumpReader {
  private readonly grouper = new GoroutineGrouper();
  private readonly parser = new GoroutineDumpParser({ onGoroutine: (g) => this.grouper.add(g) });

  write(chunk: string): void {
    this.parser.write(chunk);
  }

  end(info: { byteLength?: number } = {}): { dump: GoroutineDumpSummary; groups: GoroutineGroup[] } {
    const dump = this.parser.end(info);
    return { dump, groups: this.grouper.groups() };
  }
}

/** Parses and groups a dump held in memory. */
export function readGoroutineDump(text: string): { dump: GoroutineDumpSummary; groups: GoroutineGroup[] } {
  const r = new GoroutineDumpReader();
  r.write(text);
  return r.end();
}

const DECODE_SLICE = 1 << 20;

/**
 * Parses and groups a dump held as bytes (UTF-8), decoding a slice at a time so that a 64 MiB
 * dump never becomes one 64 MiB string next to its bytes.
 */
export function readGoroutineDumpBytes(bytes: Uint8Array): { dump: GoroutineDumpSummary; groups: GoroutineGroup[] } {
  const r = new GoroutineDumpReader();
  const decoder = new TextDecoder('utf-8', { fatal: false });
  for (let off = 0; off < bytes.byteLength; off += DECODE_SLICE) {
    r.write(decoder.decode(bytes.subarray(off, off + DECODE_SLICE), { stream: true }));
  }
  r.write(decoder.decode());
  return r.end({ byteLength: bytes.byteLength });
}
