// Builds the Next.js app when there is no build, or when a source file is newer than the build.
// Shared by `npm run demo`, `kube-forensics serve` and the integration tests, so none of them
// ever serves a stale build. Usage: node scripts/build-if-stale.mjs   (or import { buildIfStale }).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const SOURCES = ['app', 'components', 'lib', 'server', 'instrumentation.ts', 'proxy.ts', 'next.config.ts', 'package-lock.json'];

function newestMtime(p) {
  if (!fs.existsSync(p)) return 0;
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let t = 0;
  for (const e of fs.readdirSync(p, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
    t = Math.max(t, newestMtime(path.join(p, e.name)));
  }
  return t;
}

export function buildIsStale() {
  const buildId = path.join(root, '.next', 'BUILD_ID');
  if (!fs.existsSync(buildId)) return true;
  const built = fs.statSync(buildId).mtimeMs;
  return SOURCES.some((s) => newestMtime(path.join(root, s)) > built);
}

export function buildIfStale({ quiet = false } = {}) {
  if (!buildIsStale()) return false;
  if (!quiet) console.error('kube-forensics: building the dashboard (sources changed since the last build)…');
  // Stamped with the time the build started, not ended: a source saved while it ran is newer than
  // the stamp, so the next check builds again rather than serving what the build did not see.
  const started = (Date.now() - 1000) / 1000;
  execFileSync('npx', ['next', 'build'], { cwd: root, stdio: quiet ? ['ignore', 'ignore', 'inherit'] : 'inherit', env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' } });
  fs.utimesSync(path.join(root, '.next', 'BUILD_ID'), started, started);
  return true;
}

if (process.argv[1] && path.resolve(process.argv[1]) === new URL(import.meta.url).pathname) buildIfStale();
