// Goroutine dumps: `kube-forensics inspect goroutines FILE --json` against panicparse (Debian's
// `panicparse` package, the reference Go tool for these dumps) on the same real dumps in the same
// run: wall time and peak RSS of both processes, plus our parse+group+analyze time in-process.
//
// The dumps are real: scripts/bench/gen-goroutines/main.go starts N goroutines and writes
// pprof.Lookup("goroutine").WriteTo(f, 2), like /debug/pprof/goroutine?debug=2. It is built with the
// machine's Go and run once per N; the dumps are cached under ~/.cache/kube-forensics/bench (or
// $KF_BENCH_CACHE), keyed by the generator's source.
//
// panicparse is run as `panicparse -parse=false -rebase=false FILE > /dev/null`: parse, aggregate
// into buckets and print them, without reading Go sources to guess argument types (which we do not
// do either). It grows faster than linearly with the number of goroutines (on a quiet 2-core
// machine: ~1 s for 10k, ~6 s for 30k, ~80 s for 100k), so the 10k rows are the fairer
// per-goroutine comparison. Our CLI's fixed start-up (node loading the prebuilt bundle) is reported separately.
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, openSync, closeSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { analyzeGoroutines, GoroutineDumpReader } from '../../../lib/analysis/goroutines';
import type { BenchResult } from '../types';

const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../..');
const genSource = path.join(repo, 'scripts/bench/gen-goroutines/main.go');
const cacheDir = process.env.KF_BENCH_CACHE ?? path.join(os.homedir(), '.cache/kube-forensics/bench');

function which(cmd: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    const p = path.join(dir, cmd);
    if (dir && existsSync(p)) return p;
  }
  return null;
}

/** Builds the generator (once per source version) and writes a dump of n goroutines (once per n). */
function dump(n: number): string {
  const hash = createHash('sha256').update(readFileSync(genSource)).digest('hex').slice(0, 12);
  const file = path.join(cacheDir, `goroutines-${hash}-n${n}-debug2.txt`);
  if (existsSync(file)) return file;
  if (!which('go')) throw new Error('needs Go to generate the dump (apt-get install golang-go)');
  mkdirSync(cacheDir, { recursive: true });
  const bin = path.join(cacheDir, `gen-goroutines-${hash}`);
  if (!existsSync(bin)) {
    execFileSync('go', ['build', '-o', bin, genSource], { cwd: path.dirname(genSource), stdio: 'inherit', env: { ...process.env, GO111MODULE: 'off' } });
  }
  const tmp = `${file}.tmp`;
  execFileSync(bin, ['-n', String(n), '-out', tmp], { stdio: 'inherit' });
  renameSync(tmp, file);
  return file;
}

interface Run {
  seconds: number;
  /** user + system CPU seconds (GNU time only; NaN without it): steadier than wall time on a busy machine. */
  cpuSeconds: number;
  peakRssMB: number;
}

/**
 * Runs a command with stdout to /dev/null; wall time from here, peak RSS from GNU time's %M
 * (`apt-get install time`) or, without it, from polling /proc/<pid>/status VmHWM.
 */
