import 'server-only';
import { AUDIT_DISK_SNAPSHOT, type AuditDiskInput } from '@/lib/audit/disk';
import { evictionPlan } from '@/lib/detectors/nodes';
import type { NodeInput } from '@/lib/detectors/types';
import { evaluateCheck } from '@/lib/runbooks/checks';
import { RUNBOOKS, runbookById } from '@/lib/runbooks/index';
import { renderCommand, withDerived } from '@/lib/runbooks/template';
import type { CaptureKind, CheckResult, Runbook, RunbookStep, RunbookValues, ValueName } from '@/lib/runbooks/types';
import { latestObjectCounts, resourceGrowth } from '@/lib/timeline/special';
import type { SeriesLoader } from '@/lib/timeline/types';
import { HttpError } from '../api/http-error';
import { censusNow } from '../capture/census-now';
import { captureNow } from '../capture/pprof-capture';
import type { Census } from '../cluster/types';
import { RunbookStore, type RunRow, type StepLogRow, type StepStatus } from '../store/runbooks';
import type { ClusterEntry, Runtime } from '../runtime';
import { currentFindings } from './findings';
import { incidents } from '../incidents/service';
import { clusterNow, storeLoader } from './timeline';

const KUBEADM_ETCD_CERTS = '--cacert=/etc/kubernetes/pki/etcd/ca.crt --cert=/etc/kubernetes/pki/etcd/healthcheck-client.crt --key=/etc/kubernetes/pki/etcd/healthcheck-client.key';

export interface ValueRow { name: ValueName; value: string; source: string }

function latest(load: SeriesLoader, name: string, at: number): number | null {
  const pts = load(name)[0]?.points.filter((p) => p.t <= at) ?? [];
  return pts[pts.length - 1]?.v ?? null;
}

/** Values the recording and the configuration give, each with where it came from. */
export function recordedValues(rt: Runtime, entry: ClusterEntry, at: number, load: SeriesLoader): ValueRow[] {
  const rows: ValueRow[] = [];
  const add = (name: ValueName, value: string | null | undefined, source: string) => { if (value) rows.push({ name, value, source }); };
  const d = entry.source?.describe();
  add('context', d?.context, 'kubeconfig');
  add('apiserver', d?.server, 'kubeconfig');
  const etcd = d?.context ? rt.config.clusterOverrides.get(d.context)?.etcd : undefined;
  if (etcd) {
    add('etcdEndpoint', etcd.url, 'KF_CONFIG etcd.url');
    add('etcdCerts', [etcd.caFile && `--cacert=${etcd.caFile}`, etcd.certFile && `--cert=${etcd.certFile}`, etcd.keyFile && `--key=${etcd.keyFile}`].filter(Boolean).join(' '), 'KF_CONFIG etcd certificates');
  } else {
    add('etcdEndpoint', 'https://127.0.0.1:2379', 'assumed: run on the etcd host (no etcd configured)');
    add('etcdCerts', KUBEADM_ETCD_CERTS, 'assumed: kubeadm paths');
  }
  const rev = latest(load, 'etcd_debugging_mvcc_current_revision', at);
  add('revision', rev === null ? null : String(Math.round(rev)), 'etcd_debugging_mvcc_current_revision, last scrape');
  // The top consumer: the fastest grower of the last 30 min, else the largest resource.
  const grower = resourceGrowth(load, at, 30 * 60_000).find((g) => (g.perMinute ?? 0) >= 1);
  const top = grower?.resource ?? latestObjectCounts(load, at)[0]?.resource;
  if (top) {
    const census = rt.store.latestSnapshot<Census>(entry.id, 'census')?.body;
    const e = census?.entries.find((x) => (x.group ? `${x.resource}.${x.group}` : x.resource) === top);
    add('resourceName', top, grower ? 'fastest-growing resource (census)' : 'largest resource');
    add('resource', e?.resource ?? top.split('.')[0], 'census');
    if (e) {
      rows.push({ name: 'group', value: e.group, source: 'census' });
      add('version', e.version, 'census (served version)');
      add('namespaced', String(e.namespaced), 'census');
    }
  }
  const audit = d?.context ? rt.config.clusterOverrides.get(d.context)?.audit : undefined;
  add('auditLogPath', audit?.path, 'KF_CONFIG audit.path');
  add('etcdDataDir', audit?.etcdDataDir, 'KF_CONFIG audit.etcdDataDir');
  const nodes = rt.store.latestSnapshot<NodeInput[]>(entry.id, 'nodes');
  if (nodes) {
    const down = evictionPlan(nodes.body, rt.store.latestSnapshot<Array<{ name: string; renewTime?: string }>>(entry.id, 'leases')?.body ?? [], undefined, nodes.t).views.filter((v) => v.down);
    add('nodes', down.map((v) => v.name).join(' '), 'nodes not Ready or silent');
  }
  return rows;
}

