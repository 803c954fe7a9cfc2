// Leak suspects and idle-group collapsing for goroutine groups.
//
// What an idle control plane looks like (facts §9, and testdata/goroutines/kube-apiserver/v1.20.2):
// a kube-apiserver 1.20 has ~1,700–1,800 goroutines, nearly all in `select`, `chan receive`,
// `sync.Cond.Wait` and `IO wait`, spread over ~110 stacks of which the largest holds ~5% (one per
// watched resource: reflectors, cachers, etcd watch streams, gRPC transports). They were all
// started together, so within a group the minutes are equal (min ≈ max ≈ uptime or time since the
// last re-list). None of that is a leak, so size alone or `select` alone never makes a suspect.
//
// What a leak looks like (facts §2, incident 004): goroutines of one stack blocked in a state that
// only ends when another goroutine acts (`chan send` above all), created one by one over time, so
// their minutes are spread (261…429 minutes in the incident), and growing from one dump to the next.
import type { KnownIssueMatch } from '../known-issues/types';
import { diffKeyOf } from './goroutine-diff';
import type { GoroutineDiff } from './goroutine-diff';
import type { GoroutineGroup } from './goroutine-groups';

export interface LeakThresholds {
  /** A group is large from this many goroutines… (default 50) */
  minCount: number;
  /** …and this share of all goroutines (default 0.05). */
  minShare: number;
  /** Minutes after which a wait is long (default 30). */
  longWaitMinutes: number;
  /** `chan send` groups are suspects from this many goroutines waiting ≥ chanSendMinutes (default 3). */
  chanSendMinCount: number;
  /** (default 5) */
  chanSendMinutes: number;
  /** Growth between dumps that counts: at least this many more goroutines… (default 10) */
  minGrowth: number;
  /** …and at least this fraction of the older count (default 0.5). */
  minGrowthRatio: number;
}

export const DEFAULT_LEAK_THRESHOLDS: LeakThresholds = {
  minCount: 50,
  minShare: 0.05,
  longWaitMinutes: 30,
  chanSendMinCount: 3,
  chanSendMinutes: 5,
  minGrowth: 10,
  minGrowthRatio: 0.5,
};

export interface LeakSuspect {
  signature: string;
  stackKey: string;
  count: number;
  state: string | null;
  function: string | null;
  /** 0–100; 100 for a known issue on an affected (or unknown) version. */
  score: number;
  /** One sentence per signal, most important first. */
  reasons: string[];
  /** Ids of matching known issues. */
  knownIssues: string[];
  /** Goroutines more than in the base dump, when one was given. */
  growth: number | null;
}

/**
 * How strongly a wait state suggests a leak: `chan send` ends only when a receiver comes, and a
 * receiver that returned early is the classic leak; lock waits mean contention or a deadlock;
 * `select` / `chan receive` / `sync.Cond.Wait` are how idle loops wait; I/O and running are not waits
 * on another goroutine at all. Names are Go's waitReason strings (runtime/runtime2.go); Go < 1.20
 * reports sync.Mutex/RWMutex/WaitGroup waits as `semacquire`.
 */
export function stateWeight(state: string | null): number {
  if (state === null) return 0.5; // debug=1: unknown
  if (state === 'chan send' || state === 'chan send (nil chan)') return 1;
  if (state === 'semacquire' || state.startsWith('sync.Mutex') || state.startsWith('sync.RWMutex') || state === 'sync.WaitGroup.Wait') return 0.8;
  if (state === 'select' || state === 'chan receive' || state === 'sync.Cond.Wait') return 0.4;
  if (state === 'IO wait') return 0.3;
  return 0.1;
}

/** States in which a goroutine is parked waiting for work: candidates for collapsing. */
const IDLE_STATES = new Set([
  'select', 'chan receive', 'sync.Cond.Wait', 'IO wait', 'sleep', 'select (no cases)', 'chan receive (nil chan)',
  'GC worker (idle)', 'GC sweep wait', 'GC scavenge wait', 'finalizer wait', 'force gc (idle)', 'timer goroutine (idle)',
  'trace reader (blocked)', 'wait for GC cycle', 'GOMAXPROCS updater (idle)',
]);

export function isIdleState(state: string | null): boolean {
  return state !== null && IDLE_STATES.has(state);
}

const pct = (x: number) => `${(x * 100).toFixed(x < 0.1 ? 1 : 0)}%`;

function minutesText(m: GoroutineGroup['minutes']): string {
  return m.min === m.max ? `${m.max} minutes` : `${m.min}–${m.max} minutes (median ${m.median})`;
}

export interface LeakOptions {
  /** All goroutines in the dump (default: sum of group counts). */
  total?: number;
  /** Diff against an older dump, for growth. */
  diff?: GoroutineDiff | null;
  /** Known-issue matches per group signature. */
  knownIssues?: ReadonlyMap<string, readonly KnownIssueMatch[]>;
  thresholds?: Partial<LeakThresholds>;
}

/** Growth per stackKey from a diff (appeared and grew). */
function growthByStack(diff: GoroutineDiff | null | undefined): Map<string, { before: number; after: number }> {
  const m = new Map<string, { before: number; after: number }>();
  if (!diff) return m;
  for (const c of [...diff.grew, ...diff.appeared]) m.set(c.stackKey, { before: c.before, after: c.after });
  return m;
}

