import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { apiGet } from './api';
import { queryKeys } from './keys';
import { apiPost } from './post';

/** Mirrors server/views/runbooks.ts (RunView) and server/store/runbooks.ts (RunRow). */
const stepStatus = z.enum(['done', 'skipped', 'failed', 'pending']);
export const runRowSchema = z.object({
  id: z.number(), cluster: z.string(), runbook: z.string(), incidentId: z.string().nullable(), finding: z.string().nullable(),
  startedAt: z.number(), startedBy: z.string(), closedAt: z.number().nullable(), inputs: z.record(z.string(), z.string()),
});
const checkResult = z.object({ status: z.enum(['pass', 'fail', 'unknown']), evidence: z.array(z.string()), at: z.number() });
export const runStepSchema = z.object({
  id: z.string(), kind: z.enum(['check', 'command', 'capture', 'decide', 'note']), title: z.string(), detail: z.string().optional(),
  status: stepStatus, by: z.string().optional(), t: z.number().optional(), note: z.string().optional(),
  check: checkResult.optional(),
  command: z.object({ text: z.string(), missing: z.array(z.string()), where: z.string(), mutating: z.boolean() }).optional(),
  capture: z.object({ kind: z.enum(['goroutine', 'heap', 'census']), component: z.string().optional(), captureId: z.number().optional() }).optional(),
  options: z.array(z.object({ label: z.string(), goto: z.string() })).optional(),
  decision: z.string().optional(),
  tone: z.enum(['info', 'warning', 'critical']).optional(),
});
export const runViewSchema = z.object({
  run: runRowSchema,
  runbook: z.object({
    id: z.string(), title: z.string(), summary: z.string(),
    inputs: z.array(z.object({ name: z.string(), label: z.string(), placeholder: z.string(), default: z.string().optional() })),
    references: z.array(z.object({ title: z.string(), url: z.string() })),
  }),
  values: z.array(z.object({ name: z.string(), value: z.string(), source: z.string() })),
  steps: z.array(runStepSchema),
  history: z.array(z.object({ id: z.number(), step: z.string(), status: stepStatus, by: z.string(), t: z.number(), note: z.string(), detail: z.record(z.string(), z.unknown()) })),
  canCapture: z.boolean(),
  now: z.number(),
});
export const runbooksIndexSchema = z.object({
  runbooks: z.array(z.object({ id: z.string(), title: z.string(), summary: z.string(), detectors: z.array(z.string()), steps: z.number() })),
  runs: z.array(runRowSchema),
});

export type RunView = z.infer<typeof runViewSchema>;
export type RunRow = z.infer<typeof runRowSchema>;
export type RunStep = z.infer<typeof runStepSchema>;
export type RunbooksIndex = z.infer<typeof runbooksIndexSchema>;
export type StepStatus = z.infer<typeof stepStatus>;
export type RunAction =
  | { action: 'step'; step: string; status: StepStatus; by: string; note?: string; goto?: string }
  | { action: 'inputs'; inputs: Record<string, string>; by: string }
  | { action: 'capture'; step: string; by: string }
  | { action: 'close' | 'reopen'; by: string };

/** A step action as the step card sends it (the wizard adds who). */
export type StepAct = { action: 'step'; step: string; status: StepStatus; note?: string; goto?: string } | { action: 'capture'; step: string };

export const runbookKeys = {
  index: (id: string) => [...queryKeys.cluster(id), 'runbooks'] as const,
  run: (id: string, run: number) => [...queryKeys.cluster(id), 'runbooks', 'run', run] as const,
};

const base = (clusterId: string) => `/api/clusters/${encodeURIComponent(clusterId)}/runbooks`;

export function useRunbooksIndex(clusterId: string, initial?: RunbooksIndex) {
  return useQuery({ queryKey: runbookKeys.index(clusterId), queryFn: ({ signal }) => apiGet(base(clusterId), runbooksIndexSchema, signal), initialData: initial, refetchInterval: 30_000 });
}

/** A run, its checks re-evaluated by the server on every poll (the recording moves every scrape). */
export function useRun(clusterId: string, run: number, initial?: RunView) {
  return useQuery({ queryKey: runbookKeys.run(clusterId, run), queryFn: ({ signal }) => apiGet(`${base(clusterId)}/${run}`, runViewSchema, signal), initialData: initial, refetchInterval: 10_000 });
}

export function useStartRun(clusterId: string) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: { runbook: string; finding?: string; by: string }) => apiPost(base(clusterId), v, runRowSchema),
    onSuccess: () => qc.invalidateQueries({ queryKey: runbookKeys.index(clusterId) }),
  });
}

export function useRunAction(clusterId: string, run: number) {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (a: RunAction) => apiPost(`${base(clusterId)}/${run}`, a, runViewSchema),
    onSuccess: (view) => { qc.setQueryData(runbookKeys.run(clusterId, run), view); void qc.invalidateQueries({ queryKey: runbookKeys.index(clusterId) }); },
  });
}
