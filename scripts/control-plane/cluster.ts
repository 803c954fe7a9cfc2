// Starts a real control plane on loopback: etcd 3.4 (Debian) with TLS, and kube-apiserver,
// kube-controller-manager and kube-scheduler v1.20.2 built from Debian's source package.
// Used by the integration tests (global setup) and by `npm run cluster:up` for humans.
//
// Every process is started directly (no shell), in its own session, and its pid is written to
// `<dir>/pids/<name>.pid`; teardown signals those pids only, never a process name.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ensureCerts, kubeconfigYaml, type CertSet } from './certs';

export const K8S_VERSION = '1.20.2';
/** `etcd` is the first (or only) member; `etcd-2` and `etcd-3` exist when `etcdMembers` is 3. */
export type Component = 'etcd' | 'etcd-2' | 'etcd-3' | 'kube-apiserver' | 'kube-controller-manager' | 'kube-scheduler';
const ETCD_PEERS = ['etcd-2', 'etcd-3'] as const;

export interface ControlPlaneOptions {
  /** State directory: certs, data, logs, pids, kubeconfigs. */
  dir: string;
  /** etcd `--quota-backend-bytes`; etcd's default (2 GiB) when unset. */
  quotaBackendBytes?: number;
  /** Audit policy YAML; a Metadata-level catch-all when unset. */
  auditPolicy?: string;
  /** Where the apiserver writes its audit log (default `<dir>/audit/audit.log`). */
  auditLogPath?: string;
  /** etcd's data directory (default `<dir>/etcd-data`); a loop mount for the disk-full scenario. */
  etcdDataDir?: string;
  /** kube-apiserver `--event-ttl` (default 1h, as upstream). */
  eventTtl?: string;
  /** Extra kube-apiserver flags. */
  apiserverFlags?: string[];
  /** Start kube-controller-manager (default true) with these extra flags. */
  controllerManager?: boolean;
  controllerManagerFlags?: string[];
  /** Start kube-scheduler (default false: tests that want Pending pods want no scheduler). */
  scheduler?: boolean;
  /**
   * etcd members: 1 (default) or 3, all on loopback. With 3, `etcdUrl`/`etcdMetricsUrl` stay the first
   * member's (the one a recorder scrapes) and the apiserver is given all three.
   */
  etcdMembers?: 1 | 3;
  /** Called with etcd's pid as soon as it runs: the hook to put it into a cgroup-v1 blkio group. */
  onEtcdStarted?: (pid: number) => void | Promise<void>;
}

/** What a control plane is, as plain data (what a test process hands to others). */
export type ControlPlaneInfo = Omit<ControlPlane, 'stop' | 'stopComponent' | 'startComponent' | 'signal' | 'etcdctl'>;

export interface ControlPlane {
  dir: string;
  certs: CertSet;
  apiserverUrl: string;
  etcdUrl: string;
  etcdMetricsUrl: string;
  /** Every etcd member, the first being `etcd` (its `name` is etcd's `--name`). */
  etcdMemberList: Array<{ component: Component; name: string; clientUrl: string; metricsUrl: string; peerUrl: string }>;
  /** Admin (system:masters) kubeconfig, for tests that set up scenarios. */
  adminKubeconfig: string;
  /** Read-only kubeconfig for the dashboard's identity (CN=kube-forensics). */
  viewerKubeconfig: string;
  auditLogPath: string;
  binDir: string;
  pids: Partial<Record<Component, number>>;
  stop(): Promise<void>;
  stopComponent(c: Component, signal?: NodeJS.Signals): Promise<void>;
  startComponent(c: Component): Promise<void>;
  signal(c: Component, signal: NodeJS.Signals): void;
  etcdctl(args: string[]): string;
}

const here = path.dirname(new URL(import.meta.url).pathname);

