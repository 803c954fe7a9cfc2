// An operator following a runbook through the dashboard's API, step by step: command steps are run
// exactly as the wizard templated them (bash, with the admin kubeconfig: the dashboard itself never
// runs anything), capture steps are taken through the run, notes are read, and each step is marked
// done with who did it. Used by browser specs that need a runbook completed on a real control plane.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { ControlPlane } from '../../scripts/control-plane/cluster';

export interface OperatorStep { id: string; kind: string; status: string; title: string; check?: { status: string; evidence: string[] }; command?: { text: string; missing: string[] } }
export interface OperatorView { run: { id: number; finding: string | null }; steps: OperatorStep[]; values: Array<{ name: string; value: string; source: string }> }

export class RunbookOperator {
  readonly log: string[] = [];
  constructor(private readonly dashUrl: string, private readonly cluster: string, private readonly cp: ControlPlane, readonly by: string) {}

  private url(p: string) { return `${this.dashUrl}/api/clusters/${this.cluster}${p}`; }

  async view(run: number): Promise<OperatorView> {
    const r = await fetch(this.url(`/runbooks/${run}`));
    if (!r.ok) throw new Error(`GET run ${run}: ${r.status} ${await r.text()}`);
    return (await r.json()) as OperatorView;
  }

  async act(run: number, body: Record<string, unknown>): Promise<OperatorView> {
    const r = await fetch(this.url(`/runbooks/${run}`), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ by: this.by, ...body }) });
    if (!r.ok) throw new Error(`POST run ${run} ${JSON.stringify(body)}: ${r.status} ${await r.text()}`);
    return (await r.json()) as OperatorView;
  }

  async start(runbook: string, finding?: string): Promise<number> {
    const r = await fetch(this.url('/runbooks'), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ runbook, finding, by: this.by }) });
    if (!r.ok) throw new Error(`start ${runbook}: ${r.status} ${await r.text()}`);
    return ((await r.json()) as { id: number }).id;
  }

  /** Runs a command as templated, as an operator with the admin kubeconfig would. */
  async run(text: string): Promise<string> {
    const { stdout } = await promisify(execFile)('bash', ['-euo', 'pipefail', '-c', text], { env: { ...process.env, KUBECONFIG: this.cp.adminKubeconfig }, encoding: 'utf8', timeout: 240_000 });
    return stdout;
  }

  /** Polls the run until `ok` holds for it (checks re-evaluate themselves against the recording). */
  async until(run: number, what: string, ok: (v: OperatorView) => boolean, timeoutMs = 90_000): Promise<OperatorView> {
    const deadline = Date.now() + timeoutMs;
    let v = await this.view(run);
    while (!ok(v)) {
      if (Date.now() > deadline) {
        throw new Error(`${what}: not within ${timeoutMs / 1000} s\n${v.steps.filter((s) => s.check).map((s) => `${s.id}: ${s.check!.status} ${s.check!.evidence.join(' | ')}`).join('\n')}`);
      }
      await new Promise((r) => setTimeout(r, 1000));
      v = await this.view(run);
    }
    return v;
  }

  /**
   * Walks the steps in order. `hooks[stepId]` runs before that step (stop a producer, type an input,
   * wait for a fresh value); decide steps are not expected (the caller picks a branch through hooks).
   */
  async complete(run: number, hooks: Record<string, (v: OperatorView) => Promise<void>> = {}): Promise<OperatorView> {
    let v = await this.view(run);
    for (const id of v.steps.map((s) => s.id)) {
      await hooks[id]?.(v);
      v = await this.view(run);
      const s = v.steps.find((x) => x.id === id)!;
      if (s.kind === 'check') continue;
      if (s.kind === 'command') {
        if (s.command!.missing.length) throw new Error(`step ${id}: values missing: ${s.command!.missing.join(', ')}`);
        this.log.push(`$ ${s.command!.text}\n${await this.run(s.command!.text)}`);
      }
      if (s.kind === 'capture') v = await this.act(run, { action: 'capture', step: id });
      else v = await this.act(run, { action: 'step', step: id, status: 'done' });
    }
    return v;
  }
}
