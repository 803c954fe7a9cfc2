import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { SharedControlPlane } from './env';

export async function waitFor<T>(what: string, fn: () => Promise<T | undefined | null | false> | T | undefined | null | false, timeoutMs = 60_000, everyMs = 250): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let lastErr: unknown;
  while (Date.now() < deadline) {
    try { const v = await fn(); if (v) return v as T; } catch (e) { lastErr = e; }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out waiting for ${what}${lastErr ? `: ${String(lastErr)}` : ''}`);
}

/**
 * Creates an object (a pod) and retries while the ServiceAccount admission plugin is not ready for
 * the namespace: just after the default ServiceAccount appears, its token Secret may not exist yet
 * (HTTP 500 ServerTimeout "no API token found for service account … retry after the token is
 * automatically created"), or the plugin's cache lags (403 "error looking up service account").
 * Any other answer than 201 fails at once, with the body.
 */
export async function createWhenAdmitted(what: string, post: () => Promise<{ status: number; text: string }>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await post();
    if (r.status === 201) return;
    const serviceAccountNotReady = (r.status === 500 || r.status === 403) && /service ?account/i.test(r.text);
    if (!serviceAccountNotReady || Date.now() > deadline) throw new Error(`${what}: HTTP ${r.status} ${r.text.slice(0, 400)}`);
    await new Promise((res) => setTimeout(res, 250));
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => { const a = s.address(); const p = typeof a === 'object' && a ? a.port : 0; s.close(() => resolve(p)); });
  });
}

export interface AdminOptions {
  /** A kept-alive agent with the admin's credentials (adminAgent): for tests that send many requests. */
  agent?: https.Agent;
  contentType?: string;
  userAgent?: string;
  timeoutMs?: number;
}

/** The admin's credentials on a kept-alive agent: a TLS handshake per request would measure the client. */
export function adminAgent(cp: SharedControlPlane, maxSockets: number): https.Agent {
  return new https.Agent({ keepAlive: true, maxSockets, ca: fs.readFileSync(cp.certs.caCert), cert: fs.readFileSync(cp.certs.adminCert), key: fs.readFileSync(cp.certs.adminKey) });
}

/** A request as the admin, for scenario set-up only (the dashboard never holds these credentials). */
export function admin(cp: SharedControlPlane, method: string, path: string, body?: unknown, o: AdminOptions = {}): Promise<{ status: number; json: any }> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const req = https.request(`${cp.apiserverUrl}${path}`, {
      method,
      ...(o.agent ? { agent: o.agent } : { ca: fs.readFileSync(cp.certs.caCert), cert: fs.readFileSync(cp.certs.adminCert), key: fs.readFileSync(cp.certs.adminKey) }),
      ...(o.timeoutMs ? { timeout: o.timeoutMs } : {}),
      headers: { 'content-type': o.contentType ?? 'application/json', 'user-agent': o.userAgent ?? 'kf-test-setup', ...(data ? { 'content-length': data.length } : {}) },
    }, (res) => {
      let out = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => { out += c; });
      res.on('end', () => { let json: unknown = out; try { json = JSON.parse(out); } catch { /* text */ } resolve({ status: res.statusCode ?? 0, json }); });
    });
    req.on('timeout', () => req.destroy(new Error(`${method} ${path}: no answer within ${o.timeoutMs} ms`)));
    req.on('error', reject);
    if (data) req.write(data);
    req.end();
  });
}

export interface AuditEntry { auditID: string; verb: string; requestURI: string; userAgent?: string; user?: { username?: string }; stage: string; stageTimestamp: string; requestReceivedTimestamp: string; responseStatus?: { code?: number } }

/** Audit events (one per request: ResponseComplete, or Panic) whose request was received in [from, to). */
export function auditRequests(file: string, from: number, to: number, filter: (e: AuditEntry) => boolean = () => true): AuditEntry[] {
  const seen = new Map<string, AuditEntry>();
  for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
    if (!line) continue;
    let e: AuditEntry;
    try { e = JSON.parse(line) as AuditEntry; } catch { continue; }
    const t = Date.parse(e.requestReceivedTimestamp);
    if (t < from || t >= to || !filter(e)) continue;
    if (e.stage === 'ResponseComplete' || e.stage === 'Panic' || !seen.has(e.auditID)) seen.set(e.auditID, e);
  }
  return [...seen.values()];
}

/** Starts the production Next.js server (built once by the global setup) with the given environment. */
/** Ends a detached process group: SIGTERM, then SIGKILL after `graceMs` (npx → next-server, serve → npx → …). */
export async function stopGroup(pid: number, graceMs: number): Promise<void> {
  try { process.kill(-pid, 'SIGTERM'); } catch { /* gone */ }
  await new Promise((r) => setTimeout(r, graceMs));
  try { process.kill(-pid, 'SIGKILL'); } catch { /* gone */ }
}

/** The production build, rebuilt when any source is newer than it (never a stale dashboard under test). */
export function ensureBuilt(): void {
  execFileSync(process.execPath, ['scripts/build-if-stale.mjs'], { stdio: 'inherit' });
}

export async function startDashboard(env: Record<string, string>, port?: number): Promise<{ url: string; proc: ChildProcess; stop: () => Promise<void>; output: () => string }> {
  ensureBuilt();
  port ??= await freePort();
  let out = '';
  const proc = spawn('npx', ['next', 'start', '-p', String(port), '-H', '127.0.0.1'], {
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', KF_QUIET: '0', ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true,
  });
  proc.stdout!.on('data', (c: Buffer) => { out += c.toString(); });
  proc.stderr!.on('data', (c: Buffer) => { out += c.toString(); });
  const url = `http://127.0.0.1:${port}`;
  await waitFor('dashboard to answer', async () => (await fetch(`${url}/api/healthz`)).ok, 90_000, 300);
  return {
    url, proc, output: () => out,
    stop: () => stopGroup(proc.pid!, 500),
  };
}

