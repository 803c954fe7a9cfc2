// The incident routes in-process (open loopback mode, as `npm run dev`): a runtime over a temp data
// directory with no kubeconfig, and a recorded-only cluster entry to hang incidents on.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Annotation, Incident, IncidentChange, IncidentDossier } from '@/lib/incidents/types';
import type { Principal } from '../auth/authorize';
import { actorName } from '../auth/identity';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kf-incident-routes-'));
const BASE = 'http://127.0.0.1/api/incidents';
let list: typeof import('@/app/api/incidents/route');
let one: typeof import('@/app/api/incidents/[incident]/route');
let notes: typeof import('@/app/api/incidents/[incident]/annotations/route');
let note: typeof import('@/app/api/incidents/[incident]/annotations/[annotation]/route');
let stream: typeof import('@/app/api/incidents/[incident]/stream/route');
let stop: (() => Promise<void>) | undefined;

const json = (body: unknown, method = 'POST') => ({ method, body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });

beforeAll(async () => {
  Object.assign(process.env, { KUBECONFIG: path.join(dir, 'none'), KF_DATA_DIR: path.join(dir, 'data'), KF_QUIET: '1', KF_BUNDLES: '' });
  delete process.env.KF_CONFIG;
  delete process.env.KF_AUTH;
  list = await import('@/app/api/incidents/route');
  one = await import('@/app/api/incidents/[incident]/route');
  notes = await import('@/app/api/incidents/[incident]/annotations/route');
  note = await import('@/app/api/incidents/[incident]/annotations/[annotation]/route');
  stream = await import('@/app/api/incidents/[incident]/stream/route');
  const { getRuntime } = await import('../runtime');
  const rt = await getRuntime();
  rt.clusters.set('c1', { id: 'c1', name: 'prod', kind: 'bundle', bundle: { path: '', from: 0, to: 60_000, warnings: [] } });
  stop = () => rt.stop();
});
afterAll(async () => { await stop?.(); fs.rmSync(dir, { recursive: true, force: true }); });

