import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { csrfHeaders } from '@/lib/auth/constants';
import { ApiError, apiGet } from './api';
import { runtimeKeys } from './keys';
import { timelineSchema } from './timeline';

/**
 * Mirrors server/capture/pprof-capture.ts (`CaptureSummary`) and server/views/runtime-*.ts. The
 * runtime page hands the server's captures list to a prop of these types, so drift fails the build.
 */
const captureKindSchema = z.enum(['goroutine', 'heap']);

export const captureSummarySchema = z.object({
  id: z.number(),
  kind: captureKindSchema,
  artifactKind: z.enum(['goroutine-debug2', 'goroutine-debug1', 'heap']),
  component: z.string(),
  t: z.number(),
  size: z.number(),
  source: z.enum(['on-demand', 'upload', 'schedule', 'threshold', 'bundle']),
  reason: z.string().optional(),
  total: z.number().optional(),
  sampleTypes: z.array(z.string()).optional(),
  requestedBy: z.string().optional(),
  fileName: z.string().optional(),
});

export const capturesListSchema = z.object({
  captures: z.array(captureSummarySchema),
  canCapture: z.boolean(),
  components: z.array(z.string()),
  reason: z.string().optional(),
  now: z.number(),
});

const locationSchema = z.object({ function: z.string(), file: z.string(), line: z.number() });
const minutesSchema = z.object({ min: z.number(), median: z.number(), max: z.number() });

export const goroutineGroupSchema = z.object({
  count: z.number(),
  state: z.string().nullable(),
  minutes: minutesSchema,
  function: z.string().nullable(),
  file: z.string().nullable(),
  line: z.number().nullable(),
  createdBy: locationSchema.nullable(),
  lockedToThread: z.boolean(),
  idle: z.boolean(),
  frames: z.array(locationSchema),
});

export const goroutineAnalysisSchema = z.object({
  kind: z.literal('goroutine'),
  id: z.number(),
  t: z.number(),
  component: z.string(),
  format: z.enum(['debug=2', 'debug=1']).nullable(),
  total: z.number(),
  groupCount: z.number(),
  truncatedGroups: z.number(),
  groups: z.array(goroutineGroupSchema),
  idle: z.object({ groups: z.number(), goroutines: z.number(), byState: z.array(z.object({ state: z.string(), goroutines: z.number() })) }),
  suspects: z.array(z.object({
    group: z.number().nullable(),
    score: z.number(),
    count: z.number(),
    state: z.string().nullable(),
    function: z.string().nullable(),
    reasons: z.array(z.string()),
    knownIssues: z.array(z.string()),
    growth: z.number().nullable(),
    minutes: minutesSchema.nullable(),
  })),
  knownIssues: z.array(z.object({
    id: z.string(),
    title: z.string(),
    detail: z.string(),
    count: z.number(),
    version: z.enum(['affected', 'not-affected', 'unknown']),
    fixedIn: z.string().nullable(),
    links: z.array(z.string()),
    groups: z.array(z.number().nullable()),
  })),
  warnings: z.array(z.object({ code: z.string(), line: z.number().nullable(), message: z.string() })),
});

export const compactFlameSchema = z.object({
  strings: z.array(z.string()),
  names: z.array(z.number()),
  parent: z.array(z.number()),
  self: z.array(z.number()),
  total: z.array(z.number()),
  merged: z.number(),
});

export const heapAnalysisSchema = z.object({
  kind: z.literal('heap'),
  id: z.number(),
  t: z.number(),
  component: z.string(),
  sampleTypes: z.array(z.object({ type: z.string(), unit: z.string() })),
  sampleIndex: z.string(),
  unit: z.string(),
  total: z.number(),
  /** The top's order: flat (pprof's default) or cum (pprof -cum). */
  sort: z.enum(['flat', 'cum']),
  top: z.array(z.object({ function: z.string(), flat: z.number(), flatPct: z.number(), sumPct: z.number(), cum: z.number(), cumPct: z.number() })),
  droppedNodes: z.number(),
  flameNodes: z.number(),
  flame: compactFlameSchema,
});

export const captureAnalysisSchema = z.discriminatedUnion('kind', [goroutineAnalysisSchema, heapAnalysisSchema]);

const changeSchema = z.object({ stackKey: z.string(), state: z.string().nullable(), function: z.string().nullable(), before: z.number(), after: z.number(), delta: z.number() });
export const captureDiffSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('goroutine'), base: z.number(), new: z.number(), depth: z.number().nullable(), totalBefore: z.number(), totalAfter: z.number(),
    grew: z.array(changeSchema), shrank: z.array(changeSchema), appeared: z.array(changeSchema), disappeared: z.array(changeSchema),
  }),
  z.object({
    kind: z.literal('heap'), base: z.number(), new: z.number(), sampleIndex: z.string(), unit: z.string(), baseTotal: z.number(), newTotal: z.number(), totalDelta: z.number(),
    rows: z.array(z.object({ function: z.string(), baseFlat: z.number(), newFlat: z.number(), flatDelta: z.number(), baseCum: z.number(), newCum: z.number(), cumDelta: z.number(), status: z.enum(['appeared', 'disappeared', 'changed', 'unchanged']) })),
  }),
]);

