import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { ApiError, apiGet } from './api';
import { queryKeys } from './keys';

/** Mirrors server/audit/views.ts and lib/audit/policy-analyze.ts; the page's initial data is typed by these. */
const row = z.object({ key: z.string(), events: z.number(), bytes: z.number() });
const latency = z.object({ key: z.string(), count: z.number(), p50: z.number(), p90: z.number(), p99: z.number(), max: z.number(), mean: z.number() });
const damage = z.object({
  count: z.number(), recovered: z.number(), cutAtEnd: z.boolean(), byKind: z.record(z.string(), z.number()),
  first: z.array(z.object({ line: z.number(), kind: z.string(), bytes: z.number(), message: z.string(), preview: z.string() })),
});

export const auditSourceSchema = z.object({
  id: z.number(), kind: z.enum(['upload', 'path', 'bundle']), name: z.string(), status: z.enum(['ingesting', 'following', 'done', 'failed']),
  totalBytes: z.number().nullable(), readBytes: z.number(), events: z.number(), bytes: z.number(), damaged: z.number(),
  damage: damage.nullable(), error: z.string().nullable(), startedAt: z.number(), updatedAt: z.number(),
});
export type AuditSource = z.infer<typeof auditSourceSchema>;

export const AUDIT_DIMS = ['userAgent', 'user', 'verb', 'resource', 'namespace', 'sourceIP'] as const;
export type AuditTopDim = (typeof AUDIT_DIMS)[number];

export const auditSummarySchema = z.object({
  range: z.object({ from: z.number(), to: z.number() }).nullable(),
  now: z.number(),
  dataRange: z.object({ from: z.number(), to: z.number() }).nullable(),
  stepMs: z.number(),
  volume: z.array(z.object({ t: z.number(), events: z.number(), bytes: z.number() })),
  total: z.object({ events: z.number(), bytes: z.number() }),
  top: z.object({ userAgent: z.array(row), user: z.array(row), verb: z.array(row), resource: z.array(row), namespace: z.array(row), sourceIP: z.array(row), stage: z.array(row), level: z.array(row) }),
  errors: z.array(z.object({ code: z.number(), pattern: z.string(), message: z.string(), count: z.number(), first: z.number(), last: z.number() })),
  errorsPerMinute: z.array(z.object({ minute: z.number(), code: z.number(), count: z.number() })),
  latency: z.object({ byVerb: z.array(latency), byResource: z.array(latency) }),
  sources: z.array(auditSourceSchema),
});
export type AuditSummaryData = z.infer<typeof auditSummarySchema>;

export const auditTouchesSchema = z.object({
  total: z.number(),
  rows: z.array(z.object({
    t: z.number(), verb: z.string(), apiGroup: z.string(), resource: z.string(), subresource: z.string(), namespace: z.string(), name: z.string(),
    username: z.string(), userAgent: z.string(), sourceIP: z.string(), code: z.number().nullable(), auditID: z.string(), request: z.string().nullable(),
  })),
});
export type AuditTouches = z.infer<typeof auditTouchesSchema>;

const simulation = z.object({
  events: z.number(), bytes: z.number(), bytesPerDay: z.number().nullable(),
  rules: z.array(z.object({ index: z.number(), description: z.string(), level: z.string(), events: z.number(), bytes: z.number(), eventShare: z.number(), byteShare: z.number() })),
  unmatched: z.object({ events: z.number(), sampleBytes: z.number() }),
  lowerBoundEvents: z.number(),
});
export const policyAnalysisSchema = z.object({
  sample: z.object({ events: z.number(), bytes: z.number(), seconds: z.number(), bytesPerDay: z.number().nullable() }),
  current: simulation,
  byLevel: z.object({ Metadata: z.number(), Request: z.number(), RequestResponse: z.number() }),
  risks: z.array(z.object({ id: z.string(), severity: z.enum(['critical', 'warning', 'info']), title: z.string(), detail: z.string(), rule: z.number().nullable(), sample: z.object({ events: z.number(), bytes: z.number() }).nullable() })),
  suggested: simulation.extend({ yaml: z.string(), savingBytes: z.number(), savingBytesPerDay: z.number().nullable(), savingRatio: z.number() }),
  diff: z.array(z.object({ op: z.enum([' ', '+', '-']), text: z.string() })),
  notes: z.array(z.string()),
  sampleSource: z.object({ id: z.number(), name: z.string(), kind: z.string() }),
});
export type PolicyAnalysisData = z.infer<typeof policyAnalysisSchema>;

