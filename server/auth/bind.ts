// Where the server listens, and whether that is reachable from other machines. Open mode (no
// authentication) is allowed only on loopback; anything else must name an auth mode.
import net from 'node:net';

const LOOPBACK_NAMES = new Set(['localhost', 'localhost.', 'ip6-localhost', 'ip6-loopback']);

/** True for loopback names and addresses (127.0.0.0/8, ::1, ::ffff:127.x, localhost). */
export function isLoopbackHost(host: string): boolean {
  let h = host.trim().toLowerCase();
  if (h.startsWith('[') && h.endsWith(']')) h = h.slice(1, -1);
  if (LOOPBACK_NAMES.has(h) || h.endsWith('.localhost')) return true;
  if (net.isIPv4(h)) return h.startsWith('127.');
  if (net.isIPv6(h)) {
    if (h === '::1' || /^0{0,4}(:0{0,4}){6}:0{0,3}1$/.test(h)) return true;
    const m = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(h);
    return !!m && m[1]!.startsWith('127.');
  }
  return false;
}

/** The `-H/--hostname` of a `next start` / `next dev` command line; `null` when absent. */
export function hostnameFromArgv(argv: readonly string[]): string | null {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '-H' || a === '--hostname') return argv[i + 1] ?? null;
    const m = /^(?:-H|--hostname)=(.*)$/.exec(a);
    if (m) return m[1]!;
  }
  return null;
}

export interface BindInfo {
  /** Every address the configuration or command line says the server listens on. */
  hosts: string[];
  /** Reachable from other machines (any host that is not loopback). */
  exposed: boolean;
}

/**
 * The bind addresses, from the configuration (`KF_HOST`, the config file's `host`; cli/serve.ts
 * sets KF_HOST from --host) and the Next command line (`next start -H …`). Next listens on every
 * interface when no -H is given, so a Next server without -H counts as exposed. The server is
 * exposed if *any* of them is not loopback: a configuration that says 0.0.0.0 is not overridden by
 * a command line that happens to say 127.0.0.1 (behind a port-forward or a sidecar it would be
 * reachable anyway).
 */
export function bindInfo(configHost: string | undefined, argv: readonly string[] = process.argv): BindInfo {
  const hosts: string[] = [];
  if (configHost) hosts.push(configHost);
  const isNext = argv.some((a) => /(^|[/\\])next(\.js)?$/.test(a) || a.endsWith('next/dist/bin/next'));
  const cli = hostnameFromArgv(argv);
  if (cli) hosts.push(cli);
  else if (isNext) hosts.push('0.0.0.0');
  const unique = [...new Set(hosts)];
  return { hosts: unique, exposed: unique.some((h) => !isLoopbackHost(h)) };
}
