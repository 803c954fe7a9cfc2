// `kube-forensics capture`: records a bundle from a live cluster, without the dashboard.
//   kube-forensics capture --out bundle.tar.gz [--kubeconfig F] [--context C] [--duration 10m] [--interval 15s]
//                          [--etcd-endpoint URL --etcd-metrics-url URL --etcd-ca F --etcd-cert F --etcd-key F]
//                          [--audit-log PATH]… [--no-profiles] [--no-redact] [--title T] [--story S]
// Ctrl-C finishes cleanly: the bundle holds what was captured so far.
import path from 'node:path';
import { parseArgs } from 'node:util';
import { KubeConfig } from '@kubernetes/client-node';
import { parseDuration } from './duration';
import type { CommandIO } from './io';

export async function run(args: string[], io: CommandIO): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      out: { type: 'string' }, kubeconfig: { type: 'string' }, context: { type: 'string' },
      duration: { type: 'string', default: '10m' }, interval: { type: 'string', default: '15s' },
      'etcd-endpoint': { type: 'string' }, 'etcd-metrics-url': { type: 'string' }, 'etcd-ca': { type: 'string' }, 'etcd-cert': { type: 'string' }, 'etcd-key': { type: 'string' },
      'audit-log': { type: 'string', multiple: true }, 'no-profiles': { type: 'boolean', default: false },
      'no-redact': { type: 'boolean', default: false },
      title: { type: 'string' }, story: { type: 'string' }, quiet: { type: 'boolean', default: false },
    },
  });
  if (!values.out) { io.stderr('kube-forensics capture: --out is required (a directory, or a .tar.gz path)\n'); return 2; }
  const { LiveClusterSource } = await import('../server/cluster/live');
  const { captureBundle } = await import('../server/capture/capture');
  const { slug } = await import('../server/runtime');
  const kc = new KubeConfig();
  if (values.kubeconfig) kc.loadFromFile(values.kubeconfig); else kc.loadFromDefault();
  const context = values.context ?? kc.getCurrentContext();
  if (!kc.getContextObject(context)) { io.stderr(`kube-forensics capture: no context ${context} in the kubeconfig\n`); return 2; }
  const etcd = values['etcd-endpoint'] ? {
    url: values['etcd-endpoint'], metricsUrl: values['etcd-metrics-url'], caFile: values['etcd-ca'], certFile: values['etcd-cert'], keyFile: values['etcd-key'],
  } : undefined;
  const source = new LiveClusterSource({ id: `ctx-${slug(context)}`, kubeConfig: kc, context, etcd });
  const durationMs = parseDuration(values.duration ?? '10m');
  const intervalMs = parseDuration(values.interval ?? '15s');
  const ac = new AbortController();
  const onSigint = () => { io.stderr('\ninterrupted: finishing the bundle with what was captured…\n'); ac.abort(); };
  process.once('SIGINT', onSigint);
  process.once('SIGTERM', onSigint);
  const extraFiles: Record<string, string> = {};
  for (const p of values['audit-log'] ?? []) extraFiles[`audit/${path.basename(p).replace(/\.gz$/, '').replace(/\.(log|jsonl?)$/, '')}.jsonl`] = p;
  io.stderr(`capturing ${context} for ${durationMs / 1000} s every ${intervalMs / 1000} s into ${values.out}\n`);
  try {
    const r = await captureBundle(source, {
      out: values.out, durationMs, intervalMs, profiles: !values['no-profiles'], redact: !values['no-redact'], signal: ac.signal, extraFiles,
      title: values.title, story: values.story,
      progress: values.quiet ? undefined : (p) => io.stderr(`\r  ${Math.round(p.elapsedMs / 1000)} s · ${p.scrapes} scrapes · ${p.events} events · ${p.errors} errors   `),
    });
    io.stderr(`\nwrote ${r.out}: ${r.files} files, ${(r.bytes / 1e6).toFixed(1)} MB${r.errors.length ? `, ${r.errors.length} errors (see capture-errors.txt)` : ''}\n`);
    return 0;
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
    await source.close();
  }
}