/** Builds (once, cached by version) and returns the directory of the Kubernetes binaries. */
export function ensureBinaries(): string {
  const out = execFileSync('bash', [path.join(here, 'build-k8s.sh')], { stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 20 });
  const lines = out.toString().trim().split('\n');
  return lines[lines.length - 1]!;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

const DEFAULT_AUDIT_POLICY = `apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: ["RequestReceived"]
rules:
- level: Metadata
`;

function tlsGet(url: string, certs: CertSet, client: 'admin' | 'etcd', timeoutMs = 3000, selfSigned = false): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = https.get(url, {
      // kube-controller-manager and kube-scheduler serve on self-signed certs they generate themselves.
      ...(selfSigned ? { rejectUnauthorized: false } : { ca: fs.readFileSync(certs.caCert) }),
      cert: fs.readFileSync(client === 'admin' ? certs.adminCert : certs.etcdClientCert),
      key: fs.readFileSync(client === 'admin' ? certs.adminKey : certs.etcdClientKey),
      timeout: timeoutMs,
    }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => { body += c; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

async function waitFor(what: string, probe: () => Promise<boolean>, timeoutMs: number, logFile: string, pid?: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (pid !== undefined && !alive(pid)) break;
    try { if (await probe()) return; } catch { /* not yet */ }
    await new Promise((r) => setTimeout(r, 250));
  }
  const tail = fs.existsSync(logFile) ? fs.readFileSync(logFile, 'utf8').split('\n').slice(-30).join('\n') : '(no log)';
  throw new Error(`${what} did not become ready within ${timeoutMs} ms. Last lines of ${logFile}:\n${tail}`);
}

export function alive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch { return false; }
}

async function killPid(pid: number, signal: NodeJS.Signals = 'SIGTERM', graceMs = 10_000): Promise<void> {
  if (!alive(pid)) return;
  try { process.kill(pid, 'SIGCONT'); } catch { /* a stopped process ignores SIGTERM until continued */ }
  try { process.kill(pid, signal); } catch { return; }
  const deadline = Date.now() + graceMs;
  while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
  if (alive(pid)) { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } }
  while (alive(pid)) await new Promise((r) => setTimeout(r, 50));
}