export function findLeakSuspects(groups: readonly GoroutineGroup[], options: LeakOptions = {}): LeakSuspect[] {
  const t: LeakThresholds = { ...DEFAULT_LEAK_THRESHOLDS, ...options.thresholds };
  const total = options.total ?? groups.reduce((n, g) => n + g.count, 0);
  const growth = growthByStack(options.diff);
  const depth = options.diff?.depth ?? null;
  // Groups sharing a diff key share its growth; count it once per key, on the largest group.
  const growthTaken = new Set<string>();
  const out: LeakSuspect[] = [];
  for (const g of groups) {
    const reasons: string[] = [];
    let suspect = false;
    let score = 0;
    const w = stateWeight(g.state);
    const share = total > 0 ? g.count / total : 0;
    const large = g.count >= t.minCount && share >= t.minShare;
    const m = g.minutes;
    const longWait = m.median >= t.longWaitMinutes;
    // Created one after another over a long time, not all at start-up.
    const spread = g.count >= 3 && m.max - m.min >= t.longWaitMinutes / 2;
    const stateText = g.state ?? 'an unknown state (debug=1 dump)';

    const known = (options.knownIssues?.get(g.signature) ?? []).filter((k) => k.version !== 'not-affected');
    for (const k of known) {
      suspect = true;
      const fix = k.issue.fixedIn ? `fixed in ${k.issue.fixedIn}` : 'not fixed upstream';
      const ver = k.version === 'affected' ? 'this version is affected' : 'cluster version unknown';
      reasons.push(`matches known issue ${k.issue.id}: ${k.issue.title} (${fix}; ${ver})`);
    }

    let grew: { before: number; after: number } | undefined;
    const key = diffKeyOf(g, depth);
    if (!growthTaken.has(key)) {
      grew = growth.get(key);
      const d = grew ? grew.after - grew.before : 0;
      // Running goroutines are doing work, not waiting; more of them is load, not a leak.
      const parked = g.state !== 'running' && g.state !== 'runnable';
      if (grew && d >= t.minGrowth && d >= t.minGrowthRatio * grew.before && parked) {
        growthTaken.add(key);
        suspect = true;
        reasons.push(`grew from ${grew.before} to ${grew.after} (+${d}) since the base dump`);
        score += 20 + Math.min(20, (20 * d) / Math.max(t.minGrowth * 5, 1));
      } else {
        grew = undefined;
      }
    }

    if (large && w >= 0.8) {
      suspect = true;
      reasons.push(`${g.count} goroutines (${pct(share)} of ${total}) blocked in ${stateText} on one stack`);
    } else if (large && w >= 0.4 && longWait && spread && g.count >= 2 * t.minCount && share >= 2 * t.minShare) {
      suspect = true;
      reasons.push(
        `${g.count} goroutines (${pct(share)} of ${total}) in ${stateText}, created over ${m.max - m.min} minutes and still waiting: ` +
          'accumulating (or long-lived connections)',
      );
    }
    if (g.state === 'chan send' && g.count >= t.chanSendMinCount && m.max >= t.chanSendMinutes) {
      suspect = true;
      reasons.push(`${g.count} goroutines stuck in chan send for up to ${m.max} minutes: their receiver is gone`);
    }

    if (!suspect) continue;
    if (known.length > 0) {
      score = 100;
    } else {
      score += w * 30;
      score += large ? 20 : Math.min(15, (15 * g.count) / Math.max(t.minCount, 1));
      if (longWait) score += 10;
      if (spread) score += 10;
      score = Math.min(99, Math.round(score));
    }
    if (m.max > 0 && !reasons.some((r) => r.includes('minutes'))) reasons.push(`waiting ${minutesText(m)}`);
    else if (spread && !reasons.some((r) => r.includes('created over'))) reasons.push(`created over time: waiting ${minutesText(m)}`);
    out.push({
      signature: g.signature, stackKey: g.stackKey, count: g.count, state: g.state, function: g.topFrame?.function ?? null,
      score, reasons, knownIssues: known.map((k) => k.issue.id), growth: grew ? grew.after - grew.before : null,
    });
  }
  return out.sort((a, b) => b.score - a.score || b.count - a.count);
}

export interface IdleSummary {
  /** Signatures of the collapsed groups. */
  signatures: string[];
  groups: number;
  goroutines: number;
  /** Goroutines per state among the collapsed groups, largest first. */
  byState: Array<{ state: string; goroutines: number }>;
}

/**
 * Which groups a view may fold into one "idle" line: parked in an idle state, individually small
 * (under minShare of all goroutines), not a suspect, not a known issue and not growing. Everything
 * that could be an anomaly stays visible.
 */
export function collapseIdleGroups(
  groups: readonly GoroutineGroup[],
  options: { suspects: readonly LeakSuspect[]; diff?: GoroutineDiff | null; total?: number; minShare?: number },
): IdleSummary {
  const total = options.total ?? groups.reduce((n, g) => n + g.count, 0);
  const minShare = options.minShare ?? DEFAULT_LEAK_THRESHOLDS.minShare;
  const keep = new Set(options.suspects.map((s) => s.signature));
  const depth = options.diff?.depth ?? null;
  const growing = new Set([...(options.diff?.grew ?? []), ...(options.diff?.appeared ?? [])].map((c) => c.stackKey));
  const summary: IdleSummary = { signatures: [], groups: 0, goroutines: 0, byState: [] };
  const byState = new Map<string, number>();
  for (const g of groups) {
    if (!isIdleState(g.state) || keep.has(g.signature) || growing.has(diffKeyOf(g, depth))) continue;
    if (total > 0 && g.count / total >= minShare) continue;
    summary.signatures.push(g.signature);
    summary.groups++;
    summary.goroutines += g.count;
    byState.set(g.state!, (byState.get(g.state!) ?? 0) + g.count);
  }
  summary.byState = [...byState].map(([state, goroutines]) => ({ state, goroutines })).sort((a, b) => b.goroutines - a.goroutines);
  return summary;
}
