#!/usr/bin/env node
// Entry point of the `kube-forensics` command. Uses the prebuilt bundle (dist/cli.mjs, made by
// `npm install` through scripts/build-cli.mjs) when it is newer than every CLI source it contains;
// otherwise runs the TypeScript sources through tsx (development).
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const bundle = path.join(root, 'dist', 'cli.mjs');

function newest(dir) {
  let t = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) t = Math.max(t, newest(p));
    else if (e.name.endsWith('.ts')) t = Math.max(t, fs.statSync(p).mtimeMs);
  }
  return t;
}

function bundleIsFresh() {
  if (process.env.KF_CLI_FROM_SOURCE === '1' || !fs.existsSync(bundle)) return false;
  const built = fs.statSync(bundle).mtimeMs;
  return ['cli', 'lib', 'server'].every((d) => newest(path.join(root, d)) <= built);
}

// `kube-forensics inspect … | head`: a closed pipe ends the command quietly, as for any Unix tool.
process.stdout.on('error', (e) => { if (e.code === 'EPIPE') process.exit(0); throw e; });

let main;
if (bundleIsFresh()) {
  ({ main } = await import(bundle));
} else {
  await import('./register.mjs');
  ({ main } = await import('./main.ts'));
}
process.exitCode = await main(process.argv.slice(2));
