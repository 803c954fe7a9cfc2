import * as tar from 'tar';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpError } from '../api/http-error';
import { recordedBundle, type RecordedBundle } from '../../test/support/recorded-bundle';
import { fakeSource, fixtureContext, nospaceDossier } from '../../test/support/postmortem-fixture';
import { PostmortemDrafts } from './drafts';
import { chromiumAvailable, closeBrowser, renderPdf } from './pdf';
import { postmortemInput } from './postmortem-input';
import { draftOf, fileStem, incidentIdOf, markdownArchive } from './postmortem';
import { postmortemHtml } from '@/lib/postmortem/html';

let b: RecordedBundle;
beforeAll(async () => { b = await recordedBundle('etcd-nospace'); }, 60_000);
afterAll(async () => { b?.close(); await closeBrowser(); });

describe('postmortem input from a recorded bundle (etcd-nospace)', () => {
  it('evaluates the key panels over the window, and analyses the captures in it', async () => {
    const d = nospaceDossier(b);
    expect(d.findings.map((f) => f.detector)).toContain('etcd-nospace');
    const input = (await postmortemInput(fixtureContext(b), fakeSource(d), d.incident.id))!;
    const ids = input.charts.map((c) => c.panelId);
    expect(ids.slice(0, 3)).toEqual(['etcd-db-size', 'apiserver-errors', 'etcd-wal-fsync']);
    const db = input.charts[0]!;
    expect(db.series.map((s) => s.name)).toEqual(expect.arrayContaining(['DB size', 'quota']));
    expect(input.charts.every((c) => c.series.every((s) => s.points.length <= 2 * 600))).toBe(true);
    expect(input.goroutines.map((g) => g.component).sort()).toEqual(['etcd', 'kube-apiserver']);
    expect(input.goroutines[0]!.groups.length).toBeGreaterThan(0);
    expect(input.heap.map((h) => h.component).sort()).toEqual(['etcd', 'kube-apiserver']);
    expect(input.heap[0]!.top[0]!.flat).toBeGreaterThan(0);
    // The bundle recorded no Events and no audit log.
    expect(input.events).toEqual([]);
    expect(input.audit).toEqual([]);
    expect(await postmortemInput(fixtureContext(b), fakeSource(d), 'other')).toBeNull();
  });

  it('the draft carries the saved edits, and an unknown incident is a 404', async () => {
    const d = nospaceDossier(b);
    const drafts = new PostmortemDrafts(b.store.db);
    expect(drafts.get(d.incident.id)).toBeNull();
    drafts.put(d.incident.id, { rootCause: 'A ConfigMap loop filled etcd.' }, 'maria.k', 1234);
    const draft = await draftOf(fixtureContext(b), fakeSource(d), d.incident.id);
    expect(draft).toMatchObject({ rootCause: 'A ConfigMap loop filled etcd.', edited: { at: 1234, by: 'maria.k' } });
    expect(fileStem(draft)).toBe(`postmortem-${new Date(d.incident.from).toISOString().slice(0, 10)}-etcd-out-of-space`);
    await expect(draftOf(fixtureContext(b), fakeSource(d), 'nope')).rejects.toMatchObject({ status: 404 });
  });

  it('the Markdown archive holds postmortem.md and the charts it references', async () => {
    const d = nospaceDossier(b);
    const draft = await draftOf(fixtureContext(b), fakeSource(d), d.incident.id);
    const gz = await markdownArchive(draft, b.to);
    const names: string[] = [];
    await new Promise<void>((resolve, reject) => {
      Readable.from(gz).pipe(tar.t({ onReadEntry: (e) => { names.push(e.path); e.resume(); } }) as unknown as NodeJS.WritableStream).on('finish', resolve).on('error', reject);
    });
    const stem = fileStem(draft);
    expect(names).toContain(`${stem}/postmortem.md`);
    expect(names).toContain(`${stem}/charts/etcd-db-size.svg`);
  });

  it('reads the incident id from the route path, and refuses odd ones', () => {
    expect(incidentIdOf(new Request('http://x/api/incidents/inc-7f3k2q/postmortem/pdf'))).toBe('inc-7f3k2q');
    expect(() => incidentIdOf(new Request('http://x/api/incidents/..%2Fx/postmortem'))).toThrow(HttpError);
  });

  it('without Chromium the PDF is a clear 503', async () => {
    const before = process.env.KF_CHROMIUM;
    process.env.KF_CHROMIUM = '/nonexistent/chromium';
    try {
      await expect(renderPdf('<p>x</p>', 't', 'no-chromium')).rejects.toMatchObject({ status: 503, message: expect.stringContaining('KF_CHROMIUM') });
    } finally {
      if (before === undefined) delete process.env.KF_CHROMIUM; else process.env.KF_CHROMIUM = before;
    }
  });

  it.skipIf(!chromiumAvailable())('prints an A4 PDF with numbered pages', async () => {
    const d = nospaceDossier(b);
    const draft = await draftOf(fixtureContext(b), fakeSource(d), d.incident.id);
    const pdf = await renderPdf(postmortemHtml(draft, { generatedAt: b.to }), draft.title, 'test');
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const pages = pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g)?.length ?? 0;
    expect(pages).toBeGreaterThanOrEqual(5);
  }, 60_000);
});

describe('the events excerpt on a recording with real Events (node-eviction)', () => {
  it('the node controller\'s own events of the window, in time order: NodeNotReady, then TaintManagerEviction', async () => {
    const e = await recordedBundle('node-eviction');
    try {
      const incident = { ...nospaceDossier(e).incident, id: 'inc-evict', title: 'a zone\'s pods evicted', from: e.from, to: e.to };
      const d = { incident, annotations: [], findings: [], steps: [], captures: [], seq: 1 };
      const ctx = { ...fixtureContext(e), clusters: new Map([['b', { id: 'b', name: 'demo-node-eviction', kind: 'bundle' as const, bundle: { to: e.to } }]]) };
      const input = (await postmortemInput(ctx, fakeSource(d), 'inc-evict'))!;
      const ts = input.events.map((x) => x.t);
      expect(ts).toEqual([...ts].sort((a, b) => a - b));
      const of = (reason: string) => input.events.filter((x) => x.reason === reason).map((x) => x.object).sort();
      // The silent zone (eu-west-1a): its two nodes NotReady, then their web and cart pods evicted
      // (the proxy pods tolerate unreachable forever and stay).
      expect(of('NodeNotReady')).toEqual(['Node/default/node-a1', 'Node/default/node-a2']);
      expect(of('TaintManagerEviction')).toEqual(['Pod/shop/cart-node-a1', 'Pod/shop/cart-node-a2', 'Pod/shop/web-node-a1', 'Pod/shop/web-node-a2']);
      const firstEviction = Math.min(...input.events.filter((x) => x.reason === 'TaintManagerEviction').map((x) => x.t));
      expect(Math.max(...input.events.filter((x) => x.reason === 'NodeNotReady').map((x) => x.t))).toBeLessThan(firstEviction);
      const html = postmortemHtml(await draftOf(ctx, fakeSource(d), 'inc-evict'), { generatedAt: e.to });
      expect(html).toContain('<h2>Kubernetes events excerpt</h2>');
      expect(html).toMatch(/TaintManagerEviction<\/td><td class="mono">Pod\/shop\/web-node-a1<\/td>/);
    } finally { e.close(); }
  }, 60_000);
});
