import { describe, expect, it } from 'vitest';
import { applyEdits, assembleDraft } from './draft';
import { draftEditsSchema, readEdits } from './edits';
import { T0, testInput } from './test-input';

const m = (min: number) => T0 + min * 60_000;

describe('assembleDraft', () => {
  it('fills the title block and the impact window from the incident', () => {
    const d = assembleDraft(testInput());
    expect(d).toMatchObject({ incidentId: 'inc-1', title: 'etcd out of space', severity: 'sev1', status: 'resolved', clusters: [{ id: 'c1', name: 'prod-eu' }] });
    expect(d.window).toEqual({ from: m(0), to: m(10), ongoing: false, durationMs: 10 * 60_000 });
    expect(d.authors).toEqual(['ana', 'bo']);
    expect(d.impact).toContain('321 requests with 500 "etcdserver: mvcc: database space exceeded"');
  });

  it('an open incident runs to the cluster\'s now', () => {
    const input = testInput();
    input.dossier.incident.to = null;
    const d = assembleDraft(input);
    expect(d.window).toMatchObject({ to: m(30), ongoing: true, durationMs: 30 * 60_000 });
    expect(d.timeline.some((e) => e.key === 'incident:to')).toBe(false);
  });

  it('merges findings, notes, steps, captures and events in time order, with source tags', () => {
    const d = assembleDraft(testInput());
    const ts = d.timeline.map((e) => e.t);
    expect(ts).toEqual([...ts].sort((a, b) => a - b));
    expect(d.timeline.map((e) => e.source)).toEqual(['finding', 'incident', 'finding', 'event', 'annotation', 'incident', 'annotation', 'annotation', 'capture', 'step', 'step', 'incident']);
    const step = d.timeline.find((e) => e.key.startsWith('step:1:disarm'))!;
    expect(step).toMatchObject({ tone: 'critical', who: 'bo' });
    expect(step.text).toBe('Runbook step failed: etcd out of space (NOSPACE): Disarm the alarm (wrong endpoint)');
    // Templated step titles lose their placeholders.
    expect(d.timeline.find((e) => e.key.startsWith('step:1:compact'))!.text).not.toContain('{{');
  });

  it('detection is the first signal at or after the impact start, and time to detect runs from it', () => {
    const d = assembleDraft(testInput());
    expect(d.detection.at).toBe(m(1));
    expect(d.detection.timeToDetectMs).toBe(60_000);
    expect(d.detection.how).toContain('etcd-nospace');
  });

  it('suggests a root cause from the worst finding, factors from the others and known issues, actions from runbooks and unfinished steps', () => {
    const d = assembleDraft(testInput());
    expect(d.rootCause).toMatch(/^Suggested from the finding "etcd is out of space/);
    expect(d.rootCause).toContain('Hypothesis (bo): a controller loops on ConfigMaps');
    expect(d.contributingFactors).toEqual([
      'etcd database is filling its quota: 98% of quota',
      'Known issue k8s-12345 matched in kube-apiserver (50 goroutines): a leak (fixed in v1.21.0)',
    ]);
    expect(d.actionItems.map((a) => a.text)).toEqual([
      'Review the "etcd out of space (NOSPACE)" runbook against what happened, and alert before "etcd is out of space (NOSPACE): writes fail" recurs',
      'Review the "etcd out of space (NOSPACE)" runbook against what happened, and alert before "etcd database is filling its quota" recurs',
      'Finish: etcd out of space (NOSPACE): Disarm the alarm (failed during the incident)',
      'scaled it to 0, follow-up: fix retries',
    ]);
  });

  it('without findings the sections say what is missing', () => {
    const input = testInput();
    input.dossier.findings = [];
    input.dossier.annotations = [];
    const d = assembleDraft(input);
    expect(d.rootCause).toMatch(/^To be written/);
    expect(d.detection.how).toBe('incident opened by ana');
    expect(d.detection.timeToDetectMs).toBe(4 * 60_000);
  });
});

describe('edits', () => {
  it('apply over the draft: text, lists, hidden and reworded timeline entries', () => {
    const d = assembleDraft(testInput());
    const key = d.timeline[1]!.key;
    const e = applyEdits(d, { summary: 'S', rootCause: 'R', actionItems: [{ text: 'A', owner: 'ana', status: 'done' }], hiddenTimeline: [d.timeline[0]!.key], timelineText: { [key]: 'reworded' } }, { at: 5, by: 'ana' });
    expect(e).toMatchObject({ summary: 'S', rootCause: 'R', impact: d.impact, edited: { at: 5, by: 'ana' } });
    expect(e.timeline).toHaveLength(d.timeline.length - 1);
    expect(e.timeline[0]!.text).toBe('reworded');
  });

  it('are validated strictly, and stored edits that no longer parse read as none', () => {
    expect(() => draftEditsSchema.parse({ summary: 1 })).toThrow();
    expect(() => draftEditsSchema.parse({ other: 'x' })).toThrow();
    expect(draftEditsSchema.parse({ lessons: 'L' })).toEqual({ lessons: 'L' });
    expect(readEdits('{"summary": 3}')).toEqual({});
    expect(readEdits('not json')).toEqual({});
  });
});

describe('impact without an audit log', () => {
  it('quotes the 5xx panel\'s peak in the window', () => {
    const input = testInput({ audit: [] });
    input.charts.push({ panelId: 'apiserver-errors', cluster: 'c1', title: '5xx', unit: 'ops', explanation: '', thresholds: [], series: [{ name: '500', labels: {}, style: 'line', points: [[T0 - 60_000, 9], [T0 + 60_000, 1.4], [T0 + 120_000, 0.8]] }] });
    expect(assembleDraft(input).impact).toContain('up to 1.4/s requests with 5xx errors (metrics)');
  });
});

describe('an audit log at Metadata level (the code, not the message)', () => {
  it('says the code was all it recorded, in the impact, the HTML and the Markdown', async () => {
    const input = testInput();
    input.audit[0]!.errors[0]!.message = '';
    const d = assembleDraft(input);
    expect(d.impact).toContain('The apiserver answered 321 requests with 500 (audit log, which at this level records the code only).');
    expect(d.impact).not.toContain('""');
    const { postmortemHtml } = await import('./html');
    const html = postmortemHtml(d, { generatedAt: T0 });
    expect(html).toContain('<span class="muted">no message (below RequestResponse only the code is logged)</span>');
    // The excerpt is headed by the cluster's display name, not its id.
    expect(html).toContain('<h3>prod-eu: 1,000 requests audited in the window</h3>');
    const { postmortemMarkdown } = await import('./markdown');
    const md = postmortemMarkdown(d, { generatedAt: T0, images: 'inline' }).markdown;
    expect(md).toContain('| 500 | no message (below RequestResponse only the code is logged) | 321 |');
    expect(md).toContain('### Audit log (prod-eu): 1,000 requests');
  });
});
