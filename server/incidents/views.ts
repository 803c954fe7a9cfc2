import 'server-only';
import type { z } from 'zod';
import type { Annotation, Incident, IncidentDossier } from '@/lib/incidents/types';
import { HttpError } from '../api/http-error';
import type { Principal } from '../auth/authorize';
import { toSummary } from '../capture/pprof-capture';
import type { Runtime } from '../runtime';
import { RunbookStore } from '../store/runbooks';
import type { annotationBody, createBody, findingBody, linkBody, patchBody } from './params';
import { actor, createFromFinding, findingOrThrow, incidentOrThrow, incidents, toLinked } from './service';

// What the incident routes do (app/api/incidents/**): each route is one line around one of these.

export interface IncidentListItem extends Incident { annotations: number; findings: number }

export function listIncidents(rt: Runtime, cluster?: string): { incidents: IncidentListItem[] } {
  const s = incidents(rt);
  return {
    incidents: s.list({ cluster }).map((i) => {
      const d = s.dossier(i.id)!;
      return { ...i, annotations: d.annotations.length, findings: d.findings.length };
    }),
  };
}

async function clustersOrThrow(rt: Runtime, ids: string[]): Promise<void> {
  await rt.ready;
  const missing = ids.filter((c) => !rt.clusters.has(c));
  if (missing.length) throw new HttpError(404, `no cluster ${missing.join(', ')}`);
}

export async function createIncident(rt: Runtime, principal: Principal | null, b: z.infer<typeof createBody>): Promise<Incident> {
  const who = actor(principal, b.by);
  if ('fromFinding' in b) {
    await clustersOrThrow(rt, [b.fromFinding.cluster]);
    return createFromFinding(rt, b.fromFinding.cluster, b.fromFinding.findingId, who);
  }
  await clustersOrThrow(rt, b.clusters);
  const t = Date.now();
  if (b.to != null && b.to < (b.from ?? t)) throw new HttpError(400, 'the impact window must end after it starts');
  return incidents(rt).create({ title: b.title, severity: b.severity, clusters: [...new Set(b.clusters)], from: b.from ?? t, to: b.to ?? null, summary: b.summary, by: who, t });
}

export function dossier(rt: Runtime, id: string): IncidentDossier {
  const d = incidents(rt).dossier(id);
  if (!d) throw new HttpError(404, `no incident ${id}`);
  return d;
}

export function patchIncident(rt: Runtime, id: string, p: z.infer<typeof patchBody>): Incident {
  const cur = incidentOrThrow(rt, id);
  const { by: _by, ...patch } = p;
  const t = Date.now();
  // Resolving an ongoing incident closes its window now, unless the patch says when.
  if (patch.status === 'resolved' && cur.to === null && patch.to === undefined) patch.to = t;
  const from = patch.from ?? cur.from;
  const to = patch.to === undefined ? cur.to : patch.to;
  if (to !== null && to < from) throw new HttpError(400, 'the impact window must end after it starts');
  return incidents(rt).update(id, patch, t)!;
}

export function annotations(rt: Runtime, id: string): { annotations: Annotation[] } {
  incidentOrThrow(rt, id);
  return { annotations: incidents(rt).annotations(id) };
}

export function addAnnotation(rt: Runtime, principal: Principal | null, id: string, b: z.infer<typeof annotationBody>): Annotation {
  const inc = incidentOrThrow(rt, id);
  const cluster = b.cluster ?? inc.clusters[0]!;
  if (!inc.clusters.includes(cluster)) throw new HttpError(400, `incident ${id} does not span cluster ${cluster}`);
  const a = incidents(rt).addAnnotation({ incidentId: id, cluster, from: b.from, to: b.to ?? null, kind: b.kind, text: b.text, author: actor(principal, b.by), createdAt: Date.now() });
  if (!a) throw new HttpError(404, `no incident ${id}`);
  return a;
}

export function deleteAnnotation(rt: Runtime, id: string, annotation: number): { deleted: number } {
  incidentOrThrow(rt, id);
  if (!incidents(rt).deleteAnnotation(id, annotation, Date.now())) throw new HttpError(404, `no annotation ${annotation} in incident ${id}`);
  return { deleted: annotation };
}

export async function linkFinding(rt: Runtime, principal: Principal | null, id: string, b: z.infer<typeof findingBody>): Promise<{ linked: boolean }> {
  incidentOrThrow(rt, id);
  await clustersOrThrow(rt, [b.cluster]);
  const f = findingOrThrow(rt, b.cluster, b.findingId);
  return { linked: incidents(rt).linkFinding(toLinked(id, b.cluster, f, actor(principal, b.by), Date.now())) };
}

export async function link(rt: Runtime, id: string, b: z.infer<typeof linkBody>): Promise<{ linked: boolean }> {
  incidentOrThrow(rt, id);
  await clustersOrThrow(rt, [b.cluster]);
  const s = incidents(rt);
  if (b.link === 'run') {
    if (!new RunbookStore(rt.store.db).get(b.cluster, b.run)) throw new HttpError(404, `no runbook run ${b.run} on ${b.cluster}`);
    const linked = s.linkRun(id, b.cluster, b.run);
    // Steps done before the link: announced now, so open screens show them too.
    for (const step of s.steps(id).filter((x) => x.runId === b.run)) s.stepLogged(id, step);
    return { linked };
  }
  const row = rt.store.artifacts(b.cluster).find((a) => a.id === b.artifactId);
  const c = row ? toSummary(row) : null;
  if (!c) throw new HttpError(404, `no goroutine dump or heap profile ${b.artifactId} on ${b.cluster}`);
  return { linked: s.linkCapture(id, { cluster: b.cluster, artifactId: c.id, kind: c.kind, component: c.component, t: c.t }, Date.now()) };
}
