// The `kube-forensics` command. Subcommands live in their own modules and are loaded lazily, so
// `inspect goroutines` never pays for the dashboard's or the cluster client's imports.
//   kube-forensics inspect <metrics|goroutines|heap|events|audit> FILE… [--json] …
//   kube-forensics capture …      kube-forensics serve [--bundle PATH] …
import type { CommandIO } from './io';
import { defaultIO } from './io';

type Runner = (args: string[], io: CommandIO) => Promise<number>;

const INSPECT: Record<string, () => Promise<{ run: Runner }>> = {
  metrics: () => import('./inspect/metrics'),
  goroutines: () => import('./inspect/goroutines'),
  heap: () => import('./inspect/heap'),
  events: () => import('./inspect/events'),
  audit: () => import('./inspect/audit'),
};

const TOP: Record<string, () => Promise<{ run: Runner }>> = {
  record: () => import('./record'),
  capture: () => import('./capture'),
  export: () => import('./export'),
  serve: () => import('./serve'),
  auth: () => import('./auth'),
};

const USAGE = `usage: kube-forensics <command> [options]

commands:
  inspect metrics FILE… [--json]            key figures and findings from /metrics scrapes
  inspect goroutines FILE [--base OLDER] [--json]
  inspect heap FILE [--sample-index NAME] [--top N] [--cum] [--base OLDER] [--json]
  inspect events FILE [--json] [--top N] [--latest N]   kubectl get events -o json (either API), JSON lines, .gz; - for stdin
  inspect audit FILE|- [--policy POLICY] [--object RESOURCE/NAME [-n NS]] [--top N] [--json]   audit-log volume, top talkers, errors, policy review
  record [--context C]… [--data-dir D] [--interval 15s]   the flight recorder without the dashboard
  capture --out bundle.tar.gz [--context C] [--duration 60s] [--interval 15s]
  export --data-dir D --cluster ID [--from now-1h] [--to now] --out bundle.tar.gz   a recorded range as a bundle
  serve [--bundle PATH]… [--port 3000] [--host localhost]   the dashboard (on bundles, and kubeconfig contexts)
  auth hash-password --user NAME [--role viewer|responder|admin]   a users-file line (password read from the terminal)
  auth new-token --user NAME [--role …]                            a new bearer token and its users-file line
`;

export async function main(argv: string[], io: CommandIO = defaultIO): Promise<number> {
  const [cmd, sub, ...rest] = argv;
  if (!cmd || cmd === '-h' || cmd === '--help' || cmd === 'help') { io.stdout(USAGE); return cmd ? 0 : 2; }
  try {
    if (cmd === 'inspect') {
      const load = sub ? INSPECT[sub] : undefined;
      if (!load) { io.stderr(`kube-forensics inspect: unknown kind ${sub ?? '(none)'}; one of ${Object.keys(INSPECT).join(', ')}\n`); return 2; }
      return await (await load()).run(rest, io);
    }
    const load = TOP[cmd];
    if (!load) { io.stderr(`kube-forensics: unknown command ${cmd}\n\n${USAGE}`); return 2; }
    return await (await load()).run(sub === undefined ? [] : [sub, ...rest], io);
  } catch (e) {
    if (e && typeof e === 'object' && 'code' in e && (e as { code: string }).code === 'ERR_MODULE_NOT_FOUND') {
      io.stderr(`kube-forensics ${cmd}${sub ? ` ${sub}` : ''}: not available in this build\n`);
      return 2;
    }
    io.stderr(`kube-forensics: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}