export async function startControlPlane(opts: ControlPlaneOptions): Promise<ControlPlane> {
  const binDir = ensureBinaries();
  const dir = path.resolve(opts.dir);
  for (const sub of ['pids', 'logs', 'audit']) fs.mkdirSync(path.join(dir, sub), { recursive: true, mode: 0o700 });
  // The `kubernetes` Endpoints may not hold a loopback address (API validation), so the apiserver
  // advertises a TEST-NET-1 address (RFC 5737) while it listens on 127.0.0.1 only. Nothing connects to it.
  const advertise = '192.0.2.10';
  const certs = ensureCerts(path.join(dir, 'pki'), advertise);
  const members = opts.etcdMembers ?? 1;
  const [apiPort, kcmPort, schedPort, ...etcdPorts] = await Promise.all(
    Array.from({ length: 3 + 3 * members }, () => freePort()),
  );
  const etcdMemberList = Array.from({ length: members }, (_, i) => ({
    component: (i === 0 ? 'etcd' : ETCD_PEERS[i - 1]!) as Component, name: `kf${i}`,
    clientUrl: `https://127.0.0.1:${etcdPorts[3 * i]}`, peerUrl: `http://127.0.0.1:${etcdPorts[3 * i + 1]}`,
    metricsUrl: `http://127.0.0.1:${etcdPorts[3 * i + 2]}`,
  }));
  const etcdUrl = etcdMemberList[0]!.clientUrl;
  const etcdMetricsUrl = etcdMemberList[0]!.metricsUrl;
  const apiserverUrl = `https://127.0.0.1:${apiPort}`;
  const etcdDataDir = opts.etcdDataDir ?? path.join(dir, 'etcd-data');
  const auditLogPath = opts.auditLogPath ?? path.join(dir, 'audit', 'audit.log');
  const policyFile = path.join(dir, 'audit-policy.yaml');
  fs.writeFileSync(policyFile, opts.auditPolicy ?? DEFAULT_AUDIT_POLICY);

  const write = (name: string, content: string) => { const f = path.join(dir, name); fs.writeFileSync(f, content, { mode: 0o600 }); return f; };
  const kc = (cert: string, key: string, user: string) =>
    kubeconfigYaml({ server: apiserverUrl, caCert: certs.caCert, cert, key, user, context: 'kf-test' });
  const adminKubeconfig = write('admin.kubeconfig', kc(certs.adminCert, certs.adminKey, 'admin'));
  const viewerKubeconfig = write('viewer.kubeconfig', kc(certs.viewerCert, certs.viewerKey, 'kube-forensics'));
  const kcmKubeconfig = write('kcm.kubeconfig', kc(certs.kcmCert, certs.kcmKey, 'kcm'));
  const schedKubeconfig = write('scheduler.kubeconfig', kc(certs.schedulerCert, certs.schedulerKey, 'scheduler'));

  const initialCluster = etcdMemberList.map((m) => `${m.name}=${m.peerUrl}`).join(',');
  const etcdArgs = (m: (typeof etcdMemberList)[number], i: number) => [
    `--name=${m.name}`, `--data-dir=${i === 0 ? etcdDataDir : path.join(dir, `etcd-data-${i + 1}`)}`,
    `--listen-client-urls=${m.clientUrl}`, `--advertise-client-urls=${m.clientUrl}`,
    `--listen-peer-urls=${m.peerUrl}`, `--initial-advertise-peer-urls=${m.peerUrl}`,
    `--initial-cluster=${initialCluster}`, '--initial-cluster-state=new', '--initial-cluster-token=kf-test',
    `--listen-metrics-urls=${m.metricsUrl}`,
    `--cert-file=${certs.etcdServerCert}`, `--key-file=${certs.etcdServerKey}`,
    `--trusted-ca-file=${certs.caCert}`, '--client-cert-auth=true',
    '--enable-pprof=true', '--logger=zap', '--log-outputs=stderr',
    ...(opts.quotaBackendBytes ? [`--quota-backend-bytes=${opts.quotaBackendBytes}`] : []),
  ];
  const args: Record<Component, string[]> = {
    etcd: etcdArgs(etcdMemberList[0]!, 0),
    'etcd-2': etcdMemberList[1] ? etcdArgs(etcdMemberList[1], 1) : [],
    'etcd-3': etcdMemberList[2] ? etcdArgs(etcdMemberList[2], 2) : [],
    'kube-apiserver': [
      `--etcd-servers=${etcdMemberList.map((m) => m.clientUrl).join(',')}`, `--etcd-cafile=${certs.caCert}`,
      `--etcd-certfile=${certs.etcdClientCert}`, `--etcd-keyfile=${certs.etcdClientKey}`,
      '--bind-address=127.0.0.1', `--advertise-address=${advertise}`, `--secure-port=${apiPort}`, '--insecure-port=0',
      `--tls-cert-file=${certs.apiserverCert}`, `--tls-private-key-file=${certs.apiserverKey}`,
      `--client-ca-file=${certs.caCert}`,
      `--service-account-key-file=${certs.saPub}`, `--service-account-signing-key-file=${certs.saKey}`,
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      '--service-cluster-ip-range=10.96.0.0/16', '--authorization-mode=Node,RBAC',
      `--audit-policy-file=${policyFile}`, `--audit-log-path=${auditLogPath}`,
      `--event-ttl=${opts.eventTtl ?? '1h'}`, `--cert-dir=${path.join(dir, 'apiserver-certs')}`,
      '--profiling=true', '--allow-privileged=true', '--v=1',
      ...(opts.apiserverFlags ?? []),
    ],
    'kube-controller-manager': [
      `--kubeconfig=${kcmKubeconfig}`, `--authentication-kubeconfig=${kcmKubeconfig}`, `--authorization-kubeconfig=${kcmKubeconfig}`,
      '--leader-elect=false', '--port=0', `--secure-port=${kcmPort}`, '--bind-address=127.0.0.1',
      `--service-account-private-key-file=${certs.saKey}`, `--root-ca-file=${certs.caCert}`,
      '--use-service-account-credentials=true', `--cert-dir=${path.join(dir, 'kcm-certs')}`, '--v=1',
      ...(opts.controllerManagerFlags ?? []),
    ],
    'kube-scheduler': [
      `--kubeconfig=${schedKubeconfig}`, `--authentication-kubeconfig=${schedKubeconfig}`, `--authorization-kubeconfig=${schedKubeconfig}`,
      '--leader-elect=false', '--port=0', `--secure-port=${schedPort}`, '--bind-address=127.0.0.1',
      `--cert-dir=${path.join(dir, 'scheduler-certs')}`, '--v=1',
    ],
  };
  const isEtcd = (c: Component) => c === 'etcd' || c === 'etcd-2' || c === 'etcd-3';
  const binary = (c: Component) => (isEtcd(c) ? '/usr/bin/etcd' : path.join(binDir, c));
  const pids: Partial<Record<Component, number>> = {};

  const launch = (c: Component): number => {
    const log = fs.openSync(path.join(dir, 'logs', `${c}.log`), 'a');
    const child = spawn(binary(c), args[c], { detached: true, stdio: ['ignore', log, log], env: { ...process.env, ETCD_UNSUPPORTED_ARCH: '' } });
    fs.closeSync(log);
    if (!child.pid) throw new Error(`could not start ${c}`);
    child.unref();
    fs.writeFileSync(path.join(dir, 'pids', `${c}.pid`), String(child.pid));
    pids[c] = child.pid;
    return child.pid;
  };

  const etcdHealthy = (c: Component) => async () => {
    const m = etcdMemberList.find((x) => x.component === c);
    return !!m && (await tlsGet(`${m.clientUrl}/health`, certs, 'etcd')).body.includes('"health":"true"');
  };
  const readyProbe: Record<Component, () => Promise<boolean>> = {
    etcd: etcdHealthy('etcd'), 'etcd-2': etcdHealthy('etcd-2'), 'etcd-3': etcdHealthy('etcd-3'),
    'kube-apiserver': async () => (await tlsGet(`${apiserverUrl}/readyz`, certs, 'admin')).status === 200,
    'kube-controller-manager': async () => (await tlsGet(`https://127.0.0.1:${kcmPort}/healthz`, certs, 'admin', 3000, true)).status === 200,
    'kube-scheduler': async () => (await tlsGet(`https://127.0.0.1:${schedPort}/healthz`, certs, 'admin', 3000, true)).status === 200,
  };

  const startComponent = async (c: Component) => {
    const pid = launch(c);
    if (c === 'etcd' && opts.onEtcdStarted) await opts.onEtcdStarted(pid);
    // A new multi-member cluster is healthy only once a quorum runs: start the peers before waiting.
    if (c === 'etcd' && members > 1) for (const m of etcdMemberList.slice(1)) if (!pids[m.component]) launch(m.component);
    await waitFor(c, readyProbe[c], c === 'kube-apiserver' ? 120_000 : 60_000, path.join(dir, 'logs', `${c}.log`), pid);
  };

  const stopComponent = async (c: Component, signal: NodeJS.Signals = 'SIGTERM') => {
    const pid = pids[c];
    if (pid) await killPid(pid, signal);
    delete pids[c];
    fs.rmSync(path.join(dir, 'pids', `${c}.pid`), { force: true });
  };

  const cp: ControlPlane = {
    dir, certs, apiserverUrl, etcdUrl, etcdMetricsUrl, etcdMemberList, adminKubeconfig, viewerKubeconfig, auditLogPath, binDir, pids,
    startComponent, stopComponent,
    signal: (c, sig) => { const pid = pids[c]; if (pid) process.kill(pid, sig); },
    stop: async () => {
      for (const c of ['kube-scheduler', 'kube-controller-manager', 'kube-apiserver', 'etcd', 'etcd-2', 'etcd-3'] as Component[]) await stopComponent(c);
    },
    etcdctl: (a) => execFileSync('etcdctl', [
      `--endpoints=${etcdUrl}`, `--cacert=${certs.caCert}`, `--cert=${certs.etcdClientCert}`, `--key=${certs.etcdClientKey}`, ...a,
    ], { env: { ...process.env, ETCDCTL_API: '3' }, encoding: 'utf8', timeout: 60_000 }),
  };
  fs.writeFileSync(path.join(dir, 'control-plane.json'), JSON.stringify({
    apiserverUrl, etcdUrl, etcdMetricsUrl, etcdMemberList, adminKubeconfig, viewerKubeconfig, auditLogPath, binDir, certs,
  }, null, 2));

  try {
    await startComponent('etcd');
    for (const m of etcdMemberList.slice(1)) await waitFor(m.component, readyProbe[m.component], 60_000, path.join(dir, 'logs', `${m.component}.log`), pids[m.component]);
    await startComponent('kube-apiserver');
    await applyViewerRbac(cp);
    if (opts.controllerManager !== false) await startComponent('kube-controller-manager');
    if (opts.scheduler) await startComponent('kube-scheduler');
  } catch (e) {
    await cp.stop();
    throw e;
  }
  return cp;
}

