// `kube-forensics serve [--bundle PATH]… [--port 3000] [--host localhost] [--data-dir D] [--no-kubeconfig]`:
// the dashboard, on captured bundles (offline replay, the apiserver may be long gone) and on the
// kubeconfig's contexts. Runs the production build (`next build` first if there is none).
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { CommandIO } from './io';

export async function run(args: string[], io: CommandIO): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      bundle: { type: 'string', multiple: true }, port: { type: 'string', default: '3000' }, host: { type: 'string', default: 'localhost' },
      'data-dir': { type: 'string' }, 'no-kubeconfig': { type: 'boolean', default: false },
    },
  });
  const root = packageRoot(path.dirname(fileURLToPath(import.meta.url)));
  const bundles = (values.bundle ?? []).map((b) => path.resolve(b));
  for (const b of bundles) if (!fs.existsSync(b)) { io.stderr(`kube-forensics serve: no bundle at ${b}\n`); return 2; }
  const env: NodeJS.ProcessEnv = {
    ...process.env, NEXT_TELEMETRY_DISABLED: '1', KF_HOST: values.host,
    KF_BUNDLES: bundles.join(path.delimiter),
    KF_DATA_DIR: values['data-dir'] ?? process.env.KF_DATA_DIR ?? path.join(os.homedir(), '.local', 'share', 'kube-forensics'),
    ...(values['no-kubeconfig'] ? { KUBECONFIG: path.join(os.tmpdir(), 'kube-forensics-no-kubeconfig') } : {}),
  };
  // The bind guard before building or starting anything (instrumentation.ts checks again).
  const { loadAuthConfig, startupRefusal } = await import('../server/auth/config');
  const why = startupRefusal(loadAuthConfig(env, ['next', 'start', '-H', values.host!]));
  if (why) { io.stderr(`${why}\n`); return 78; }
  execFileSync(process.execPath, [path.join(root, 'scripts', 'build-if-stale.mjs')], { cwd: root, stdio: 'inherit', env });
  io.stderr(`kube-forensics: http://${values.host}:${values.port} (${bundles.length} bundle(s))\n`);
  const child = spawn('npx', ['next', 'start', '-p', values.port!, '-H', values.host!], { cwd: root, stdio: 'inherit', env });
  const forward = (sig: NodeJS.Signals) => () => child.kill(sig);
  process.on('SIGINT', forward('SIGINT'));
  process.on('SIGTERM', forward('SIGTERM'));
  return await new Promise<number>((resolve) => child.on('exit', (code) => resolve(code ?? 0)));
}

/**
 * The checkout or installed package this file belongs to: the nearest folder upwards whose
 * package.json is kube-forensics'. Not a fixed `..`: from the sources this file is cli/serve.ts,
 * in the prebuilt bundle it is a chunk in dist/chunks/ (a fixed `..` gave dist/, and serve failed
 * on every fresh install with "Cannot find module dist/scripts/build-if-stale.mjs").
 */
export function packageRoot(from: string): string {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    try {
      if ((JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string }).name === 'kube-forensics') return dir;
    } catch { /* no package.json here, or not JSON */ }
    if (path.dirname(dir) === dir) throw new Error(`kube-forensics: no kube-forensics package.json above ${from}`);
  }
}
