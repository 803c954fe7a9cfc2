'use client';
import { Card } from '@/components/ui/card';
import { Badge } from '@/components/ui/badge';
import { formatBytes } from '@/lib/format/bytes';
import { formatCount } from '@/lib/format/number';
import { formatUtcShort } from '@/lib/format/time';
import { captureRawPath, type CaptureSummary } from '@/lib/query/runtime';
import { UploadZone } from './upload-zone';
import styles from './runtime.module.css';

export interface CapturesCardProps {
  clusterId: string;
  captures: CaptureSummary[];
  selected: { goroutine: number | null; heap: number | null; compare: number | null };
  onSelect: (c: CaptureSummary) => void;
  /** Compare the selected capture of this kind against `c` (as the base). */
  onCompare: (c: CaptureSummary) => void;
  onUploaded: (c: CaptureSummary) => void;
  now: number;
}

function detail(c: CaptureSummary): string {
  const what = c.kind === 'goroutine'
    ? (c.total !== undefined ? `${formatCount(c.total)} goroutines` : c.artifactKind.replace('goroutine-', ''))
    : (c.sampleTypes?.length ? `${c.sampleTypes.length} sample types` : 'heap');
  return `${c.component === 'kube-apiserver' ? 'apiserver' : c.component} · ${what}`;
}

/** Every stored capture, newest first: select one to analyse, pick another as the base of a diff, download the original. */
export function CapturesCard({ clusterId, captures, selected, onSelect, onCompare, onUploaded, now }: CapturesCardProps) {
  return (
    <Card id="captures" title="Captures" aside={`${captures.length} stored`} testId="captures-card">
      <div className={styles.stack}>
        {captures.length === 0 ? <p className={styles.empty}>No captures yet: capture now, or drop a file below.</p> : (
          <div className={styles.captureScroll}>
            <table className={styles.captureTable} aria-label="Captures">
              <thead><tr><th>Time (UTC)</th><th>Kind</th><th>Size</th><th>Source</th><th /></tr></thead>
              <tbody>
                {captures.map((c) => {
                  const isSel = selected[c.kind] === c.id;
                  const isBase = selected.compare === c.id;
                  const sel = selected[c.kind];
                  return (
                    <tr key={c.id} data-selected={isSel} data-testid="capture-row" data-kind={c.kind} data-id={c.id}>
                      <td className="num">{formatUtcShort(c.t, now)}</td>
                      <td>
                        <Badge tone={c.kind === 'heap' ? 'info' : 'neutral'}>{c.kind}</Badge>{' '}
                        <span className={styles.muted}>{detail(c)}</span>
                      </td>
                      <td className="num">{formatBytes(c.size)}</td>
                      <td className={styles.muted} title={c.reason ?? c.fileName}>{c.source === 'threshold' ? 'auto: growth' : c.source === 'schedule' ? 'scheduled' : c.source}{isBase ? ' · base' : ''}</td>
                      <td>
                        <div className={styles.rowActions}>
                          <button type="button" className={`${styles.button} ${styles.small}`} onClick={() => onSelect(c)} disabled={isSel} aria-label={`Show capture ${c.id}`}>{isSel ? 'Shown' : 'Show'}</button>
                          <button type="button" className={`${styles.button} ${styles.small}`} onClick={() => onCompare(c)} disabled={sel === null || sel === c.id}
                            title={sel === null ? `Show a ${c.kind} capture first` : `Compare the shown ${c.kind} capture against this one`}>Compare</button>
                          <a className={`${styles.button} ${styles.small}`} href={captureRawPath(clusterId, c.id)} download aria-label={`Download capture ${c.id}`}>↓</a>
                        </div>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
        <UploadZone clusterId={clusterId} onUploaded={onUploaded} />
      </div>
    </Card>
  );
}
