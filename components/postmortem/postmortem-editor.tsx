'use client';
// The postmortem editor: each prose section is a textarea over the assembled draft, factors and
// action items are lists, timeline entries can be left out. Save sends the edits whole (PUT); the
// exports read the saved draft, so they wait for unsaved changes. In print, the editors give way
// to their text (postmortem.module.css).
import { useState } from 'react';
import { csrfHeaders } from '@/lib/auth/constants';
import { formatDuration } from '@/lib/format/duration';
import { formatUtc, formatUtcRange, utcClock } from '@/lib/format/time';
import type { ActionItem, DraftEdits, PostmortemDraft } from '@/lib/postmortem/types';
import buttons from '../ui/button.module.css';
import styles from './postmortem.module.css';

export interface PostmortemChart { file: string; title: string; explanation: string; dataUri: string; peaks: string[] }

export interface PostmortemEditorProps {
  initial: PostmortemDraft;
  /** The assembled timeline, entries hidden by the saved edits included (they can be brought back). */
  timeline: PostmortemDraft['timeline'];
  hidden: string[];
  charts: PostmortemChart[];
}

type Text = 'summary' | 'impact' | 'detection' | 'rootCause' | 'lessons';

function editsOf(d: PostmortemDraft, hidden: string[]): DraftEdits {
  return {
    summary: d.summary, impact: d.impact, detection: d.detection.text, rootCause: d.rootCause, lessons: d.lessons,
    contributingFactors: d.contributingFactors.filter((f) => f.trim()), actionItems: d.actionItems.filter((a) => a.text.trim()), hiddenTimeline: hidden,
  };
}

function TextSection({ title, hint, value, onChange, rows = 5, breakBefore }: { title: string; hint?: string; value: string; onChange: (v: string) => void; rows?: number; breakBefore?: boolean }) {
  return (
    <section className={`${styles.section} ${breakBefore ? styles.breakBefore : ''}`}>
      <h2 className={styles.h2}>{title}</h2>
      {hint ? <p className={styles.hint}>{hint}</p> : null}
      <textarea className={styles.textarea} rows={rows} value={value} onChange={(e) => onChange(e.target.value)} aria-label={title} />
      <div className={`${styles.printOnly} ${styles.printText}`}>{value}</div>
    </section>
  );
}

