#!/usr/bin/env node
// Entry point of the `kube-forensics` command. Uses the prebuilt bundle (dist/cli.mjs, made by
// `npm install` through scripts/build-cli.mjs) when it is newer than every CLI source it contains;
// otherwise runs the TypeScript sources through tsx (development).
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const bundle = path.join(root, 'dist', 'cli.mjs');

/**
 * The bundle is used unless a source it was built from changed since. In an installed package
 * (no .git) the bundle is the program; in a checkout, the sources listed by the build
 * (dist/inputs.json) are compared by time — a stat each, no folder walks, so start-up stays fast.
 */
function bundleIsFresh() {
  if (process.env.KF_CLI_FROM_SOURCE === '1' || !fs.existsSync(bundle)) return false;
  if (!fs.existsSync(path.join(root, '.git'))) return true;
  let inputs;
  try { inputs = JSON.parse(fs.readFileSync(path.join(root, 'dist', 'inputs.json'), 'utf8')); } catch { return false; }
  if (!Array.isArray(inputs) || inputs.length === 0) return false;
  const built = fs.statSync(bundle).mtimeMs;
  for (const f of inputs) {
    try { if (fs.statSync(path.join(root, f)).mtimeMs > built) return false; } catch { return false; }
  }
  return true;
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
