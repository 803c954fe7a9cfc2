// A hand-made incident over a real recorded bundle (testdata/bundles/etcd-nospace): the NOSPACE
// finding the detectors raise on the recording, linked as a responder would, notes by two people
// and the out-of-space runbook's steps. Used by the postmortem's tests, the sample render and the
// bench; the incident store (another branch) provides real dossiers in the app.
import { detect } from '../../lib/detectors/evaluate';
import type { IncidentDossier } from '../../lib/incidents/types';
import { detectionInputs } from '../../server/views/detection-inputs';
import type { IncidentSource, ReportContext } from '../../server/report/postmortem-input';
import type { RecordedBundle } from './recorded-bundle';

export const FIXTURE_CLUSTER = 'b';

export function nospaceDossier(b: RecordedBundle): IncidentDossier {
  const findings = detect({ load: b.load, at: b.to, from: b.from, ...detectionInputs(b.store, FIXTURE_CLUSTER, b.to) });
  const nospace = findings.find((f) => f.detector === 'etcd-nospace');
  const quota = findings.find((f) => f.detector === 'etcd-db-quota');
  const start = nospace?.evidence.from ?? b.from + 3 * 60_000;
  const m = (min: number) => Math.round(start + min * 60_000);
  const id = 'inc-7f3k2q';
  const linked = [nospace, quota].filter((f): f is NonNullable<typeof f> => !!f).map((f, i) => ({
    incidentId: id, cluster: FIXTURE_CLUSTER, findingId: f.id, detector: f.detector, title: f.title, severity: f.severity,
    summary: f.summary, from: f.evidence.from, to: f.evidence.to, facts: f.evidence.facts, linkedAt: m(1 + i * 0.5), linkedBy: 'maria.k',
  }));
  return {
    incident: {
      id, title: 'etcd out of space', severity: 'sev1', status: 'resolved', clusters: [FIXTURE_CLUSTER],
      from: start, to: Math.min(b.to, m(3.2)), createdAt: m(0.6), createdBy: 'maria.k', updatedAt: m(3.5),
      summary: 'etcd reached its backend quota and raised the NOSPACE alarm: every write through the apiserver failed with "etcdserver: mvcc: database space exceeded" until the history was compacted, the member defragmented and the alarm disarmed. Reads kept working throughout.',
    },
    annotations: [
      { id: 1, incidentId: id, cluster: FIXTURE_CLUSTER, from: m(0.4), to: null, kind: 'observation', text: 'Deployments stuck: kubectl apply answers 500 "database space exceeded"', author: 'maria.k', createdAt: m(0.7) },
      { id: 2, incidentId: id, cluster: FIXTURE_CLUSTER, from: m(1.2), to: null, kind: 'hypothesis', text: 'A controller is writing ConfigMaps in a loop and filled the keyspace', author: 'dev.r', createdAt: m(1.3) },
      { id: 3, incidentId: id, cluster: FIXTURE_CLUSTER, from: m(2.0), to: null, kind: 'action', text: 'Scaled the looping controller to 0 (follow-up: fix its retry logic)', author: 'dev.r', createdAt: m(2.0) },
      { id: 4, incidentId: id, cluster: FIXTURE_CLUSTER, from: m(3.0), to: null, kind: 'observation', text: 'Writes succeed again; alarm list is empty', author: 'maria.k', createdAt: m(3.1) },
    ],
    findings: linked,
    steps: [
      { runId: 1, runbook: 'etcd-out-of-space', cluster: FIXTURE_CLUSTER, step: 'alarm', status: 'done', by: 'maria.k', t: m(1.5), note: 'NOSPACE alarm active on the only member' },
      { runId: 1, runbook: 'etcd-out-of-space', cluster: FIXTURE_CLUSTER, step: 'compact', status: 'done', by: 'dev.r', t: m(2.3), note: '' },
      { runId: 1, runbook: 'etcd-out-of-space', cluster: FIXTURE_CLUSTER, step: 'defrag', status: 'done', by: 'dev.r', t: m(2.6), note: 'DB 128 MiB → 9 MiB' },
      { runId: 1, runbook: 'etcd-out-of-space', cluster: FIXTURE_CLUSTER, step: 'disarm', status: 'done', by: 'dev.r', t: m(2.8), note: '' },
      { runId: 1, runbook: 'etcd-out-of-space', cluster: FIXTURE_CLUSTER, step: 'after', status: 'pending', by: 'maria.k', t: m(3.1), note: 'needs a maintenance window' },
    ],
    captures: [],
    seq: 12,
  };
}

export function fixtureContext(b: RecordedBundle): ReportContext {
  return { store: b.store, clusters: new Map([[FIXTURE_CLUSTER, { id: FIXTURE_CLUSTER, name: 'demo-etcd-nospace', kind: 'bundle' as const, bundle: { to: b.to } }]]), intervalMs: 15_000 };
}

export function fakeSource(d: IncidentDossier): IncidentSource {
  return { dossier: (id) => (id === d.incident.id ? d : null) };
}