export interface RunStepView {
  id: string;
  kind: RunbookStep['kind'];
  title: string;
  detail?: string;
  status: StepStatus;
  by?: string;
  t?: number;
  note?: string;
  check?: CheckResult;
  command?: { text: string; missing: ValueName[]; where: string; mutating: boolean };
  capture?: { kind: CaptureKind; component?: string; captureId?: number };
  options?: Array<{ label: string; goto: string }>;
  decision?: string;
  tone?: 'info' | 'warning' | 'critical';
}

export interface RunView {
  run: RunRow;
  runbook: Pick<Runbook, 'id' | 'title' | 'summary' | 'inputs' | 'references'>;
  values: ValueRow[];
  steps: RunStepView[];
  history: StepLogRow[];
  canCapture: boolean;
  now: number;
}

const store = (rt: Runtime) => new RunbookStore(rt.store.db);

function runOrThrow(rt: Runtime, entry: ClusterEntry, id: number): { run: RunRow; book: Runbook } {
  const run = store(rt).get(entry.id, id);
  if (!run) throw new HttpError(404, `no runbook run ${id} for ${entry.name}`);
  const book = runbookById(run.runbook);
  if (!book) throw new HttpError(404, `unknown runbook ${run.runbook}`);
  return { run, book };
}

function capturesSince(rt: Runtime, entry: ClusterEntry, from: number): Array<{ kind: CaptureKind; t: number; id?: number }> {
  const out: Array<{ kind: CaptureKind; t: number; id?: number }> = [];
  for (const a of rt.store.artifacts(entry.id)) {
    if (a.t < from) continue;
    const kind = a.kind.startsWith('goroutine') ? 'goroutine' : a.kind === 'heap' ? 'heap' : null;
    if (kind) out.push({ kind, t: a.t, id: a.id });
  }
  for (const s of rt.store.snapshots<Census>(entry.id, 'census', from, Number.MAX_SAFE_INTEGER)) out.push({ kind: 'census', t: s.t });
  return out.sort((a, b) => a.t - b.t);
}

export function runView(rt: Runtime, entry: ClusterEntry, id: number): RunView {
  const { run, book } = runOrThrow(rt, entry, id);
  const at = clusterNow(entry);
  const load = storeLoader(rt.store, entry.id, Math.min(run.startedAt, at - 60 * 60_000) - 60_000, at, 2 * rt.config.intervalMs + 60_000);
  const recorded = recordedValues(rt, entry, at, load);
  const rows: ValueRow[] = [...recorded];
  for (const i of book.inputs) {
    // Typed in this run > recorded or configured > the runbook's default.
    const typed = run.inputs[i.name];
    const k = rows.findIndex((r) => r.name === i.name);
    if (typed) { const row = { name: i.name, value: typed, source: 'typed in this run' }; if (k >= 0) rows[k] = row; else rows.push(row); }
    else if (k < 0 && i.default) rows.push({ name: i.name, value: i.default, source: 'runbook default' });
  }
  const values: RunbookValues = withDerived(Object.fromEntries(rows.map((r) => [r.name, r.value])));
  if (values.resourcePath && !rows.some((r) => r.name === 'resourcePath')) rows.push({ name: 'resourcePath', value: values.resourcePath, source: 'from resource, version and namespace' });
  const health = rt.store.latestHealth(entry.id, 'readyz');
  const history = store(rt).history(run.id);
  const lastOf = new Map<string, StepLogRow>();
  for (const h of history) lastOf.set(h.step, h);
  const ctx = {
    at, load, findings: currentFindings(rt, entry), runStartedAt: run.startedAt,
    readyz: health ? { t: health.t, ok: health.ok, checks: health.checks } : null,
    captures: capturesSince(rt, entry, 0),
    auditDisk: rt.store.latestSnapshot<AuditDiskInput>(entry.id, AUDIT_DISK_SNAPSHOT),
  };
  const steps = book.steps.map((s): RunStepView => {
    const h = lastOf.get(s.id);
    const base: RunStepView = {
      id: s.id, kind: s.kind, title: renderCommand(s.title, values).text.replace(/<(\w+)>/g, '$1'), detail: s.detail, status: h?.status ?? 'pending',
      ...(h ? { by: h.by, t: h.t, note: h.note } : {}),
    };
    switch (s.kind) {
      case 'check': return { ...base, check: evaluateCheck(s.check, ctx) };
      case 'command': return { ...base, command: { ...renderCommand(s.command, values), where: s.where, mutating: s.mutating ?? false } };
      case 'capture': return { ...base, capture: { kind: s.capture, component: s.component, captureId: typeof h?.detail.captureId === 'number' ? h.detail.captureId : undefined } };
      case 'decide': return { ...base, options: s.options, decision: typeof h?.detail.goto === 'string' ? h.detail.goto : undefined };
      case 'note': return { ...base, tone: s.tone };
    }
  });
  return {
    run, runbook: { id: book.id, title: book.title, summary: book.summary, inputs: book.inputs, references: book.references },
    values: rows, steps, history, canCapture: entry.kind === 'live' && !!entry.source, now: at,
  };
}

