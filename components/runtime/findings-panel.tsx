import { Badge } from '@/components/ui/badge';
import { AlertIcon, CheckIcon } from '@/components/ui/icons';
import { cx, type Tone } from '@/components/ui/tone';
import { formatCount } from '@/lib/format/number';
import type { GoroutineAnalysis } from '@/lib/query/runtime';
import { minutesText, shortFunction } from './goroutine-rows';
import styles from './runtime.module.css';
import ui from '@/components/ui/ui.module.css';

export interface FindingsPanelProps {
  analysis: GoroutineAnalysis;
  /** Jump to a group in the table. */
  onGroup?: (index: number) => void;
}

/** Score 100 is a known issue on an affected version; 70+ a strong leak signal. */
function scoreTone(score: number): Tone {
  return score >= 70 ? 'crit' : score >= 40 ? 'warn' : 'neutral';
}

/** Known issues and leak suspects of the selected dump, biggest first: what to read at 3 a.m. */
export function FindingsPanel({ analysis: a, onGroup }: FindingsPanelProps) {
  const issueSigs = new Set(a.knownIssues.flatMap((k) => k.groups));
  // A suspect that is a known issue is shown once, as the known issue.
  const suspects = a.suspects.filter((s) => s.knownIssues.length === 0 || s.group === null || !issueSigs.has(s.group));
  if (a.knownIssues.length === 0 && suspects.length === 0) {
    return (
      <div className={styles.allClear} data-testid="runtime-all-clear">
        <CheckIcon size={20} />
        <span>No known issue and no leak suspect in this dump of {formatCount(a.total)} goroutines.</span>
      </div>
    );
  }
  return (
    <div className={styles.findings} data-testid="runtime-findings">
      {a.knownIssues.map((k) => {
        const group = k.groups.find((g) => g !== null);
        const row = group !== undefined && group !== null ? a.groups[group] : undefined;
        const tone: Tone = k.version === 'not-affected' ? 'warn' : 'crit';
        return (
          <article key={k.id} className={cx(styles.finding, ui[`tone-${tone}`])} data-testid="known-issue" data-issue={k.id}>
            <div className={styles.findingCount}><strong>{formatCount(k.count)}</strong><span>goroutines</span></div>
            <h3 className={styles.findingTitle}>
              <Badge tone={tone} variant="solid">KNOWN ISSUE</Badge>{' '}{k.title}
            </h3>
            <div className={styles.findingMeta}>
              {row ? <Badge tone={tone}>{row.state ?? '?'}</Badge> : null}
              {row ? <span className="num">waiting {minutesText(row.minutes, row.state)} min</span> : null}
              <span>{k.fixedIn ? `fixed in ${k.fixedIn}` : 'not fixed upstream'}</span>
              <span>{k.version === 'affected' ? 'this version is affected' : k.version === 'not-affected' ? 'this version should not be affected' : 'version unknown'}</span>
              {k.links.map((l) => (
                <a key={l} href={l} target="_blank" rel="noreferrer">{l.replace(/^https:\/\/github\.com\/kubernetes\/kubernetes\/(pull|issues)\//, 'kubernetes#')}</a>
              ))}
              {group !== undefined && group !== null && onGroup ? <button type="button" className={styles.linkButton} onClick={() => onGroup(group)}>show stack</button> : null}
            </div>
            <p className={styles.findingDetail}>{k.detail}</p>
          </article>
        );
      })}
      {suspects.slice(0, 6).map((s, i) => {
        const tone = scoreTone(s.score);
        return (
          <article key={`${s.function}-${i}`} className={cx(styles.finding, ui[`tone-${tone}`])} data-testid="leak-suspect">
            <div className={styles.findingCount}><strong>{formatCount(s.count)}</strong><span>goroutines</span></div>
            <h3 className={styles.findingTitle}>
              <Badge tone={tone} variant="solid">{`SUSPECT ${s.score}`}</Badge>{' '}<span className={styles.findingFn}>{shortFunction(s.function)}</span>
            </h3>
            <div className={styles.findingMeta}>
              <Badge tone={tone}>{s.state ?? '?'}</Badge>
              {s.minutes ? <span className="num">waiting {minutesText(s.minutes, s.state)} min (median {s.minutes.median})</span> : null}
              {s.growth !== null ? <span className="num">+{s.growth} since base</span> : null}
              {s.group !== null && onGroup ? <button type="button" className={styles.linkButton} onClick={() => onGroup(s.group!)}>show stack</button> : null}
            </div>
            <ul className={styles.reasons}>{s.reasons.map((r) => <li key={r}>{r}</li>)}</ul>
          </article>
        );
      })}
      {a.warnings.length ? (
        <div className={cx(styles.alert, styles.alertWarn)} role="status">
          <AlertIcon size={18} />
          <span>{a.warnings.slice(0, 3).map((w) => w.message).join(' · ')}</span>
        </div>
      ) : null}
    </div>
  );
}
