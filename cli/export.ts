// `kube-forensics export --data-dir D --cluster ID [--from now-1h] [--to now] --out bundle.tar.gz`:
// a recorded cluster (live or imported) from the store to a bundle, for any time range, without
// the dashboard. Times: Grafana-style (`now-6h`), epoch milliseconds or RFC 3339.
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { CommandIO } from './io';

export async function run(args: string[], io: CommandIO): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      'data-dir': { type: 'string' }, cluster: { type: 'string' }, from: { type: 'string', default: 'now-1h' }, to: { type: 'string', default: 'now' },
      out: { type: 'string' }, 'no-redact': { type: 'boolean', default: false },
    },
  });
  const dataDir = path.resolve(values['data-dir'] ?? process.env.KF_DATA_DIR ?? '.data');
  const { Store } = await import('../server/store/store');
  const store = Store.open(dataDir);
  try {
    const clusters = store.clusters();
    const c = clusters.find((x) => x.id === values.cluster);
    if (!values.cluster || !c) {
      io.stderr(`kube-forensics export: --cluster is one of: ${clusters.map((x) => x.id).join(', ') || '(the store has none)'}\n`);
      return 2;
    }
    if (!values.out || !/\.(tar\.gz|tgz)$/.test(values.out)) { io.stderr('kube-forensics export: --out must name a .tar.gz file\n'); return 2; }
    const { resolveRange } = await import('../lib/timeline/time-range');
    let range: { from: number; to: number };
    try { range = resolveRange(values.from, values.to, Date.now(), 366 * 86_400_000); } catch (e) { io.stderr(`kube-forensics export: ${e instanceof Error ? e.message : String(e)}\n`); return 2; }
    const { exportBundleFile } = await import('../server/bundle/export');
    const s = await exportBundleFile(store, { cluster: c.id, name: c.name, server: c.server, ...range, redact: !values['no-redact'] }, values.out);
    io.stderr(`wrote ${values.out}: ${s.series} series (${s.points} points), ${s.rawScrapes} raw scrapes, ${s.events} events, ${s.artifacts} profiles, ${s.snapshots} snapshots, ${s.auditEvents} audit events\n`);
    return 0;
  } finally { store.close(); }
}
