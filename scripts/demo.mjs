#!/usr/bin/env node
// `npm run demo`: the dashboard on its embedded default, the demo bundles recorded from a real
// control plane (testdata/bundles/), on http://localhost:3000. Contexts of a kubeconfig, if there
// is one, show up too. Builds the production app once; later runs start at once.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { buildIfStale } from './build-if-stale.mjs';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
process.chdir(root);
const env = { ...process.env, NEXT_TELEMETRY_DISABLED: '1' };
const bundlesDir = path.join(root, 'testdata', 'bundles');
const bundles = fs.existsSync(bundlesDir)
  ? fs.readdirSync(bundlesDir).filter((f) => f.endsWith('.tar.gz')).sort().map((f) => path.join(bundlesDir, f))
  : [];
env.KF_BUNDLES = [...(process.env.KF_BUNDLES ? [process.env.KF_BUNDLES] : []), ...bundles].join(path.delimiter);
env.KF_DATA_DIR ??= path.join(root, '.data', 'demo');
const port = process.env.PORT ?? '3000';

buildIfStale();
console.log(`kube-forensics demo: ${bundles.length} demo bundle(s); open http://localhost:${port}`);
const child = spawn('npx', ['next', 'start', '-p', port, '-H', process.env.HOST ?? 'localhost'], { stdio: 'inherit', env });
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code) => process.exit(code ?? 0));