export function PostmortemEditor({ initial, timeline, hidden: initialHidden, charts }: PostmortemEditorProps) {
  const [draft, setDraft] = useState(initial);
  const [hidden, setHidden] = useState<string[]>(initialHidden);
  const [dirty, setDirty] = useState(false);
  const [state, setState] = useState<{ kind: 'idle' | 'saving' | 'saved' | 'error'; message?: string }>({ kind: 'idle' });
  const base = `/api/incidents/${encodeURIComponent(draft.incidentId)}/postmortem`;

  const change = (next: PostmortemDraft) => { setDraft(next); setDirty(true); };
  const setText = (k: Text) => (v: string) => change(k === 'detection' ? { ...draft, detection: { ...draft.detection, text: v } } : { ...draft, [k]: v });
  const setItem = (i: number, a: Partial<ActionItem>) => change({ ...draft, actionItems: draft.actionItems.map((x, j) => (j === i ? { ...x, ...a } : x)) });

  async function save() {
    setState({ kind: 'saving' });
    try {
      const r = await fetch(base, { method: 'PUT', cache: 'no-store', headers: { 'content-type': 'application/json', ...csrfHeaders() }, body: JSON.stringify(editsOf(draft, hidden)) });
      const body = (await r.json()) as PostmortemDraft | { error: string };
      if (!r.ok || 'error' in body) throw new Error('error' in body ? body.error : `HTTP ${r.status}`);
      setDraft(body);
      setDirty(false);
      setState({ kind: 'saved', message: `Saved ${body.edited ? formatUtc(body.edited.at) : ''}` });
    } catch (e) { setState({ kind: 'error', message: e instanceof Error ? e.message : String(e) }); }
  }

  const w = draft.window;
  return (
    <div className={styles.page} data-testid="postmortem" data-print-document="">
      <header className={styles.header}>
        <div>
          <div className={styles.kicker}>Incident postmortem</div>
          <h1 className={styles.title}>{draft.title}</h1>
          <div className={styles.chips}>
            <span className={`${styles.chip} ${styles[draft.severity] ?? ''}`}>{draft.severity.toUpperCase()}</span>
            <span className={styles.chip}>{draft.status}</span>
            {draft.clusters.map((c) => <span key={c.id} className={styles.chip}>{c.name}</span>)}
          </div>
        </div>
        <div className={styles.actions}>
          <button type="button" className={`${buttons.button} ${buttons.primary}`} onClick={save} disabled={!dirty || state.kind === 'saving'}>{state.kind === 'saving' ? 'Saving…' : 'Save'}</button>
          <a className={buttons.button} href={dirty ? undefined : `${base}/pdf`} aria-disabled={dirty} download>Export PDF</a>
          <a className={buttons.button} href={dirty ? undefined : `${base}/markdown`} aria-disabled={dirty} download>Export Markdown</a>
          <span className={`${styles.status} ${state.kind === 'error' ? styles.error : ''}`} role="status">{dirty ? 'Unsaved changes (exports use the saved draft)' : state.message ?? (draft.edited ? `Last edited by ${draft.edited.by}, ${formatUtc(draft.edited.at)}` : 'Assembled from the recorded data, not yet edited')}</span>
        </div>
      </header>

      <dl className={styles.meta}>
        <dt>Impact window</dt><dd>{formatUtcRange(w.from, w.to)}{w.ongoing ? ' (ongoing)' : ''}</dd>
        <dt>Duration</dt><dd>{formatDuration(w.durationMs)}</dd>
        <dt>Time to detect</dt><dd>{draft.detection.timeToDetectMs === null ? '—' : formatDuration(draft.detection.timeToDetectMs)}</dd>
        <dt>Authors</dt><dd>{draft.authors.join(', ') || '—'}</dd>
        <dt>Incident</dt><dd>{draft.incidentId}</dd>
      </dl>

      <TextSection title="Summary" value={draft.summary} onChange={setText('summary')} />
      <TextSection title="Impact" value={draft.impact} onChange={setText('impact')} rows={3} />
      <TextSection title="Detection" value={draft.detection.text} onChange={setText('detection')} rows={2} />
      <TextSection title="Root cause" hint="Suggested from the linked findings and the hypotheses noted during the incident: edit it into what you know." value={draft.rootCause} onChange={setText('rootCause')} rows={8} />
      <TextSection title="Contributing factors" hint="One per line." value={draft.contributingFactors.join('\n')} onChange={(v) => change({ ...draft, contributingFactors: v.split('\n') })} rows={4} />

      <section className={styles.section}>
        <h2 className={styles.h2}>Action items</h2>
        {draft.actionItems.map((a, i) => (
          <div key={i} className={styles.itemRow}>
            <input className={styles.input} value={a.text} onChange={(e) => setItem(i, { text: e.target.value })} aria-label={`Action ${i + 1}`} />
            <input className={styles.input} value={a.owner} placeholder="owner" onChange={(e) => setItem(i, { owner: e.target.value })} aria-label={`Owner of action ${i + 1}`} />
            <select className={styles.input} value={a.status} onChange={(e) => setItem(i, { status: e.target.value === 'done' ? 'done' : 'open' })} aria-label={`Status of action ${i + 1}`}>
              <option value="open">open</option><option value="done">done</option>
            </select>
            <button type="button" className={`${buttons.button} ${buttons.small}`} onClick={() => change({ ...draft, actionItems: draft.actionItems.filter((_, j) => j !== i) })}>Remove</button>
          </div>
        ))}
        <div className={styles.noPrint}><button type="button" className={`${buttons.button} ${buttons.small}`} onClick={() => change({ ...draft, actionItems: [...draft.actionItems, { text: '', owner: '', status: 'open' }] })}>Add an action item</button></div>
        <ol className={styles.printOnly}>{draft.actionItems.map((a, i) => <li key={i}>{a.text} ({a.owner || 'unassigned'}, {a.status})</li>)}</ol>
      </section>

      <TextSection title="Lessons learned" value={draft.lessons} onChange={setText('lessons')} rows={3} />

      <section className={`${styles.section} ${styles.breakBefore}`}>
        <h2 className={styles.h2}>Timeline</h2>
        <p className={styles.hint}>Findings, notes, runbook steps, captures and events, in time order (UTC). Untick an entry to leave it out of the document.</p>
        <table className={styles.table}>
          <thead><tr><th className={styles.noPrint}>Keep</th><th>UTC</th><th>Source</th><th>What happened</th><th>Who</th></tr></thead>
          <tbody>
            {timeline.map((e) => {
              const off = hidden.includes(e.key);
              return (
                <tr key={e.key} className={off ? styles.hidden : undefined}>
                  <td className={styles.noPrint}><input type="checkbox" checked={!off} aria-label={`Keep ${e.text}`} onChange={() => { setHidden(off ? hidden.filter((k) => k !== e.key) : [...hidden, e.key]); setDirty(true); }} /></td>
                  <td className={styles.time}>{utcClock(e.t)}{e.until && e.until > e.t ? `–${utcClock(e.until)}` : ''}</td>
                  <td className={`${styles.src} ${styles[`tone-${e.tone}`] ?? ''}`}>{e.source}</td>
                  <td>{e.text}</td>
                  <td>{e.who ?? ''}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </section>

      <section className={`${styles.section} ${styles.breakBefore}`}>
        <h2 className={styles.h2}>Evidence</h2>
        {charts.length === 0 ? <p className={styles.hint}>No recorded series in the window.</p> : null}
        {charts.map((c) => (
          <figure key={c.file} className={styles.figure}>
            <strong>{c.title}</strong>
            {/* The SVG is ours (lib/postmortem/chart-svg, all text escaped), shown as an image. */}
            {/* eslint-disable-next-line @next/next/no-img-element */}
            <img className={styles.chart} src={c.dataUri} alt={c.title} />
            <figcaption className={styles.caption}>{c.explanation} {c.peaks.join(' · ')}</figcaption>
          </figure>
        ))}
        <p className={styles.hint}>Goroutine groups, heap top, audit and event excerpts are in the PDF and Markdown exports.</p>
      </section>
    </div>
  );
}
