// `inspect heap --top` against `go tool pprof -top -symbolize=none` on the same real heap profiles,
// in the same run. Measures (1) parse + top in-process, (2) the whole CLI process
// (`node cli/bin.mjs inspect heap FILE --top 20`, the prebuilt bundle as installed) and (3) peak RSS of both processes
// (GNU time -v "Maximum resident set size"). Ratios are reference / ours: > 1 means ours is better.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BenchResult } from '../types';
import { parseProfile } from '../../../lib/parse/pprof';
import { topTable } from '../../../lib/analysis/profile';
import { formatTopText } from '../../../lib/analysis/profile-format';
import { gunzipBounded } from '../../../cli/gunzip';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../..');
const FILES = [
  'testdata/pprof/kube-apiserver/v1.20.2/heap-idle.pb.gz',
  'testdata/pprof/kube-apiserver/v1.20.2/heap-leak.pb.gz',
  'testdata/pprof/go1.19/heap-wide.pb.gz',
].map((f) => path.join(root, f)).filter((f) => fs.existsSync(f));

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const TIME = fs.existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
const env = { ...process.env, HOME: process.env.HOME ?? os.tmpdir(), GOCACHE: process.env.GOCACHE ?? path.join(os.tmpdir(), 'kf-gocache'), GOFLAGS: '' };

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

interface ProcStats { wallMs: number; maxRssMiB: number | undefined }

/** Runs a command RUNS times; median wall time and median peak RSS. */
function measureProcess(cmd: string, args: string[]): ProcStats {
  const walls: number[] = [];
  const rss: number[] = [];
  for (let i = 0; i < RUNS + 1; i++) {
    const t0 = performance.now();
    const r = TIME
      ? spawnSync(TIME, ['-v', cmd, ...args], { cwd: root, env, encoding: 'utf8', maxBuffer: 64 << 20 })
      : spawnSync(cmd, args, { cwd: root, env, encoding: 'utf8', maxBuffer: 64 << 20 });
    const ms = performance.now() - t0;
    if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.status}): ${r.stderr.slice(-500)}`);
    if (i === 0) continue; // warm the page cache and Go's build cache
    walls.push(ms);
    const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr);
    if (m) rss.push(Number(m[1]) / 1024);
  }
  return { wallMs: median(walls), maxRssMiB: rss.length ? median(rss) : undefined };
}

async function inProcessMs(file: string): Promise<{ ms: number; rows: number }> {
  const bytes = new Uint8Array(fs.readFileSync(file));
  let rows = 0;
  const times: number[] = [];
  for (let i = 0; i < RUNS + 3; i++) {
    const t0 = performance.now();
    const p = await parseProfile(bytes, { gunzip: gunzipBounded });
    const t = topTable(p);
    formatTopText(p, t);
    const ms = performance.now() - t0;
    rows = t.rows.length;
    if (i >= 3) times.push(ms);
  }
  return { ms: median(times), rows };
}

export default async function heapBench(): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  const hasGo = spawnSync('go', ['version'], { env }).status === 0;
  // The floor any Node.js CLI pays on this machine, before loading a line of ours.
  const node = measureProcess(process.execPath, ['-e', '0']);
  results.push({
    metric: 'Node.js start-up alone: node -e 0',
    value: node.wallMs, unit: 'ms',
    note: 'the floor of every CLI row below; where it is above pprof\'s whole run, no Node CLI can be faster on that file',
  });
  // What a CLI process costs before it reads anything: Node + module loading (the prebuilt bundle).
  const startup = measureProcess(process.execPath, ['cli/bin.mjs', 'inspect', 'heap', '--help']);
  results.push({
    metric: 'CLI startup only: inspect heap --help',
    value: startup.wallMs, unit: 'ms',
    note: `baseline for the CLI rows below${startup.maxRssMiB !== undefined ? `; peak RSS ${startup.maxRssMiB.toFixed(1)} MiB` : ''}`,
  });
  for (const file of FILES) {
    const name = path.relative(path.join(root, 'testdata/pprof'), file);
    const kb = `${Math.round(fs.statSync(file).size / 1024)} KB`;
    const ours = await inProcessMs(file);
    const cli = measureProcess(process.execPath, ['cli/bin.mjs', 'inspect', 'heap', file, '--top', '20']);
    const ref = hasGo ? measureProcess('go', ['tool', 'pprof', '-top', '-symbolize=none', file]) : undefined;
    const refName = 'go tool pprof -top -symbolize=none (whole process)';
    results.push({
      metric: `parse+top in-process, ${name} (${kb}, ${ours.rows} rows)`,
      value: ours.ms, unit: 'ms',
      ...(ref ? { reference: refName, referenceValue: ref.wallMs, ratio: ref.wallMs / ours.ms } : {}),
      note: 'ours in-process (warm JIT) vs a whole pprof process: not like for like',
    });
    results.push({
      metric: `CLI process: inspect heap --top 20, ${name}`,
      value: cli.wallMs, unit: 'ms',
      ...(ref ? { reference: refName, referenceValue: ref.wallMs, ratio: ref.wallMs / cli.wallMs } : {}),
      note: 'node cli/bin.mjs: the prebuilt bundle, Node startup included',
    });
    if (cli.maxRssMiB !== undefined) {
      results.push({
        metric: `CLI peak RSS, ${name}`,
        value: cli.maxRssMiB, unit: 'MiB',
        ...(ref?.maxRssMiB !== undefined ? { reference: 'go tool pprof peak RSS', referenceValue: ref.maxRssMiB, ratio: ref.maxRssMiB / cli.maxRssMiB } : {}),
        note: 'GNU time -v, max over the process tree',
      });
    }
  }
  if (!hasGo) results.push({ metric: 'reference', value: NaN, unit: '', note: 'go not installed: no go tool pprof reference' });
  return results;
}