describe('incident routes', () => {
  it('create, patch, annotate, delete, and refuse what does not fit', async () => {
    let r = await list.POST(new Request(BASE, json({ title: 'apiserver 5xx', severity: 'sev1', clusters: ['c1'], from: 1000, by: 'alice' })));
    expect(r.status).toBe(200);
    const inc = (await r.json()) as Incident;
    expect(inc).toMatchObject({ title: 'apiserver 5xx', severity: 'sev1', status: 'investigating', clusters: ['c1'], createdBy: 'alice' });
    expect((await list.POST(new Request(BASE, json({ title: 'x', clusters: ['nope'] })))).status).toBe(404);
    expect((await list.POST(new Request(BASE, json({ fromFinding: { cluster: 'c1', findingId: 'etcd-nospace' } })))).status).toBe(404);
    expect((await list.POST(new Request(BASE, json({ title: '', clusters: ['c1'] })))).status).toBe(400);

    r = await one.PATCH(new Request(`${BASE}/${inc.id}`, json({ status: 'resolved' }, 'PATCH')));
    const resolved = (await r.json()) as Incident;
    expect(resolved.status).toBe('resolved');
    expect(resolved.to).toBeGreaterThan(1000); // resolving closes the window now

    r = await notes.POST(new Request(`${BASE}/${inc.id}/annotations`, json({ from: 2000, to: 3000, kind: 'action', text: 'raised the quota', by: 'bob' })));
    const a = (await r.json()) as Annotation;
    expect(a).toMatchObject({ cluster: 'c1', from: 2000, to: 3000, kind: 'action', author: 'bob' });
    expect((await notes.POST(new Request(`${BASE}/${inc.id}/annotations`, json({ from: 3000, to: 2000, kind: 'action', text: 'x' })))).status).toBe(400);
    expect((await notes.POST(new Request(`${BASE}/${inc.id}/annotations`, json({ from: 3000, kind: 'guess', text: 'x' })))).status).toBe(400);

    // On the timeline: a marker on every panel, leading to the war room.
    const { annotationMarkers } = await import('../views/timeline');
    const rt = await (await import('../runtime')).getRuntime();
    expect(annotationMarkers(rt, 'c1', 2500, 9000, inc.id)).toEqual([{ t: 2000, until: 3000, kind: 'annotation', label: 'action: raised the quota (bob)', href: `/incidents/${inc.id}` }]);
    expect(annotationMarkers(rt, 'c1', 3001, 9000)).toEqual([]);

    const d = (await (await one.GET(new Request(`${BASE}/${inc.id}`))).json()) as IncidentDossier;
    expect(d.annotations.map((x) => x.id)).toEqual([a.id]);
    expect(d.seq).toBe(3);

    expect((await note.DELETE(new Request(`${BASE}/${inc.id}/annotations/${a.id}`, { method: 'DELETE' }))).status).toBe(200);
    expect((await note.DELETE(new Request(`${BASE}/${inc.id}/annotations/${a.id}`, { method: 'DELETE' }))).status).toBe(404);
    expect((await one.GET(new Request(`${BASE}/nosuchincident`))).status).toBe(404);
    expect((await one.GET(new Request(`${BASE}/..%2F`))).status).toBe(400);
    // Open mode answers loopback names only.
    expect((await one.GET(new Request(`http://evil.example/api/incidents/${inc.id}`))).status).toBe(403);
  });

  it('streams catch-up after Last-Event-ID, then live changes', async () => {
    const inc = (await (await list.POST(new Request(BASE, json({ title: 'live', clusters: ['c1'] })))).json()) as Incident;
    await notes.POST(new Request(`${BASE}/${inc.id}/annotations`, json({ from: 1, kind: 'observation', text: 'first' })));
    const ac = new AbortController();
    const res = await stream.GET(new Request(`${BASE}/${inc.id}/stream`, { headers: { 'last-event-id': '1' }, signal: ac.signal }));
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const reader = res.body!.getReader();
    const dec = new TextDecoder();
    let text = '';
    const changes = (): IncidentChange[] => text.split('\n\n').filter((b) => b.startsWith('id:')).map((b) => JSON.parse(b.slice(b.indexOf('data: ') + 6)) as IncidentChange);
    const until = async (n: number) => { while (changes().length < n) { const { value, done } = await reader.read(); if (done) break; text += dec.decode(value); } };
    await until(1);
    expect(changes().map((c) => [c.seq, c.type])).toEqual([[2, 'annotation']]);
    await notes.POST(new Request(`${BASE}/${inc.id}/annotations`, json({ from: 2, kind: 'hypothesis', text: 'second' })));
    await until(2);
    const last = changes()[1]!;
    expect(last.type === 'annotation' && last.annotation.text).toBe('second');
    expect(last.seq).toBe(3);
    ac.abort();
    await reader.cancel().catch(() => undefined);
  });
});

describe('runbook steps in the war room', () => {
  it('a step of a linked run is pushed as a step change, with who did it', async () => {
    const runs = await import('@/app/api/clusters/[cluster]/runbooks/route');
    const run = await import('@/app/api/clusters/[cluster]/runbooks/[run]/route');
    const links = await import('@/app/api/incidents/[incident]/links/route');
    const ctx = { params: Promise.resolve({ cluster: 'c1' }) };
    const inc = (await (await list.POST(new Request(BASE, json({ title: 'with a runbook', clusters: ['c1'] })))).json()) as Incident;
    const started = await runs.POST(new Request('http://127.0.0.1/api/clusters/c1/runbooks', json({ runbook: 'etcd-out-of-space', by: 'erin' })), ctx);
    expect(started.status).toBe(200);
    const runId = ((await started.json()) as { id: number }).id;
    expect((await links.POST(new Request(`${BASE}/${inc.id}/links`, json({ link: 'run', cluster: 'c1', run: runId })))).status).toBe(200);
    expect((await links.POST(new Request(`${BASE}/${inc.id}/links`, json({ link: 'run', cluster: 'c1', run: 999_999 })))).status).toBe(404);
    const step = await run.POST(new Request(`http://127.0.0.1/api/clusters/c1/runbooks/${runId}`, json({ action: 'step', step: 'at-quota', status: 'done', by: 'erin' })), ctx);
    expect(step.status).toBe(200);
    const text = await (await stream.GET(new Request(`${BASE}/${inc.id}/stream?since=1&once=1`))).text();
    const steps = text.split('\n\n').filter((b) => b.startsWith('id:')).map((b) => JSON.parse(b.slice(b.indexOf('data: ') + 6)) as IncidentChange).filter((c) => c.type === 'step');
    expect(steps.map((c) => c.type === 'step' && [c.step.step, c.step.status, c.step.by, c.step.runbook])).toEqual([['at-quota', 'done', 'erin', 'etcd-out-of-space']]);
    const d = (await (await one.GET(new Request(`${BASE}/${inc.id}`))).json()) as IncidentDossier;
    expect(d.steps).toHaveLength(1);
  });
});

