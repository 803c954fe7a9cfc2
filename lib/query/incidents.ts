import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import {
  ANNOTATION_KINDS, INCIDENT_SEVERITIES, INCIDENT_STATUSES, type Annotation, type AnnotationKind, type Incident, type IncidentChange,
  type IncidentDossier, type IncidentSeverity, type IncidentStatus,
} from '@/lib/incidents/types';
import { apiGet } from './api';
import { incidentKeys } from './keys';
import { apiSend } from './post';
import { runbookKeys } from './runbooks';

/** Mirrors lib/incidents/types.ts, checked at the boundary like every other answer. */
const severity = z.enum(INCIDENT_SEVERITIES as [IncidentSeverity, ...IncidentSeverity[]]);
const status = z.enum(INCIDENT_STATUSES as [IncidentStatus, ...IncidentStatus[]]);
const kind = z.enum(ANNOTATION_KINDS as [AnnotationKind, ...AnnotationKind[]]);

export const incidentSchema = z.object({
  id: z.string(), title: z.string(), severity, status, clusters: z.array(z.string()), from: z.number(), to: z.number().nullable(),
  createdAt: z.number(), createdBy: z.string(), updatedAt: z.number(), summary: z.string(),
}) satisfies z.ZodType<Incident>;
export const annotationSchema = z.object({
  id: z.number(), incidentId: z.string(), cluster: z.string(), from: z.number(), to: z.number().nullable(), kind, text: z.string(), author: z.string(), createdAt: z.number(),
}) satisfies z.ZodType<Annotation>;
const findingSchema = z.object({
  incidentId: z.string(), cluster: z.string(), findingId: z.string(), detector: z.string(), title: z.string(), severity: z.enum(['info', 'warning', 'critical']),
  summary: z.string(), from: z.number(), to: z.number(), facts: z.array(z.string()), linkedAt: z.number(), linkedBy: z.string(),
});
const stepSchema = z.object({ runId: z.number(), runbook: z.string(), cluster: z.string(), step: z.string(), status: z.enum(['done', 'skipped', 'failed', 'pending']), by: z.string(), t: z.number(), note: z.string() });
const captureSchema = z.object({ cluster: z.string(), artifactId: z.number(), kind: z.enum(['goroutine', 'heap']), component: z.string(), t: z.number() });

export const dossierSchema = z.object({
  incident: incidentSchema, annotations: z.array(annotationSchema), findings: z.array(findingSchema), steps: z.array(stepSchema), captures: z.array(captureSchema), seq: z.number(),
}) satisfies z.ZodType<IncidentDossier>;

const seqT = { seq: z.number(), t: z.number() };
export const changeSchema = z.discriminatedUnion('type', [
  z.object({ ...seqT, type: z.literal('incident'), incident: incidentSchema }),
  z.object({ ...seqT, type: z.literal('annotation'), annotation: annotationSchema }),
  z.object({ ...seqT, type: z.literal('annotation-deleted'), id: z.number() }),
  z.object({ ...seqT, type: z.literal('finding'), finding: findingSchema }),
  z.object({ ...seqT, type: z.literal('step'), step: stepSchema }),
  z.object({ ...seqT, type: z.literal('capture'), capture: captureSchema }),
]) satisfies z.ZodType<IncidentChange>;

const listItem = incidentSchema.extend({ annotations: z.number(), findings: z.number() });
export const incidentListSchema = z.object({ incidents: z.array(listItem) });
export type IncidentListItem = z.infer<typeof listItem>;

export const incidentPath = (id: string, rest = '') => `/api/incidents/${encodeURIComponent(id)}${rest}`;

export function useIncidents(initial?: z.infer<typeof incidentListSchema>) {
  return useQuery({
    queryKey: incidentKeys.list(), queryFn: ({ signal }) => apiGet('/api/incidents', incidentListSchema, signal),
    initialData: initial, refetchInterval: 10_000,
  });
}

/** One incident's dossier; the live feed (use-incident-stream) writes pushed changes into this entry. */
export function useDossier(id: string, initial: IncidentDossier) {
  return useQuery({
    queryKey: incidentKeys.dossier(id), queryFn: ({ signal }) => apiGet(incidentPath(id), dossierSchema, signal),
    initialData: initial, staleTime: Infinity, refetchOnWindowFocus: false,
  });
}

export type CreateIncident =
  | { fromFinding: { cluster: string; findingId: string }; by: string }
  | { title: string; severity: IncidentSeverity; clusters: string[]; from?: number; to?: number | null; summary?: string; by: string };

export function useCreateIncident() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (b: CreateIncident) => apiSend('POST', '/api/incidents', b, incidentSchema),
    onSuccess: () => qc.invalidateQueries({ queryKey: incidentKeys.list() }),
  });
}

export type IncidentPatch = Partial<Pick<Incident, 'title' | 'severity' | 'status' | 'summary' | 'from' | 'to'>>;

export function usePatchIncident(id: string) {
  return useMutation({ mutationFn: (p: IncidentPatch) => apiSend('PATCH', incidentPath(id), p, incidentSchema) });
}

export interface NewAnnotation { from: number; to: number | null; kind: AnnotationKind; text: string; by: string; cluster?: string }

export function useAddAnnotation(id: string) {
  return useMutation({ mutationFn: (a: NewAnnotation) => apiSend('POST', incidentPath(id, '/annotations'), a, annotationSchema) });
}

export function useDeleteAnnotation(id: string) {
  return useMutation({ mutationFn: (annotation: number) => apiSend('DELETE', incidentPath(id, `/annotations/${annotation}`), undefined, z.object({ deleted: z.number() })) });
}

export type IncidentLink = { link: 'run'; cluster: string; run: number; by: string } | { link: 'capture'; cluster: string; artifactId: number; by: string };

export function useLinkToIncident(id: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (l: IncidentLink) => apiSend('POST', incidentPath(id, '/links'), l, z.object({ linked: z.boolean() })),
    // Runs: which one is linked shows in the runbooks index.
    onSuccess: (_, l) => qc.invalidateQueries({ queryKey: runbookKeys.index(l.cluster) }),
  });
}