export const auditKeys = {
  summary: (id: string, q: { from?: string; to?: string; by: string }) => [...queryKeys.cluster(id), 'audit', q] as const,
  touches: (id: string, q: Record<string, string>) => [...queryKeys.cluster(id), 'audit-touches', q] as const,
};

const base = (clusterId: string) => `/api/clusters/${encodeURIComponent(clusterId)}/audit`;

/** `from`/`to`: time expressions as in the URL (`now-1h`, epoch ms); `refreshMs`: the picker's auto-refresh. */
export function useAuditSummary(clusterId: string, q: { from?: string; to?: string; by: 'events' | 'bytes' }, initial?: AuditSummaryData, refreshMs = 0) {
  const search = new URLSearchParams({ by: q.by, top: '20' });
  if (q.from) search.set('from', q.from);
  if (q.to) search.set('to', q.to);
  return useQuery({
    queryKey: auditKeys.summary(clusterId, { from: q.from, to: q.to, by: q.by }),
    queryFn: ({ signal }) => apiGet(`${base(clusterId)}?${search}`, auditSummarySchema, signal),
    initialData: initial,
    placeholderData: (prev) => prev,
    // Poll while something is being ingested or followed, or at the picked refresh.
    refetchInterval: (query) => (query.state.data?.sources.some((s) => s.status === 'ingesting' || s.status === 'following') ? 3000 : refreshMs || false),
  });
}

export function useAuditTouches(clusterId: string, q: { resource: string; name: string; namespace?: string } | null) {
  const params: Record<string, string> = q ? { resource: q.resource, name: q.name, ...(q.namespace ? { namespace: q.namespace } : {}) } : {};
  return useQuery({
    queryKey: auditKeys.touches(clusterId, params),
    queryFn: ({ signal }) => apiGet(`${base(clusterId)}/touches?${new URLSearchParams(params)}`, auditTouchesSchema, signal),
    enabled: q !== null,
  });
}

export function usePolicyAnalysis(clusterId: string) {
  return useMutation({
    mutationFn: async (policy: string): Promise<PolicyAnalysisData> => {
      const res = await fetch(`${base(clusterId)}/policy`, { method: 'POST', body: policy, headers: { 'content-type': 'text/yaml' } });
      const body: unknown = await res.json().catch(() => null);
      if (!res.ok) throw new ApiError('http', body && typeof body === 'object' && 'error' in body ? String(body.error) : `${res.status}`, res.status);
      const p = policyAnalysisSchema.safeParse(body);
      if (!p.success) throw new ApiError('invalid', `unexpected policy analysis: ${p.error.issues[0]?.message ?? ''}`);
      return p.data;
    },
  });
}

/** Uploads with XMLHttpRequest, the only browser API that reports upload progress. */
export function useAuditUpload(clusterId: string, onProgress: (sent: number, total: number) => void) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (file: File) => new Promise<AuditSource>((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', `${base(clusterId)}/upload?name=${encodeURIComponent(file.name)}`);
      xhr.upload.onprogress = (e) => onProgress(e.loaded, e.total || file.size);
      xhr.onerror = () => reject(new ApiError('network', 'upload failed: no answer'));
      xhr.onload = () => {
        let body: unknown = null;
        try { body = JSON.parse(xhr.responseText); } catch { /* not JSON */ }
        if (xhr.status >= 400) { reject(new ApiError('http', body && typeof body === 'object' && 'error' in body ? String(body.error) : `HTTP ${xhr.status}`, xhr.status)); return; }
        const p = auditSourceSchema.safeParse(body);
        if (!p.success) { reject(new ApiError('invalid', 'unexpected answer to the upload')); return; }
        resolve(p.data);
      };
      xhr.send(file);
    }),
    onSuccess: () => { void qc.invalidateQueries({ queryKey: [...queryKeys.cluster(clusterId), 'audit'] }); },
  });
}
