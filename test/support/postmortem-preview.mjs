// Dev-only: shows the postmortem page before the incident store exists (it lives on another
// branch). Preloaded into `next start`, it registers an IncidentSource that knows one incident,
// read from a JSON dossier written by scripts/postmortem/sample.ts (`--dossier FILE --cluster ID`):
//   KF_PREVIEW_DOSSIER=/tmp/dossier.json KF_BUNDLES=testdata/bundles/etcd-nospace.tar.gz \
//     NODE_OPTIONS="--import ./test/support/postmortem-preview.mjs" npx next start -H 127.0.0.1
// Never loaded by the app itself.
import fs from 'node:fs';

const file = process.env.KF_PREVIEW_DOSSIER;
if (file) {
  const d = JSON.parse(fs.readFileSync(file, 'utf8'));
  globalThis[Symbol.for('kube-forensics.incidentSource')] = () => ({ dossier: (id) => (id === d.incident.id ? d : null) });
  console.error(`[postmortem-preview] incident ${d.incident.id} on ${d.incident.clusters.join(', ')}`);
}