export type CaptureKind = z.infer<typeof captureKindSchema>;
export type CaptureSummary = z.infer<typeof captureSummarySchema>;
export type CapturesList = z.infer<typeof capturesListSchema>;
export type GoroutineAnalysis = z.infer<typeof goroutineAnalysisSchema>;
export type GoroutineGroupRow = z.infer<typeof goroutineGroupSchema>;
export type HeapAnalysis = z.infer<typeof heapAnalysisSchema>;
export type CompactFlame = z.infer<typeof compactFlameSchema>;
export type CaptureAnalysis = z.infer<typeof captureAnalysisSchema>;
export type CaptureDiff = z.infer<typeof captureDiffSchema>;

const base = (clusterId: string) => `/api/clusters/${encodeURIComponent(clusterId)}/captures`;
export const captureRawPath = (clusterId: string, id: number) => `${base(clusterId)}/${id}/raw`;

export function useCaptures(clusterId: string, initial?: CapturesList) {
  return useQuery({
    queryKey: runtimeKeys.captures(clusterId),
    queryFn: ({ signal }) => apiGet(base(clusterId), capturesListSchema, signal),
    initialData: initial,
    refetchInterval: 30_000,
  });
}

export function useCaptureAnalysis(clusterId: string, id: number | null, sampleIndex?: string, sort?: 'cum') {
  const q = new URLSearchParams({ ...(sampleIndex ? { sampleIndex } : {}), ...(sort ? { sort } : {}) }).toString();
  return useQuery({
    queryKey: runtimeKeys.capture(clusterId, id ?? 0, sampleIndex, sort),
    queryFn: ({ signal }) => apiGet(`${base(clusterId)}/${id}${q ? `?${q}` : ''}`, captureAnalysisSchema, signal),
    enabled: id !== null,
    staleTime: Infinity, // a capture never changes
    retry: 1,
  });
}

export function useCaptureDiff(clusterId: string, baseId: number | null, newId: number | null, sampleIndex?: string) {
  return useQuery({
    queryKey: runtimeKeys.diff(clusterId, baseId ?? 0, newId ?? 0, sampleIndex),
    queryFn: ({ signal }) => apiGet(`${base(clusterId)}/diff?${new URLSearchParams({ base: String(baseId), new: String(newId), ...(sampleIndex ? { sampleIndex } : {}) })}`, captureDiffSchema, signal),
    enabled: baseId !== null && newId !== null && baseId !== newId,
    staleTime: Infinity,
    retry: 1,
  });
}

/** Goroutines and RSS of the apiserver over the last hour, from the timeline API. */
export function useRuntimeTrend(clusterId: string, range: { from: string; to: string }, immutable: boolean) {
  return useQuery({
    queryKey: [...runtimeKeys.trend(clusterId), range] as const,
    queryFn: ({ signal }) => apiGet(`/api/clusters/${encodeURIComponent(clusterId)}/timeline?${new URLSearchParams({ ...range, width: '400', panels: 'apiserver-goroutines,apiserver-memory' })}`, timelineSchema, signal),
    staleTime: immutable ? Infinity : 25_000,
    refetchInterval: immutable ? false : 30_000,
  });
}

async function send(path: string, init: RequestInit, schema: typeof captureSummarySchema): Promise<CaptureSummary> {
  let res: Response;
  // Writes carry the CSRF token of a signed-in session (server/auth/authorize.ts).
  try { res = await fetch(path, { ...init, headers: { ...(init.headers as Record<string, string> | undefined), ...csrfHeaders() }, cache: 'no-store' }); }
  catch (e) { throw new ApiError('network', `no answer (${e instanceof Error ? e.message : String(e)})`); }
  const body: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const msg = body && typeof body === 'object' && 'error' in body && typeof body.error === 'string' ? body.error : `${res.status} ${res.statusText}`;
    throw new ApiError('http', msg, res.status);
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) throw new ApiError('invalid', `unexpected answer from ${path}`);
  return parsed.data;
}

/** "Capture goroutines" / "Capture heap": the server rate-limits (429 with a message saying when). */
export function useCaptureNow(clusterId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { kind: CaptureKind; component?: string }) => send(base(clusterId), {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ kind: v.kind, component: v.component ?? 'kube-apiserver' }),
    }, captureSummarySchema),
    onSuccess: () => qc.invalidateQueries({ queryKey: runtimeKeys.captures(clusterId) }),
  });
}

/**
 * Guesses the kind of a dropped file: gzip or binary is a heap profile (profile.proto), text a
 * goroutine dump. The server parses it either way and answers with the parser's message.
 */
export async function guessCaptureKind(file: Blob): Promise<CaptureKind> {
  const head = new Uint8Array(await file.slice(0, 512).arrayBuffer());
  if (head[0] === 0x1f && head[1] === 0x8b) return 'heap';
  let binary = 0;
  for (const b of head) if (b < 0x09 || (b > 0x0d && b < 0x20)) binary++;
  return binary > 0 ? 'heap' : 'goroutine';
}

export function useUploadCapture(clusterId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: async (file: File) => {
      const kind = await guessCaptureKind(file);
      return send(`${base(clusterId)}/upload?${new URLSearchParams({ kind, name: file.name.slice(0, 200) })}`, {
        method: 'POST', headers: { 'content-type': 'application/octet-stream' }, body: file,
      }, captureSummarySchema);
    },
    onSuccess: () => qc.invalidateQueries({ queryKey: runtimeKeys.captures(clusterId) }),
  });
}