/** The dashboard's test identity may only get/list/watch, plus the non-resource URLs it reads. */
async function applyViewerRbac(cp: ControlPlane): Promise<void> {
  const manifest = {
    apiVersion: 'v1', kind: 'List', items: [
      {
        apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'kube-forensics-viewer' },
        rules: [
          { apiGroups: ['*'], resources: ['*'], verbs: ['get', 'list', 'watch'] },
          { nonResourceURLs: ['/metrics', '/version', '/readyz', '/readyz/*', '/livez', '/livez/*', '/healthz', '/debug/pprof', '/debug/pprof/*', '/api', '/api/*', '/apis', '/apis/*'], verbs: ['get'] },
        ],
      },
      {
        apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRoleBinding', metadata: { name: 'kube-forensics-viewer' },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'kube-forensics-viewer' },
        subjects: [{ apiGroup: 'rbac.authorization.k8s.io', kind: 'Group', name: 'kube-forensics:viewers' }],
      },
    ],
  };
  await kubectlApply(cp, manifest);
}

/** Minimal `kubectl apply` for test set-up, over the admin client cert (no kubectl binary needed). */
export async function kubectlApply(cp: ControlPlane, list: { items: Array<Record<string, unknown>> }): Promise<void> {
  for (const item of list.items) {
    const kind = String(item.kind);
    const apiVersion = String(item.apiVersion);
    const meta = item.metadata as { name: string; namespace?: string };
    const plural = `${kind.toLowerCase()}s`;
    const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    const ns = meta.namespace ? `/namespaces/${meta.namespace}` : '';
    const res = await adminRequest(cp, 'POST', `${base}${ns}/${plural}`, item);
    if (res.status !== 201 && res.status !== 409) throw new Error(`create ${kind}/${meta.name}: HTTP ${res.status} ${res.body.slice(0, 300)}`);
  }
}

