import { describe, expect, it } from 'vitest';
import { applyChange, feedOf, incidentRange } from './live';
import type { Annotation, IncidentDossier } from './types';

const incident = { id: 'abcd2345ef', title: 't', severity: 'sev2' as const, status: 'investigating' as const, clusters: ['c1'], from: 1000, to: null, createdAt: 1, createdBy: 'a', updatedAt: 1, summary: '' };
const base: IncidentDossier = { incident, annotations: [], findings: [], steps: [], captures: [], seq: 1 };
const note = (id: number, from: number): Annotation => ({ id, incidentId: incident.id, cluster: 'c1', from, to: null, kind: 'observation', text: `n${id}`, author: 'bob', createdAt: from });

describe('applyChange', () => {
  it('applies changes after the dossier\'s seq once, and ignores replays', () => {
    let d = applyChange(base, { seq: 2, t: 5, type: 'annotation', annotation: note(1, 3000) });
    d = applyChange(d, { seq: 3, t: 6, type: 'annotation', annotation: note(2, 2000) });
    expect(d.annotations.map((a) => a.id)).toEqual([2, 1]);
    expect(applyChange(d, { seq: 2, t: 5, type: 'annotation', annotation: note(1, 3000) })).toBe(d);
    d = applyChange(d, { seq: 4, t: 7, type: 'annotation-deleted', id: 2 });
    d = applyChange(d, { seq: 5, t: 8, type: 'incident', incident: { ...incident, status: 'mitigated' } });
    expect(d.annotations.map((a) => a.id)).toEqual([1]);
    expect(d.incident.status).toBe('mitigated');
    expect(d.seq).toBe(5);
  });
});

describe('feedOf', () => {
  it('merges everything newest first, with who did it', () => {
    const d: IncidentDossier = {
      ...base,
      annotations: [note(1, 3000)],
      steps: [{ runId: 1, runbook: 'r', cluster: 'c1', step: 's', status: 'done', by: 'carol', t: 4000, note: '' }],
      captures: [{ cluster: 'c1', artifactId: 9, kind: 'heap', component: 'kube-apiserver', t: 2000 }],
    };
    expect(feedOf(d).map((i) => [i.type, i.t, i.who])).toEqual([['step', 4000, 'carol'], ['annotation', 3000, 'bob'], ['capture', 2000, '']]);
  });
});

describe('incidentRange', () => {
  it('frames the window with a margin, up to now while ongoing', () => {
    expect(incidentRange({ from: 3_600_000, to: null }, 7_200_000)).toEqual({ from: 3_600_000 - 15 * 60_000, to: 7_200_000 });
    expect(incidentRange({ from: 0, to: 60_000 }, 10_000_000)).toEqual({ from: -300_000, to: 360_000 });
  });
});