describe('new findings while screens are open', () => {
  it('links a finding on the incident\'s cluster whose evidence overlaps the window, once, as "detector"', async () => {
    const { linkNewFindings, live } = await import('./service');
    const rt = await (await import('../runtime')).getRuntime();
    const inc = (await (await list.POST(new Request(BASE, json({ title: 'watch', clusters: ['c1'], from: 10_000, to: 20_000 })))).json()) as Incident;
    const f = (id: string, from: number, to: number) => ({
      id, detector: 'd', title: id, severity: 'warning' as const, summary: 's', explanation: '', evidence: { from, to, facts: [] }, references: [],
    });
    const findings = () => [f('inside', 15_000, 30_000), f('before', 1_000, 9_999), f('after', 20_001, 25_000), { ...f('standing', 0, 40_000), severity: 'info' as const }];
    expect(linkNewFindings(rt, live(rt).store, inc.id, findings)).toBe(1);
    expect(linkNewFindings(rt, live(rt).store, inc.id, findings)).toBe(0);
    const d = live(rt).store.dossier(inc.id)!;
    expect(d.findings.map((x) => [x.findingId, x.linkedBy])).toEqual([['inside', 'detector']]);
    expect(live(rt).store.changesSince(inc.id, 0).map((c) => c.type)).toEqual(['incident', 'finding']);
  });
});

describe('a new finding on open screens', () => {
  it('arrives as soon as the recorder stores the round that raises it, not at the next poll tick', async () => {
    const { getRuntime } = await import('../runtime');
    const rt = await getRuntime();
    const now = Date.now();
    rt.store.upsertCluster({ id: 'c3', name: 'live-one', kind: 'live', server: '' });
    rt.clusters.set('c3', { id: 'c3', name: 'live-one', kind: 'live' });
    for (let t = now - 10 * 60_000; t < now - 15_000; t += 15_000) rt.store.series.append('c3', t, [{ name: 'etcd_server_has_leader', labels: {}, value: 1 }]);
    const inc = (await (await list.POST(new Request(BASE, json({ title: 'etcd flapping', clusters: ['c3'], from: now - 5 * 60_000 })))).json()) as Incident;
    const ac = new AbortController();
    const res = await stream.GET(new Request(`${BASE}/${inc.id}/stream?since=1`, { signal: ac.signal }));
    const reader = res.body!.getReader();
    const dec = new TextDecoder();
    let text = '';
    const findings = () => text.split('\n\n').filter((b) => b.startsWith('id:')).map((b) => JSON.parse(b.slice(b.indexOf('data: ') + 6)) as IncidentChange).filter((c) => c.type === 'finding');
    // The round that says "no leader" is stored, and the recorder says so (runtime onRecorded).
    rt.store.series.append('c3', now, [{ name: 'etcd_server_has_leader', labels: {}, value: 0 }]);
    const stored = Date.now();
    for (const l of rt.onRecorded) l('c3', now);
    while (!findings().length) { const { value, done } = await reader.read(); if (done) break; text += dec.decode(value); }
    const took = Date.now() - stored;
    const f = findings()[0]!;
    expect(f.type === 'finding' && [f.finding.detector, f.finding.severity, f.finding.linkedBy]).toEqual(['etcd-no-leader', 'critical', 'detector']);
    // Well inside the 2 s the war room promises, and before the 2 s poll could have run.
    expect(took).toBeLessThan(1000);
    ac.abort();
    await reader.cancel().catch(() => undefined);
  });
});

describe('identity', () => {
  const p = (via: Principal['via']): Principal => ({ name: 'carol', role: 'responder', via });
  it('the signed-in user wins over the body; open mode takes the browser\'s name', () => {
    expect(actorName(p('session'), 'mallory')).toBe('carol');
    expect(actorName(p('bearer'), 'mallory')).toBe('carol');
    expect(actorName(p('open'), ' dave ')).toBe('dave');
    expect(actorName(null, '', 'anonymous')).toBe('anonymous');
  });
});