async function measure(cmd: string, args: string[]): Promise<Run> {
  const gnuTime = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;
  const stats = path.join(os.tmpdir(), `kf-bench-time-${process.pid}-${Date.now()}`);
  const devnull = openSync('/dev/null', 'w');
  const [file, argv] = gnuTime ? [gnuTime, ['-f', '%M %U %S', '-o', stats, cmd, ...args]] : [cmd, args];
  const start = performance.now();
  let hwmKB = 0;
  try {
    const child = spawn(file, argv, { stdio: ['ignore', devnull, 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => { stderr += d.toString(); });
    const poll = gnuTime
      ? null
      : setInterval(() => {
          try {
            const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
            if (m) hwmKB = Math.max(hwmKB, Number(m[1]));
          } catch { /* exited */ }
        }, 5);
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    if (poll) clearInterval(poll);
    if (code !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${code}: ${stderr.slice(-500)}`);
  } finally {
    closeSync(devnull);
  }
  const seconds = (performance.now() - start) / 1000;
  let cpuSeconds = NaN;
  if (gnuTime) {
    const [rss, user, sys] = (readFileSync(stats, 'utf8').trim().split('\n').pop() ?? '').split(' ').map(Number);
    hwmKB = rss ?? NaN;
    cpuSeconds = (user ?? NaN) + (sys ?? NaN);
    rmSync(stats, { force: true });
  }
  return { seconds, cpuSeconds, peakRssMB: hwmKB / 1024 };
}

/** Fastest wall and CPU time of `times` runs, and the highest peak RSS seen. */
async function bestOf(times: number, cmd: string, args: string[]): Promise<Run> {
  const runs: Run[] = [];
  for (let i = 0; i < times; i++) runs.push(await measure(cmd, args));
  return {
    seconds: Math.min(...runs.map((r) => r.seconds)),
    cpuSeconds: Math.min(...runs.map((r) => r.cpuSeconds)),
    peakRssMB: Math.max(...runs.map((r) => r.peakRssMB)),
  };
}

/** Our library in this process: stream-read, parse, group, analyze. */
async function inProcess(file: string): Promise<{ seconds: number; total: number; groups: number; suspects: number }> {
  const start = performance.now();
  const reader = new GoroutineDumpReader();
  for await (const chunk of createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 })) reader.write(chunk as string);
  const { dump: d, groups } = reader.end({ byteLength: statSync(file).size });
  const a = analyzeGoroutines(groups);
  const seconds = (performance.now() - start) / 1000;
  if (d.warnings.length > 0) throw new Error(`unexpected warnings: ${JSON.stringify(d.warnings.slice(0, 3))}`);
  return { seconds, total: a.total, groups: groups.length, suspects: a.suspects.length };
}

const MB = (bytes: number) => bytes / (1 << 20);

export default async function goroutines(): Promise<BenchResult[]> {
  const panicparse = which('panicparse');
  if (!panicparse) throw new Error('needs panicparse (apt-get install panicparse)');
  const cli = path.join(repo, 'cli/bin.mjs');
  const ours = (file: string) => [cli, 'inspect', 'goroutines', file, '--json'];
  const ref = (file: string) => ['-parse=false', '-rebase=false', file];
  const REF = 'panicparse -parse=false -rebase=false';
  const results: BenchResult[] = [];

  // Fixed cost of our CLI (node loading the prebuilt bundle, dist/cli.mjs) on a tiny real dump.
  const tiny = path.join(repo, 'testdata/goroutines/go1.19/base-debug2.txt');
  const startup = await bestOf(3, process.execPath, ours(tiny));
  results.push({
    metric: 'CLI start-up (92-goroutine dump)', value: startup.seconds, unit: 's',
    note: `CPU ${startup.cpuSeconds.toFixed(2)} s, peak RSS ${startup.peakRssMB.toFixed(0)} MB (node + the prebuilt bundle)`,
  });

  for (const [n, refRuns] of [[10_000, 3], [100_000, 1]] as const) {
    const file = dump(n);
    const size = statSync(file).size;
    const lib = await inProcess(file);
    lib.seconds = Math.min(lib.seconds, (await inProcess(file)).seconds);
    if (lib.total !== n + 1) throw new Error(`expected ${n + 1} goroutines, parsed ${lib.total}`);
    const label = `${n / 1000}k goroutines, ${MB(size).toFixed(0)} MB`;
    const o = await bestOf(3, process.execPath, ours(file));
    const p = await bestOf(refRuns, panicparse, ref(file));
    results.push({
      metric: `inspect goroutines --json, ${label}: wall`, value: o.seconds, unit: 's', reference: REF, referenceValue: p.seconds,
      ratio: p.seconds / o.seconds, note: `best of 3 vs best of ${refRuns}; includes our start-up`,
    });
    results.push({
      metric: `inspect goroutines --json, ${label}: CPU user+sys`, value: o.cpuSeconds, unit: 's', reference: REF, referenceValue: p.cpuSeconds,
      ratio: p.cpuSeconds / o.cpuSeconds, note: 'less sensitive than wall time to other load on the machine',
    });
    results.push({
      metric: `inspect goroutines --json, ${label}: peak RSS`, value: o.peakRssMB, unit: 'MB', reference: REF, referenceValue: p.peakRssMB,
      ratio: p.peakRssMB / o.peakRssMB,
    });
    results.push({
      metric: `library parse+group+analyze in-process, ${label}`, value: lib.seconds, unit: 's', reference: REF, referenceValue: p.seconds,
      ratio: p.seconds / lib.seconds, note: `${(MB(size) / lib.seconds).toFixed(0)} MB/s; ${lib.groups} groups, ${lib.suspects} suspect(s)`,
    });
  }
  return results;
}
