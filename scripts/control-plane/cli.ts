// `npm run cluster:up` / `npm run cluster:down`: a real control plane for humans.
//   cluster:up [--quota-bytes N] [--event-ttl 2m] [--scheduler] [--no-controller-manager]
// State (certs, logs, pids, kubeconfigs) lives in $KF_CLUSTER_DIR (default ~/.cache/kube-forensics/cluster).
import { parseArgs } from 'node:util';
import fs from 'node:fs';
import { defaultStateDir, startControlPlane, stopFromPidFiles } from './cluster';

const [cmd, ...rest] = process.argv.slice(2);
const dir = defaultStateDir();

if (cmd === 'up') {
  const { values } = parseArgs({
    args: rest,
    options: {
      'quota-bytes': { type: 'string' }, 'event-ttl': { type: 'string' },
      scheduler: { type: 'boolean', default: false }, 'no-controller-manager': { type: 'boolean', default: false },
    },
  });
  const stopped = await stopFromPidFiles(dir);
  if (stopped.length) console.log(`stopped a previous control plane: ${stopped.join(', ')}`);
  const cp = await startControlPlane({
    dir,
    quotaBackendBytes: values['quota-bytes'] ? Number(values['quota-bytes']) : undefined,
    eventTtl: values['event-ttl'],
    scheduler: values.scheduler,
    controllerManager: !values['no-controller-manager'],
  });
  console.log(`control plane up (kube-apiserver v1.20.2, etcd ${fs.existsSync('/usr/bin/etcd') ? '3.4' : '?'})
  apiserver:        ${cp.apiserverUrl}
  etcd:             ${cp.etcdUrl} (metrics ${cp.etcdMetricsUrl})
  admin kubeconfig: ${cp.adminKubeconfig}
  read-only:        ${cp.viewerKubeconfig}
  audit log:        ${cp.auditLogPath}
  logs and pids:    ${dir}/logs, ${dir}/pids
try: KUBECONFIG=${cp.viewerKubeconfig} npm run dev     stop: npm run cluster:down`);
} else if (cmd === 'down') {
  const stopped = await stopFromPidFiles(dir);
  console.log(stopped.length ? `stopped ${stopped.join(', ')}` : `no control plane recorded in ${dir}`);
} else {
  console.error('usage: cluster:up | cluster:down');
  process.exitCode = 2;
}
