// Renders a sample postmortem from a real recorded bundle and a hand-made incident, without Next:
//   node --import ./cli/register.mjs scripts/postmortem/sample.ts [out-dir] [--dossier FILE --cluster ID]
// Writes postmortem.html, postmortem.pdf, postmortem.md and charts/*.svg (default artifacts/postmortem-sample,
// gitignored). The bundle (testdata/bundles/etcd-nospace) has no Events: a few hand-made ones, shaped
// like the real NOSPACE failures, are added to the throw-away store so the events section shows.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { assembleDraft } from '../../lib/postmortem/draft';
import { postmortemHtml } from '../../lib/postmortem/html';
import { postmortemMarkdown } from '../../lib/postmortem/markdown';
import { openBundle } from '../../server/bundle/open';
import { importBundle } from '../../server/bundle/import';
import { closeBrowser, renderPdf } from '../../server/report/pdf';
import { postmortemInput } from '../../server/report/postmortem-input';
import { Store } from '../../server/store/store';
import { storeLoader } from '../../server/views/timeline';
import { fakeSource, FIXTURE_CLUSTER, fixtureContext, nospaceDossier } from '../../test/support/postmortem-fixture';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../..');
const args = process.argv.slice(2);
const flag = (name: string) => { const i = args.indexOf(name); return i >= 0 ? args.splice(i, 2)[1] : undefined; };
// --dossier FILE --cluster ID: also write the hand-made dossier as JSON (to inspect or import).
const dossierFile = flag('--dossier');
const previewCluster = flag('--cluster');
const out = path.resolve(args[0] ?? path.join(root, 'artifacts/postmortem-sample'));

export async function loadNospace(dataDir: string) {
  const store = Store.open(dataDir);
  const b = await openBundle(path.join(root, 'testdata/bundles/etcd-nospace.tar.gz'));
  try { await importBundle(store, b, FIXTURE_CLUSTER); } finally { b.dispose(); }
  const from = Date.parse(b.manifest.timeRange.from);
  const to = Date.parse(b.manifest.timeRange.to);
  return { store, from, to, load: storeLoader(store, FIXTURE_CLUSTER, from - 60_000, to, 90_000), close: () => store.close() };
}

export function addSampleEvents(store: Store, start: number): void {
  const ev = (i: number, reason: string, kind: string, ns: string, name: string, message: string, count: number, dt: number) => ({
    uid: `sample-${i}`, api: 'core/v1' as const, namespace: ns, name: `${name}.${i}`, resourceVersion: String(i),
    object: { kind, namespace: ns, name }, reason, type: 'Warning', message, component: 'deployment-controller', host: '',
    firstTimestamp: start + dt, lastTimestamp: start + dt + 60_000, count,
  });
  store.events.put(FIXTURE_CLUSTER, [
    ev(1, 'FailedCreate', 'ReplicaSet', 'shop', 'checkout-7d9f', 'Error creating: etcdserver: mvcc: database space exceeded', 41, 20_000),
    ev(2, 'FailedUpdate', 'Deployment', 'shop', 'checkout', 'Operation cannot be fulfilled: etcdserver: mvcc: database space exceeded', 12, 35_000),
    ev(3, 'LeaderElection', 'Lease', 'kube-system', 'kube-controller-manager', 'failed to renew lease kube-system/kube-controller-manager: etcdserver: mvcc: database space exceeded', 6, 50_000),
  ]);
}

async function main() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kf-pm-sample-'));
  const b = await loadNospace(dataDir);
  try {
    const dossier = nospaceDossier(b);
    addSampleEvents(b.store, dossier.incident.from);
    if (dossierFile) {
      const c = previewCluster ?? FIXTURE_CLUSTER;
      const remap = <T extends { cluster: string }>(l: T[]) => l.map((x) => ({ ...x, cluster: c }));
      fs.writeFileSync(dossierFile, JSON.stringify({ ...dossier, incident: { ...dossier.incident, clusters: [c] }, annotations: remap(dossier.annotations), findings: remap(dossier.findings), steps: remap(dossier.steps), captures: remap(dossier.captures) }, null, 2));
    }
    const input = await postmortemInput(fixtureContext(b), fakeSource(dossier), dossier.incident.id);
    if (!input) throw new Error('no input');
    const draft = assembleDraft(input);
    const generatedAt = b.to + 3600_000;
    fs.mkdirSync(path.join(out, 'charts'), { recursive: true });
    const html = postmortemHtml(draft, { generatedAt });
    fs.writeFileSync(path.join(out, 'postmortem.html'), html);
    const md = postmortemMarkdown(draft, { generatedAt, images: 'files' });
    fs.writeFileSync(path.join(out, 'postmortem.md'), md.markdown);
    for (const c of md.charts) fs.writeFileSync(path.join(out, c.file), c.svg);
    const t0 = performance.now();
    const pdf = await renderPdf(html, draft.title, 'sample');
    fs.writeFileSync(path.join(out, 'postmortem.pdf'), pdf);
    console.log(`wrote ${out}: ${md.charts.length} charts, timeline ${draft.timeline.length} entries, PDF ${pdf.length} bytes in ${Math.round(performance.now() - t0)} ms`);
  } finally {
    b.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    await closeBrowser();
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname)) await main();
