import 'server-only';
import type { Finding } from '@/lib/detectors/types';
import type { Incident, IncidentSeverity, LinkedFinding } from '@/lib/incidents/types';
import { HttpError } from '../api/http-error';
import type { Principal } from '../auth/authorize';
import { actorName } from '../auth/identity';
import type { ClusterEntry, Runtime } from '../runtime';
import { currentFindings } from '../views/findings';
import { IncidentHub } from './hub';
import { IncidentStore } from './store';

/** How often an incident with open screens looks for new findings on its clusters (recorded data only). */
export const FINDINGS_POLL_MS = 2_000;

interface Live { hub: IncidentHub; store: IncidentStore }
// On globalThis, as the runtime is: the bundler may load this module once per route chunk, and the
// route that adds an annotation must publish to the very hub the stream route subscribed to.
const KEY = Symbol.for('kube-forensics.incidents');
const LIVE: WeakMap<Runtime, Live> = ((globalThis as Record<symbol, unknown>)[KEY] ??= new WeakMap<Runtime, Live>()) as WeakMap<Runtime, Live>;

const HUBS_KEY = Symbol.for('kube-forensics.incident-hubs');
const HUBS: Set<IncidentHub> = ((globalThis as Record<symbol, unknown>)[HUBS_KEY] ??= new Set<IncidentHub>()) as Set<IncidentHub>;

/**
 * Ends every open live feed (server shutdown): an SSE response never ends by itself, and a server
 * draining its connections on SIGTERM would otherwise wait on every open war-room screen. The
 * browsers reconnect to the next server and catch up from their last seq.
 */
export function closeLiveFeeds(): void {
  for (const h of HUBS) h.close();
}

/** The runtime's incident store and hub: one hub per process, one subscriber set per incident. */
export function live(rt: Runtime): Live {
  let l = LIVE.get(rt);
  if (!l) {
    let hub: IncidentHub | null = null;
    const store = new IncidentStore(rt.store.db, (id, c) => hub?.publish(id, c));
    hub = new IncidentHub({
      changesSince: (id, seq) => store.changesSince(id, seq),
      poll: { everyMs: FINDINGS_POLL_MS, run: (id) => linkNewFindings(rt, store, id) },
    });
    // Data stored for a cluster: look for new findings now on the incidents watching it (the poll
    // stays, for the archives that do not go through the recorder: events, audit).
    const h = hub;
    rt.onRecorded?.add((cluster) => {
      for (const id of h.activeIncidents()) if (store.get(id)?.clusters.includes(cluster)) h.kick(id);
    });
    l = { hub, store };
    LIVE.set(rt, l);
    HUBS.add(hub);
  }
  return l;
}

export const incidents = (rt: Runtime): IncidentStore => live(rt).store;

/**
 * Who did it: the authenticated user when auth is on (a body field cannot override it), else the
 * display name the browser sent (open loopback mode has no users), else "anonymous".
 */
export function actor(principal: Principal | null, claimed: string | undefined): string {
  return actorName(principal, claimed, 'anonymous');
}

export function incidentOrThrow(rt: Runtime, id: string): Incident {
  const i = incidents(rt).get(id);
  if (!i) throw new HttpError(404, `no incident ${id}`);
  return i;
}

export function toLinked(incidentId: string, cluster: string, f: Finding, by: string, t: number): LinkedFinding {
  return {
    incidentId, cluster, findingId: f.id, detector: f.detector, title: f.title, severity: f.severity, summary: f.summary,
    from: f.evidence.from, to: f.evidence.to, facts: f.evidence.facts, linkedAt: t, linkedBy: by,
  };
}

const SEVERITY_OF: Record<Finding['severity'], IncidentSeverity> = { critical: 'sev1', warning: 'sev2', info: 'sev3' };

/** The finding of a cluster by id, as the detectors see the recording now. */
export function findingOrThrow(rt: Runtime, cluster: string, findingId: string): Finding {
  const entry = rt.clusters.get(cluster);
  if (!entry) throw new HttpError(404, `no cluster ${cluster}`);
  const f = currentFindings(rt, entry).find((x) => x.id === findingId);
  if (!f) throw new HttpError(404, `no current finding ${findingId} on ${entry.name}`);
  return f;
}

/** One click from a finding: its title, a severity from its own, its evidence window, and the link. */
export function createFromFinding(rt: Runtime, cluster: string, findingId: string, by: string): Incident {
  const f = findingOrThrow(rt, cluster, findingId);
  const t = Date.now();
  const s = incidents(rt);
  // A bundle is a finished recording: its incident's impact ends where the evidence ends. Live: ongoing.
  const to = rt.clusters.get(cluster)?.kind === 'bundle' ? f.evidence.to : null;
  const incident = s.create({ title: f.title, severity: SEVERITY_OF[f.severity], clusters: [cluster], from: f.evidence.from, to, summary: f.summary, by, t });
  s.linkFinding(toLinked(incident.id, cluster, f, by, t));
  return s.get(incident.id)!;
}

/**
 * New findings while screens are open: detectors over the recorded data of the incident's
 * clusters (the store, never the apiserver); a warning or critical finding not yet linked whose
 * evidence overlaps the incident's window is linked by "detector" and so announced as a 'finding' change.
 */
export function linkNewFindings(rt: Runtime, store: IncidentStore, incidentId: string, findingsOf: (e: ClusterEntry) => Finding[] = (e) => currentFindings(rt, e)): number {
  const incident = store.get(incidentId);
  if (!incident || incident.status === 'resolved') return 0;
  let linked = 0;
  for (const cluster of incident.clusters) {
    const entry = rt.clusters.get(cluster);
    if (!entry) continue;
    for (const f of findingsOf(entry)) {
      const end = incident.to ?? Number.MAX_SAFE_INTEGER;
      // Info findings are standing risks (a single etcd member), not news: they are linked by hand.
      if (f.severity === 'info' || f.evidence.to < incident.from || f.evidence.from > end || store.isLinked(incidentId, cluster, f.id)) continue;
      if (store.linkFinding(toLinked(incidentId, cluster, f, 'detector', Date.now()))) linked++;
    }
  }
  return linked;
}
