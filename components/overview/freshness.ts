import type { Tone } from '@/components/ui/tone';
import { formatAgo, formatDuration, formatIn } from '@/lib/format/duration';
import { formatUtc, formatUtcRange } from '@/lib/format/time';
import type { FreshnessRow, Overview } from '@/lib/query/overview';
import { isStale } from '@/lib/util/staleness';

/**
 * What the freshness banner says, derived from the overview alone (pure, so it is unit-tested
 * without a browser). Ages grow between refreshes by `elapsedMs`, the time since the data arrived.
 */
export type FreshnessState = 'live' | 'degraded' | 'stale' | 'never' | 'connecting' | 'bundle' | 'frozen';

export interface FreshnessView {
  state: FreshnessState;
  tone: Tone;
  /** The words read from across the room: "Live", "Stale for 3m 12s". */
  title: string;
  /** Supporting facts, shown after the title separated by " · ". */
  facts: string[];
}

const UNREACHABLE = /ECONNREFUSED|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN|ECONNRESET|socket hang up|timed out|timeout|unreachable|connect/i;

function componentLabel(c: string): string { return c === 'kube-apiserver' ? 'apiserver' : c; }

/** The recorder prefixes errors with the cluster id; on the cluster's own page that is noise. */
export function cleanError(err: string | null, clusterId: string): string {
  if (!err) return 'unknown error';
  return err.startsWith(`${clusterId}: `) ? err.slice(clusterId.length + 2) : err;
}

function failure(row: FreshnessRow, clusterId: string): string {
  const err = cleanError(row.lastError, clusterId);
  return `${componentLabel(row.component)} ${UNREACHABLE.test(err) ? 'unreachable' : 'scrape failing'}: ${err}`;
}

/** Where the series come from when Prometheus is the recorder's source (`recorder: fill`). */
export function mirrorFact(m: { url: string; components: string[]; lastError: string | null }): string {
  const host = (() => { try { return new URL(m.url).host; } catch { return m.url; } })();
  if (m.lastError) return `scraping /metrics until Prometheus (${host}) answers`;
  if (!m.components.length) return `Prometheus (${host}) has no recent samples: scraping /metrics`;
  const names = m.components.map(componentLabel);
  return `${names.join(' and ')} series from Prometheus (${host})`;
}

/** The row the banner is about: the apiserver, which every source has. */
export function primaryRow(o: Overview): FreshnessRow | undefined {
  return o.freshness.find((f) => f.component === 'kube-apiserver') ?? o.freshness[0];
}

/**
 * `frozen`: the browser lost contact with kube-forensics itself, so "live" can no longer be claimed;
 * the view then says what was last known, in a neutral tone.
 */
export function describeFreshness(o: Overview, elapsedMs: number, frozen = false): FreshnessView {
  if (frozen) {
    // What the recorder's state was when the data arrived; what it is now cannot be known.
    const v = describeRecorder(o, elapsedMs, 0);
    if (v.state === 'live' || v.state === 'degraded') return { state: 'frozen', tone: 'neutral', title: `Last known: ${v.title}`, facts: v.facts };
  }
  return describeRecorder(o, elapsedMs);
}

/** `judgedAtMs`: the time since the data arrived at which staleness is judged (ages shown still grow by `elapsedMs`). */
function describeRecorder(o: Overview, elapsedMs: number, judgedAtMs = elapsedMs): FreshnessView {
  if (o.cluster.kind === 'bundle') {
    const b = o.bundle;
    return {
      state: 'bundle', tone: 'bundle', title: 'Recorded bundle',
      facts: b ? [`captured ${formatUtcRange(b.from, b.to)}`, `${formatDuration(b.to - b.from)} of data`, 'not live'] : ['not live'],
    };
  }

  const serverNow = o.now + elapsedMs;
  const every = `every ${formatDuration(o.intervalMs)}`;
  const row = primaryRow(o);
  const others = o.freshness.filter((f) => f !== row && !f.ok).map((f) => failure(f, o.cluster.id));

  if (!row) {
    return {
      state: 'connecting', tone: 'neutral', title: 'Connecting',
      facts: [o.recorder ? `waiting for the first scrape of ${o.cluster.server || o.cluster.name}` : 'recording is off (KF_RECORD=0)'],
    };
  }

  const age = row.ageMs === null ? null : row.ageMs + elapsedMs;

  // The server's rule, applied to the age as it grows on screen between refreshes.
  if (age !== null && !isStale(row.ageMs! + judgedAtMs, o.intervalMs)) {
    const m = o.recorder?.mirror;
    // With Prometheus as the source, the apiserver's contact is its /readyz probe.
    const facts = [`${m?.components.includes('kube-apiserver') ? 'last probe' : 'last scrape'} ${formatAgo(age)}`, every, ...(m ? [mirrorFact(m)] : []), ...others];
    if (!row.ok) return { state: 'degraded', tone: 'warn', title: 'Live', facts: [facts[0]!, `last attempt failed: ${cleanError(row.lastError, o.cluster.id)}`, ...others] };
    return { state: others.length ? 'degraded' : 'live', tone: others.length ? 'warn' : 'ok', title: 'Live', facts };
  }

  const facts: string[] = [];
  if (!row.ok) facts.push(failure(row, o.cluster.id));
  if (!o.recorder) facts.push('recording is off (KF_RECORD=0)');
  else if (!o.recorder.running) facts.push('recorder stopped');
  else if (o.recorder.backoffOpen && o.recorder.nextAttemptAt > 0) {
    const n = o.recorder.failures;
    facts.push(`next probe ${formatIn(o.recorder.nextAttemptAt - serverNow)}${n > 1 ? ` (backing off after ${n} failures)` : ''}`);
  }
  facts.push(...others);
  facts.push(row.lastOk === null ? 'nothing recorded yet' : `showing recorded data from ${formatUtc(row.lastOk, serverNow)}`);

  if (age === null) return { state: 'never', tone: row.ok ? 'warn' : 'crit', title: 'No successful scrape yet', facts };
  return { state: 'stale', tone: row.ok ? 'warn' : 'crit', title: `Stale for ${formatDuration(age)}`, facts };
}