/** A request as the admin (system:masters); test set-up only. The dashboard never uses these creds. */
export function adminRequest(cp: ControlPlane, method: string, urlPath: string, body?: unknown, timeoutMs = 30_000): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const req = https.request(`${cp.apiserverUrl}${urlPath}`, {
      method, timeout: timeoutMs,
      ca: fs.readFileSync(cp.certs.caCert), cert: fs.readFileSync(cp.certs.adminCert), key: fs.readFileSync(cp.certs.adminKey),
      headers: { 'content-type': 'application/json', 'user-agent': 'kf-test-setup', ...(data ? { 'content-length': data.length } : {}) },
    }, (res) => {
      let out = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => { out += c; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: out }));
    });
    req.on('timeout', () => req.destroy(new Error(`timeout ${method} ${urlPath}`)));
    req.on('error', reject);
    if (data) req.write(data);
    req.end();
  });
}

/** Stops a control plane from its pid files (for `cluster:down` from another process). */
export async function stopFromPidFiles(dir: string): Promise<string[]> {
  const stopped: string[] = [];
  const pidDir = path.join(dir, 'pids');
  if (!fs.existsSync(pidDir)) return stopped;
  const order = ['kube-scheduler', 'kube-controller-manager', 'kube-apiserver', 'etcd', 'etcd-2', 'etcd-3'];
  for (const c of order) {
    const f = path.join(pidDir, `${c}.pid`);
    if (!fs.existsSync(f)) continue;
    const pid = Number(fs.readFileSync(f, 'utf8').trim());
    if (Number.isInteger(pid) && pid > 1) { await killPid(pid); stopped.push(`${c} (pid ${pid})`); }
    fs.rmSync(f, { force: true });
  }
  return stopped;
}

export function defaultStateDir(): string {
  return process.env.KF_CLUSTER_DIR ?? path.join(os.homedir(), '.cache', 'kube-forensics', 'cluster');
}
