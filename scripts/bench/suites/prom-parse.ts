// Parse throughput of lib/parse/prometheus-text.ts on a real kube-apiserver v1.20.2 scrape
// (testdata/metrics/kube-apiserver/v1.20.2/), against `promtool check metrics < FILE` on the same
// file in the same run. promtool is measured as a process (start-up included, and it lints as
// well as parses), so its start-up alone (`promtool --version`) is measured too and reported.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parsePrometheusText } from '../../../lib/parse/prometheus-text';
import { catalogueFamilies } from '../../../lib/catalogue/catalogue';
import type { BenchResult } from '../types';

const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../..');
const captureDir = path.join(repo, 'testdata/metrics/kube-apiserver/v1.20.2');

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

function timeIt(fn: () => void, warmup: number, runs: number): number[] {
  for (let i = 0; i < warmup; i++) fn();
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    out.push(performance.now() - t);
  }
  return out;
}

function which(cmd: string): string | undefined {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

function ensurePromtool(): string {
  let p = which('promtool');
  if (!p) {
    // Debian's `prometheus` package ships promtool; the script installs it and stops the service.
    execFileSync('bash', [path.join(repo, 'scripts/control-plane/ensure-deps.sh'), 'bench'], { stdio: 'inherit' });
    p = which('promtool');
  }
  if (!p) throw new Error('promtool not found, and scripts/control-plane/ensure-deps.sh bench did not install it');
  return p;
}

function runPromtool(bin: string, args: string[], file?: string): number {
  const fd = file ? fs.openSync(file, 'r') : 'ignore';
  try {
    const t = performance.now();
    const r = spawnSync(bin, args, { stdio: [fd, 'ignore', 'ignore'] });
    const ms = performance.now() - t;
    if (r.error) throw r.error;
    // `check metrics` exits 3 when it finds lint problems (it does on every apiserver scrape:
    // e.g. camelCase labels) and 1 on a parse error; only the latter is a failure here.
    if (r.status !== 0 && r.status !== 3) throw new Error(`promtool ${args.join(' ')} exited ${r.status}`);
    return ms;
  } finally {
    if (typeof fd === 'number') fs.closeSync(fd);
  }
}

export default async function promParse(): Promise<BenchResult[]> {
  const files = fs.existsSync(captureDir) ? fs.readdirSync(captureDir).filter((f) => f.endsWith('.prom')).sort() : [];
  const name = files[0];
  if (!name) throw new Error(`no capture in ${path.relative(repo, captureDir)}`);
  const file = path.join(captureDir, name);
  const text = fs.readFileSync(file, 'utf8');
  const bytes = Buffer.byteLength(text);
  const mb = bytes / 1e6;

  const probe = parsePrometheusText(text);
  if (probe.warningCount !== 0) throw new Error(`${name}: ${probe.warningCount} parse warnings`);

  const fullRuns = timeIt(() => { parsePrometheusText(text); }, 10, 31);
  const full = median(fullRuns);
  const keepSet = catalogueFamilies();
  const keepRuns = timeIt(() => { parsePrometheusText(text, { keep: (n) => keepSet.has(n) }); }, 10, 31);
  const keep = median(keepRuns);
  // Shared machines make medians noisy; the minimum and the load average say how noisy.
  const load = os.loadavg()[0]!.toFixed(1);
  const cpus = os.cpus().length;

  const promtool = ensurePromtool();
  runPromtool(promtool, ['check', 'metrics'], file); // warm the page cache and the binary
  const ptCheck = median(Array.from({ length: 5 }, () => runPromtool(promtool, ['check', 'metrics'], file)));
  const ptStart = median(Array.from({ length: 5 }, () => runPromtool(promtool, ['--version'])));

  const ours = mb / (full / 1000);
  const theirs = mb / (ptCheck / 1000);
  const theirsNoStart = ptCheck > ptStart ? mb / ((ptCheck - ptStart) / 1000) : NaN;
  const input = `${name} (${(bytes / 1e6).toFixed(2)} MB, ${probe.sampleCount} samples)`;
  return [
    {
      metric: 'parse throughput, real kube-apiserver v1.20.2 scrape',
      value: ours,
      unit: 'MB/s',
      reference: 'promtool check metrics',
      referenceValue: theirs,
      ratio: ours / theirs,
      note: `${input}; ours: median of 31 in-process parses after 10 warm-up = ${full.toFixed(1)} ms (min ${Math.min(...fullRuns).toFixed(1)} ms; load average ${load} on ${cpus} CPUs). `
        + `promtool: median of 5 processes = ${ptCheck.toFixed(0)} ms, which includes process start-up `
        + `(promtool --version: ${ptStart.toFixed(0)} ms) and linting; without start-up it is ${theirsNoStart.toFixed(1)} MB/s, ratio ×${(ours / theirsNoStart).toFixed(1)}`,
    },
    {
      metric: 'parse with keep = catalogue families (recorder hot path)',
      value: mb / (keep / 1000),
      unit: 'MB/s',
      note: `${input}; keeps ${keepSet.size} family names; median ${keep.toFixed(1)} ms (min ${Math.min(...keepRuns).toFixed(1)} ms)`,
    },
  ];
}
