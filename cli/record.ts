// `kube-forensics record`: the flight recorder without the dashboard (a sidecar, a systemd unit,
// or the crash-safety test). Records every selected kubeconfig context into the data directory.
//   kube-forensics record [--kubeconfig F] [--context C]… [--data-dir D] [--interval 15s]
//                         [--etcd-url U --etcd-metrics-url U --etcd-ca F --etcd-cert F --etcd-key F] [--print-commits]
import { parseArgs } from 'node:util';
import { KubeConfig } from '@kubernetes/client-node';
import type { CommandIO } from './io';
import { parseDuration } from './duration';

export async function run(args: string[], io: CommandIO): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      kubeconfig: { type: 'string' }, context: { type: 'string', multiple: true }, 'data-dir': { type: 'string' },
      interval: { type: 'string', default: '15s' }, 'print-commits': { type: 'boolean', default: false },
      'etcd-url': { type: 'string' }, 'etcd-metrics-url': { type: 'string' }, 'etcd-ca': { type: 'string' }, 'etcd-cert': { type: 'string' }, 'etcd-key': { type: 'string' },
    },
  });
  const { Store } = await import('../server/store/store');
  const { LiveClusterSource } = await import('../server/cluster/live');
  const { ClusterRecorder } = await import('../server/recorder/cluster-recorder');
  const { EventRecorder } = await import('../server/recorder/event-recorder');
  const { createIngest, slug } = await import('../server/runtime');
  const { loadConfig } = await import('../server/config');
  const cfg = loadConfig({ ...process.env, ...(values.kubeconfig ? { KUBECONFIG: values.kubeconfig } : {}), ...(values['data-dir'] ? { KF_DATA_DIR: values['data-dir'] } : {}) });
  const kc = new KubeConfig();
  if (cfg.kubeconfigPaths.length === 0) { io.stderr('kube-forensics record: no kubeconfig found (KUBECONFIG, --kubeconfig or ~/.kube/config)\n'); return 2; }
  for (const p of cfg.kubeconfigPaths) { const one = new KubeConfig(); one.loadFromFile(p); kc.mergeConfig(one); }
  const contexts = values.context?.length ? values.context : [kc.getCurrentContext()];
  const intervalMs = parseDuration(values.interval ?? '15s');
  const store = Store.open(cfg.dataDir);
  const etcd = values['etcd-url'] ? {
    url: values['etcd-url'], metricsUrl: values['etcd-metrics-url'], caFile: values['etcd-ca'], certFile: values['etcd-cert'], keyFile: values['etcd-key'],
  } : undefined;
  const recorders = contexts.flatMap((context) => {
    const source = new LiveClusterSource({ id: `ctx-${slug(context)}`, kubeConfig: kc, context, etcd });
    const log = (m: string) => io.stderr(`${m}\n`);
    return [new ClusterRecorder(source, store, createIngest(), {
      intervalMs, censusEveryMs: cfg.censusMs, log,
      onCommit: values['print-commits'] ? (c) => io.stdout(`committed ${c.cluster} ${c.component} ${c.t} ${c.rows}\n`) : undefined,
    }), new EventRecorder(source, store, { log })];
  });
  io.stderr(`recording ${contexts.join(', ')} every ${intervalMs / 1000} s into ${cfg.dataDir}\n`);
  for (const r of recorders) r.start();
  // The recorder's timers are unref'd (they must not keep a host process alive); this one keeps the CLI up.
  const keepAlive = setInterval(() => undefined, 1 << 30);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  clearInterval(keepAlive);
  for (const r of recorders) await r.stop();
  store.close();
  return 0;
}
