import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { IncidentChange } from '@/lib/incidents/types';
import { RunbookStore } from '../store/runbooks';
import { Store } from '../store/store';
import { IncidentStore } from './store';

const dirs: string[] = [];
function open(): { store: Store; dir: string } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kf-incidents-'));
  dirs.push(dir);
  return { store: Store.open(dir), dir };
}
afterEach(() => { for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true }); });

describe('incidents (migration 6)', () => {
  it('creates, lists, patches, and logs every change under the incident\'s own seq', () => {
    const { store } = open();
    const seen: IncidentChange[] = [];
    const s = new IncidentStore(store.db, (_, c) => seen.push(c));
    const a = s.create({ title: 'etcd out of space', severity: 'sev1', clusters: ['c1', 'c2'], from: 1000, by: 'alice', t: 1000 });
    const b = s.create({ title: 'slow disk', severity: 'sev3', clusters: ['c2'], from: 2000, by: 'bob', t: 2000 });
    expect(a.id).toMatch(/^[a-z2-9]{10}$/);
    expect(a).toMatchObject({ status: 'investigating', clusters: ['c1', 'c2'], to: null, createdBy: 'alice', summary: '' });
    expect(s.list().map((i) => i.id)).toEqual([b.id, a.id]);
    expect(s.list({ cluster: 'c1' }).map((i) => i.id)).toEqual([a.id]);
    const u = s.update(a.id, { status: 'mitigated', to: 5000, summary: 'quota raised' }, 3000)!;
    expect(u).toMatchObject({ status: 'mitigated', to: 5000, summary: 'quota raised', updatedAt: 3000, title: 'etcd out of space' });
    expect(s.update('nope', { title: 'x' }, 1)).toBeNull();
    // Each incident counts its own changes from 1.
    expect(seen.map((c) => [c.type, c.seq])).toEqual([['incident', 1], ['incident', 1], ['incident', 2]]);
    expect(s.changesSince(a.id, 0).map((c) => c.seq)).toEqual([1, 2]);
    expect(s.changesSince(a.id, 1)).toEqual([seen[2]]);
    store.close();
  });

  it('keeps annotations (points and ranges), findings frozen as linked, captures and steps of linked runs in the dossier', () => {
    const { store, dir } = open();
    const s = new IncidentStore(store.db);
    const i = s.create({ title: 't', severity: 'sev2', clusters: ['c1'], from: 1000, by: 'alice', t: 1000 });
    const p = s.addAnnotation({ incidentId: i.id, cluster: 'c1', from: 1500, to: null, kind: 'observation', text: 'p99 up', author: 'alice', createdAt: 1600 })!;
    const r = s.addAnnotation({ incidentId: i.id, cluster: 'c1', from: 1200, to: 1800, kind: 'action', text: 'defrag', author: 'bob', createdAt: 1700 })!;
    expect(s.addAnnotation({ incidentId: 'nope', cluster: 'c1', from: 1, to: null, kind: 'action', text: 'x', author: 'a', createdAt: 1 })).toBeNull();
    expect(s.annotations(i.id).map((a) => a.id)).toEqual([r.id, p.id]);
    expect(s.annotationsOnCluster('c1', 1700, 1900).map((a) => a.id)).toEqual([r.id]); // the range reaches 1800; the point at 1500 does not
    expect(s.annotationsOnCluster('c1', 0, 9999, 'other')).toEqual([]);
    const f = { incidentId: i.id, cluster: 'c1', findingId: 'etcd-nospace', detector: 'etcd-db-size', title: 'etcd full', severity: 'critical' as const, summary: 's', from: 900, to: 1100, facts: ['db 8 GiB'], linkedAt: 1100, linkedBy: 'alice' };
    expect(s.linkFinding(f)).toBe(true);
    expect(s.linkFinding({ ...f, linkedBy: 'bob' })).toBe(false);
    expect(s.isLinked(i.id, 'c1', 'etcd-nospace')).toBe(true);
    expect(s.linkCapture(i.id, { cluster: 'c1', artifactId: 7, kind: 'goroutine', component: 'kube-apiserver', t: 1300 }, 1300)).toBe(true);
    const rb = new RunbookStore(store.db);
    const run = rb.create({ cluster: 'c1', runbook: 'etcd-out-of-space', by: 'alice', t: 1200, inputs: {} });
    rb.log(run, { step: 'at-quota', status: 'done', by: 'alice', t: 1250 });
    expect(s.steps(i.id)).toEqual([]);
    expect(s.linkRun(i.id, 'c1', run)).toBe(true);
    expect(s.incidentOfRun(run)).toBe(i.id);
    expect(s.deleteAnnotation(i.id, p.id, 1900)).toBe(true);
    expect(s.deleteAnnotation(i.id, p.id, 1901)).toBe(false);
    store.close();
    // A fresh open of the same file: everything was committed.
    const again = Store.open(dir);
    const d = new IncidentStore(again.db).dossier(i.id)!;
    expect(d.annotations.map((a) => [a.kind, a.from, a.to, a.author])).toEqual([['action', 1200, 1800, 'bob']]);
    expect(d.findings).toEqual([f]);
    expect(d.captures).toEqual([{ cluster: 'c1', artifactId: 7, kind: 'goroutine', component: 'kube-apiserver', t: 1300 }]);
    expect(d.steps).toEqual([{ runId: run, runbook: 'etcd-out-of-space', cluster: 'c1', step: 'at-quota', status: 'done', by: 'alice', t: 1250, note: '' }]);
    // incident, 2 annotations, finding, capture, deletion
    expect(d.seq).toBe(6);
    expect(new IncidentStore(again.db).changesSince(i.id, 0).map((c) => c.type)).toEqual(['incident', 'annotation', 'annotation', 'finding', 'capture', 'annotation-deleted']);
    again.close();
  });
});
