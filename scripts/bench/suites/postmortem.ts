// Time to render a 10-page postmortem PDF (issue 7): the etcd-nospace recording imported into a
// store on disk, the hand-made incident of test/support/postmortem-fixture, the input gathered by
// the report's own code (10 key charts, goroutine groups and heap top of 4 captures), then printed
// by Chromium through playwright-core (server/report/pdf). The events excerpt is padded with
// hand-made Warning events (the recording has none) until the document is 10 pages long.
// Measured: assembling the input and the HTML from the store; the PDF with the browser to start
// (the first export after an idle minute) and with it running.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { assembleDraft } from '../../../lib/postmortem/draft';
import { postmortemHtml } from '../../../lib/postmortem/html';
import type { EventExcerpt } from '../../../lib/postmortem/types';
import { chromiumAvailable, closeBrowser, renderPdf } from '../../../server/report/pdf';
import { postmortemInput } from '../../../server/report/postmortem-input';
import { fakeSource, FIXTURE_CLUSTER, fixtureContext, nospaceDossier } from '../../../test/support/postmortem-fixture';
import { addSampleEvents, loadNospace } from '../../postmortem/sample';
import type { BenchResult } from '../types';

const pagesOf = (pdf: Buffer) => pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g)?.length ?? 0;

function padding(from: number, n: number): EventExcerpt[] {
  return Array.from({ length: n }, (_, i) => ({
    cluster: FIXTURE_CLUSTER, t: from + i * 4_000, type: 'Warning', reason: i % 2 ? 'FailedCreate' : 'FailedUpdate',
    object: `ReplicaSet/shop/checkout-${(i * 7919).toString(36)}`, count: 1 + (i % 9),
    message: 'Error creating: etcdserver: mvcc: database space exceeded',
  }));
}

export default async function bench(): Promise<BenchResult[]> {
  if (!chromiumAvailable()) return [{ metric: 'postmortem PDF', value: NaN, unit: 'ms', note: 'no Chromium (KF_CHROMIUM)' }];
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kf-bench-pm-'));
  const b = await loadNospace(dataDir);
  try {
    const dossier = nospaceDossier(b);
    addSampleEvents(b.store, dossier.incident.from);
    let t = performance.now();
    const input = (await postmortemInput(fixtureContext(b), fakeSource(dossier), dossier.incident.id))!;
    const draft = assembleDraft(input);
    postmortemHtml(draft, { generatedAt: b.to });
    const assembleMs = performance.now() - t;
    // Pad the events excerpt until the document is 10 pages (checked, not assumed).
    let pdf: Buffer = Buffer.alloc(0);
    let html = '';
    for (let extra = 0; extra <= 120; extra += 10) {
      const d = { ...draft, evidence: { ...draft.evidence, events: [...draft.evidence.events, ...padding(dossier.incident.from, extra)] } };
      html = postmortemHtml(d, { generatedAt: b.to });
      pdf = await renderPdf(html, d.title, `bench-size-${extra}`);
      if (pagesOf(pdf) >= 10) break;
    }
    await closeBrowser();
    t = performance.now();
    pdf = await renderPdf(html, draft.title, 'bench-cold');
    const coldMs = performance.now() - t;
    const warm: number[] = [];
    for (let i = 0; i < 3; i++) {
      t = performance.now();
      await renderPdf(html, draft.title, `bench-warm-${i}`);
      warm.push(performance.now() - t);
    }
    const pages = pagesOf(pdf);
    const note = `${pages} pages, ${(pdf.length / 1024).toFixed(0)} KiB, ${input.charts.length} vector charts`;
    return [
      { metric: 'postmortem input + draft + HTML from the store', value: assembleMs, unit: 'ms', note: `${input.charts.length} charts, ${input.goroutines.length} goroutine dumps, ${input.heap.length} heap profiles` },
      { metric: `postmortem PDF, ${pages} pages (browser start included)`, value: coldMs, unit: 'ms', note },
      { metric: `postmortem PDF, ${pages} pages (browser running, median of 3)`, value: warm.sort((x, y) => x - y)[1]!, unit: 'ms', note },
    ];
  } finally {
    await closeBrowser();
    b.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}
