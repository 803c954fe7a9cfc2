'use client';
import { useState } from 'react';
import { Card } from '@/components/ui/card';
import { Badge } from '@/components/ui/badge';
import { formatBytes, formatPercent } from '@/lib/format/bytes';
import { formatCount } from '@/lib/format/number';
import { usePolicyAnalysis, type PolicyAnalysisData } from '@/lib/query/audit';
import { cx } from '@/components/ui/tone';
import styles from './audit.module.css';

const SEVERITY = { critical: { tone: 'crit', cls: styles.alert }, warning: { tone: 'warn', cls: cx(styles.alert, styles.alertWarn) }, info: { tone: 'info', cls: cx(styles.alert, styles.alertInfo) } } as const;
const perDay = (b: number | null) => (b === null ? '—' : `${formatBytes(b)}/day`);

function Result({ a }: { a: PolicyAnalysisData }) {
  const [copied, setCopied] = useState(false);
  const s = a.suggested;
  return (
    <div data-testid="audit-policy-result">
      <div className={styles.estimate}>
        <div>This policy<strong>{perDay(a.current.bytesPerDay)}</strong>{formatBytes(a.current.bytes)} on the sample</div>
        <div>Suggested policy<strong>{perDay(s.bytesPerDay)}</strong>{formatBytes(s.bytes)} on the sample</div>
        <div>Saving<strong data-testid="audit-policy-saving">{formatPercent(s.savingRatio)}</strong>{perDay(s.savingBytesPerDay)}</div>
        <div>Everything at Metadata<strong>{formatBytes(a.byLevel.Metadata)}</strong>Request {formatBytes(a.byLevel.Request)} · RequestResponse {formatBytes(a.byLevel.RequestResponse)}</div>
      </div>
      <p className={styles.note}>Sample: {a.sampleSource.name} ({a.sampleSource.kind}), {formatCount(a.sample.events)} events over {a.sample.seconds.toFixed(0)} s. {a.notes.join(' ')}</p>
      <h3>Risks</h3>
      <div className={styles.risks}>
        {a.risks.length === 0 ? <p className={styles.empty}>No risky pattern found.</p> : a.risks.map((r) => (
          <div key={`${r.id}-${r.rule}`} className={SEVERITY[r.severity].cls} data-testid="audit-risk">
            <Badge tone={SEVERITY[r.severity].tone}>{r.severity}</Badge>
            <div><div className={styles.riskTitle}>{r.title}</div><div>{r.detail}</div></div>
          </div>
        ))}
      </div>
      <h3>Rules</h3>
      <table className={styles.table}>
        <thead><tr><th>Rule</th><th className={styles.num}>Events</th><th className={styles.num}>%</th><th className={styles.num}>Bytes</th><th className={styles.num}>%</th></tr></thead>
        <tbody>{a.current.rules.map((r) => <tr key={r.index}><td className={styles.key}>{r.index}. {r.description}</td><td className={styles.num}>{formatCount(r.events)}</td><td className={styles.num}>{formatPercent(r.eventShare)}</td><td className={styles.num}>{formatBytes(r.bytes)}</td><td className={styles.num}>{formatPercent(r.byteShare)}</td></tr>)}</tbody>
      </table>
      <div className={styles.tabs} style={{ marginTop: 'var(--space-3)' }}>
        <h3>Suggested policy (diff)</h3>
        <button type="button" className={styles.button} onClick={() => { void navigator.clipboard.writeText(s.yaml).then(() => setCopied(true)); }} data-testid="audit-policy-copy">
          {copied ? 'Copied' : 'Copy suggested policy'}
        </button>
      </div>
      <pre className={styles.diff} data-testid="audit-policy-diff">
        {a.diff.map((d, i) => <span key={i} className={d.op === '+' ? styles.diffAdd : d.op === '-' ? styles.diffDel : styles.diffSame}>{d.op} {d.text}</span>)}
      </pre>
    </div>
  );
}

/** Paste or upload an audit Policy; it is replayed on the latest ingested log. */
export function PolicyPanel({ clusterId }: { clusterId: string }) {
  const [text, setText] = useState('');
  const m = usePolicyAnalysis(clusterId);
  return (
    <Card id="audit-policy" title="Audit policy review" testId="audit-policy">
      <p className={styles.note}>Paste the Policy your apiserver runs (--audit-policy-file). It is replayed on the latest audit log, exactly as the apiserver evaluates rules.</p>
      <textarea className={styles.textarea} value={text} onChange={(e) => setText(e.target.value)} spellCheck={false} data-testid="audit-policy-input"
        placeholder={'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: RequestResponse'} />
      <div className={styles.form} style={{ marginTop: 'var(--space-2)' }}>
        <button type="button" className={`${styles.button} ${styles.primary}`} disabled={!text.trim() || m.isPending} onClick={() => m.mutate(text)} data-testid="audit-policy-analyze">
          {m.isPending ? 'Replaying…' : 'Analyze policy'}
        </button>
        <label className={styles.button}>Load a file<input type="file" accept=".yaml,.yml,.json" className="visually-hidden" onChange={(e) => { void e.target.files?.[0]?.text().then(setText); }} /></label>
      </div>
      {m.isError ? <p className={styles.alert} role="alert">{m.error.message}</p> : null}
      {m.data ? <Result a={m.data} /> : null}
    </Card>
  );
}
