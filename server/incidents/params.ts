import 'server-only';
import { z } from 'zod';
import { ANNOTATION_KINDS, INCIDENT_SEVERITIES, INCIDENT_STATUSES, type AnnotationKind, type IncidentSeverity, type IncidentStatus } from '@/lib/incidents/types';
import { HttpError } from '../api/http-error';

// Input shapes of the incident routes (app/api/incidents/**), validated at the boundary.

const ID = /^[a-z0-9]{4,40}$/;
const clusterId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,80}$/);
const epochMs = z.number().int().min(0).max(8.64e15);
const by = z.string().trim().max(100).optional();

/** `/api/incidents/<incident>/…` and `…/annotations/<annotation>` (withRuntime resolves no params). */
export function incidentParam(req: Request): string {
  const parts = new URL(req.url).pathname.split('/').filter(Boolean).map(decodeURIComponent);
  const raw = parts[parts.indexOf('incidents') + 1] ?? '';
  if (!ID.test(raw)) throw new HttpError(400, `not an incident id: ${JSON.stringify(raw.slice(0, 60))}`);
  return raw;
}

export function annotationParam(req: Request): number {
  const parts = new URL(req.url).pathname.split('/').filter(Boolean);
  const raw = parts[parts.indexOf('annotations') + 1] ?? '';
  if (!/^\d{1,15}$/.test(raw) || Number(raw) <= 0) throw new HttpError(400, `annotation id must be a positive integer, got ${JSON.stringify(raw.slice(0, 60))}`);
  return Number(raw);
}

const severity = z.enum(INCIDENT_SEVERITIES as [IncidentSeverity, ...IncidentSeverity[]]);
const status = z.enum(INCIDENT_STATUSES as [IncidentStatus, ...IncidentStatus[]]);

export const createBody = z.union([
  z.object({ fromFinding: z.object({ cluster: clusterId, findingId: z.string().regex(/^[a-z0-9-]{1,80}$/) }), by }).strict(),
  z.object({
    title: z.string().trim().min(1).max(200),
    severity: severity.default('sev2'),
    clusters: z.array(clusterId).min(1).max(10),
    from: epochMs.optional(),
    to: epochMs.nullable().optional(),
    summary: z.string().max(10_000).optional(),
    by,
  }).strict(),
]);

export const patchBody = z.object({
  title: z.string().trim().min(1).max(200).optional(),
  severity: severity.optional(),
  status: status.optional(),
  summary: z.string().max(10_000).optional(),
  from: epochMs.optional(),
  to: epochMs.nullable().optional(),
  by,
}).strict();

export const annotationBody = z.object({
  cluster: clusterId.optional(),
  from: epochMs,
  to: epochMs.nullable().optional(),
  kind: z.enum(ANNOTATION_KINDS as [AnnotationKind, ...AnnotationKind[]]),
  text: z.string().trim().min(1).max(2000),
  by,
}).strict().refine((a) => a.to == null || a.to >= a.from, { message: 'a range must end after it starts', path: ['to'] });

export const findingBody = z.object({ cluster: clusterId, findingId: z.string().regex(/^[a-z0-9-]{1,80}$/), by }).strict();

/** Links a runbook run or a captured dump/profile to the incident. */
export const linkBody = z.discriminatedUnion('link', [
  z.object({ link: z.literal('run'), cluster: clusterId, run: z.number().int().positive(), by }).strict(),
  z.object({ link: z.literal('capture'), cluster: clusterId, artifactId: z.number().int().positive(), by }).strict(),
]);

export const streamQuery = z.object({
  since: z.coerce.number().int().min(0).optional(),
  /** Send what is stored after `since` and end (scripts, tests): no live tail. */
  once: z.enum(['1', 'true']).optional(),
});

export async function jsonBody(req: Request): Promise<unknown> {
  return req.json().catch(() => ({}));
}