/**
 * `kube-forensics serve --bundle …` as a person runs it the morning after, the cluster gone: the CLI
 * (the prebuilt bundle on a fresh install) builds if needed and starts the dashboard on the bundles
 * alone, with no kubeconfig. Fails at once if serve exits; a failure carries what serve printed.
 */
export async function serveBundles(bundles: string[], dataDir: string): Promise<{ url: string; stop: () => Promise<void>; output: () => string }> {
  const root = path.resolve(import.meta.dirname, '../..');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: '1', KF_QUIET: '1' };
  for (const k of ['KF_CONFIG', 'KF_AUTH', 'KF_BUNDLES', 'KUBECONFIG']) delete env[k];
  const args = ['serve', ...bundles.flatMap((b) => ['--bundle', b]), '--port', String(port), '--host', '127.0.0.1', '--no-kubeconfig', '--data-dir', dataDir];
  const proc = spawn(process.execPath, [path.join(root, 'cli/bin.mjs'), ...args], { cwd: os.tmpdir(), env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let out = '';
  proc.stdout!.on('data', (c: Buffer) => { out += c.toString(); });
  proc.stderr!.on('data', (c: Buffer) => { out += c.toString(); });
  const stop = () => stopGroup(proc.pid!, 1000);
  const t0 = Date.now();
  const exited = new Promise<never>((_, reject) => proc.on('exit', (code, sig) => reject(new Error(`serve exited (code ${code}, signal ${sig})`))));
  exited.catch(() => { /* stopped by the test */ });
  try {
    // Up to 240 s: serve rebuilds the dashboard first when a source is newer than the build.
    await Promise.race([exited, waitFor('the dashboard to answer', async () => (await fetch(`${url}/api/healthz`).catch(() => null))?.ok, 240_000, 500)]);
  } catch (e) {
    await stop();
    throw new Error(`${(e as Error).message} after ${Math.round((Date.now() - t0) / 1000)} s\n--- serve output ---\n${out.slice(-8000)}`);
  }
  return { url, stop, output: () => out };
}

/**
 * Resident memory of the server started by `startDashboard`, from /proc: the largest among the
 * processes of its process group (npx → next-server). `VmHWM` is the peak over the process's whole
 * life; `VmRSS` is now.
 */
export function rssBytes(groupLeader: number, field: 'VmHWM' | 'VmRSS'): number {
  let peak = 0;
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) !== groupLeader) continue; // pgrp
      const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(fs.readFileSync(`/proc/${d}/status`, 'utf8'));
      if (m) peak = Math.max(peak, Number(m[1]) * 1024);
    } catch { /* exited */ }
  }
  return peak;
}

/** Peak resident memory over the server's whole life (VmHWM). */
export function peakRssBytes(groupLeader: number): number {
  return rssBytes(groupLeader, 'VmHWM');
}

/**
 * Resets the peak (VmHWM) of every process in the group to its current RSS (Linux: writing 5 to
 * /proc/PID/clear_refs), so a later `peakRssBytes` is the exact peak since this call, not a sample.
 * False when the kernel refused (then only sampling measures a phase).
 */
export function resetPeakRss(groupLeader: number): boolean {
  let ok = false;
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      if (Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]) !== groupLeader) continue;
      fs.writeFileSync(`/proc/${d}/clear_refs`, '5');
      ok = true;
    } catch { /* exited, or not allowed */ }
  }
  return ok;
}

/**
 * Samples the server's current RSS every `everyMs` until `stop()`, which returns the largest
 * sample: the peak over one phase of a test, where VmHWM would also hold everything before it.
 */
export function sampleRss(groupLeader: number, everyMs = 20): { stop: () => number } {
  let peak = rssBytes(groupLeader, 'VmRSS');
  const timer = setInterval(() => { peak = Math.max(peak, rssBytes(groupLeader, 'VmRSS')); }, everyMs);
  return { stop: () => { clearInterval(timer); return Math.max(peak, rssBytes(groupLeader, 'VmRSS')); } };
}