export function runbooksIndex(rt: Runtime, entry: ClusterEntry) {
  return {
    runbooks: RUNBOOKS.map((r) => ({ id: r.id, title: r.title, summary: r.summary, detectors: r.detectors, steps: r.steps.length })),
    runs: store(rt).list(entry.id),
  };
}

export function startRun(rt: Runtime, entry: ClusterEntry, b: { runbook: string; finding?: string; by: string }): RunRow {
  const book = runbookById(b.runbook);
  if (!book) throw new HttpError(404, `unknown runbook ${b.runbook}`);
  const id = store(rt).create({ cluster: entry.id, runbook: book.id, finding: b.finding, by: b.by, t: Date.now(), inputs: {} });
  return store(rt).get(entry.id, id)!;
}

export type RunAction =
  | { action: 'step'; step: string; status: StepStatus; by: string; note?: string; goto?: string }
  | { action: 'inputs'; inputs: Record<string, string>; by: string }
  | { action: 'capture'; step: string; by: string }
  | { action: 'close' | 'reopen'; by: string };

export async function runAction(rt: Runtime, entry: ClusterEntry, id: number, a: RunAction): Promise<RunView> {
  const { run, book } = runOrThrow(rt, entry, id);
  const s = store(rt);
  const step = 'step' in a ? book.steps.find((x) => x.id === a.step) : undefined;
  if ('step' in a && !step) throw new HttpError(400, `runbook ${book.id} has no step ${a.step}`);
  switch (a.action) {
    case 'step': {
      if (a.goto !== undefined && (step?.kind !== 'decide' || !step.options.some((o) => o.goto === a.goto))) throw new HttpError(400, `${a.goto} is not an option of ${a.step}`);
      const t = Date.now();
      s.log(run.id, { step: a.step, status: a.status, by: a.by, t, note: a.note, detail: a.goto ? { goto: a.goto } : {} });
      // A run linked to an incident: every open screen of the war room sees the step.
      if (run.incidentId) incidents(rt).stepLogged(run.incidentId, { runId: run.id, runbook: run.runbook, cluster: entry.id, step: a.step, status: a.status, by: a.by, t, note: a.note ?? '' });
      break;
    }
    case 'inputs': {
      const allowed = new Set(book.inputs.map((i) => i.name));
      const bad = Object.keys(a.inputs).filter((k) => !allowed.has(k as ValueName));
      if (bad.length) throw new HttpError(400, `not an input of ${book.id}: ${bad.join(', ')}`);
      s.setInputs(entry.id, run.id, { ...run.inputs, ...a.inputs });
      break;
    }
    case 'capture': {
      if (step?.kind !== 'capture') throw new HttpError(400, `${a.step} is not a capture step`);
      if (step.capture === 'census') {
        const t = await censusNow(rt.store).take(entry);
        const now = Date.now();
        // A census taken moments before (the recorder's, another click's) is used, and said so.
        const note = now - t > 1000 ? `census of ${Math.round((now - t) / 1000)} s ago used` : 'census taken';
        s.log(run.id, { step: step.id, status: 'done', by: a.by, t: now, note, detail: { census: t } });
        if (run.incidentId) incidents(rt).stepLogged(run.incidentId, { runId: run.id, runbook: run.runbook, cluster: entry.id, step: step.id, status: 'done', by: a.by, t: now, note });
      } else {
        const c = await captureNow(rt, entry, step.capture, step.component ?? 'kube-apiserver', a.by || undefined);
        const t = Date.now();
        const note = `capture #${c.id}${c.total ? `: ${c.total} goroutines` : ''}`;
        s.log(run.id, { step: step.id, status: 'done', by: a.by, t, note, detail: { captureId: c.id } });
        if (run.incidentId) {
          const inc = incidents(rt);
          inc.linkCapture(run.incidentId, { cluster: entry.id, artifactId: c.id, kind: step.capture, component: step.component ?? 'kube-apiserver', t: c.t }, t);
          inc.stepLogged(run.incidentId, { runId: run.id, runbook: run.runbook, cluster: entry.id, step: step.id, status: 'done', by: a.by, t, note });
        }
      }
      break;
    }
    case 'close': s.close(entry.id, run.id, Date.now()); break;
    case 'reopen': s.close(entry.id, run.id, null); break;
  }
  return runView(rt, entry, id);
}
