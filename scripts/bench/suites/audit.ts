// Audit logs: `kube-forensics inspect audit FILE --json` on a 500 MB realistic log, against jq doing
// the simplest useful aggregation (events per user agent) on the same file in the same run: wall
// time, throughput and peak RSS of both processes.
//
// The log is built from the real kube-apiserver 1.20.2 fixture (testdata/audit/v1.20.2, a catch-all
// RequestResponse policy: every request twice, LIST responses and 400 kB configmap bodies in full),
// repeated with variations so nothing is a verbatim copy: fresh auditIDs, timestamps spread over
// consecutive hours, 50 variants of each user agent, renamed objects. Cached (outside the repo)
// under ~/.cache/kube-forensics/bench (or $KF_BENCH_CACHE), keyed by the fixture and the size.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { BenchResult } from '../types';

const repo = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../..');
const fixture = path.join(repo, 'testdata/audit/v1.20.2/catchall-requestresponse.jsonl.gz');
const cacheDir = process.env.KF_BENCH_CACHE ?? path.join(os.homedir(), '.cache/kube-forensics/bench');
const TARGET = Number(process.env.KF_BENCH_AUDIT_MB ?? 500) * 1024 * 1024;

/**
 * `all`: every fixture line, so the bytes are dominated by the 400 kB configmap creates (11 kB per
 * event on average). `small`: without them (1.9 kB per event, the metadata-heavy traffic of an
 * ordinary cluster), where per-event costs dominate.
 */
function generate(kind: 'all' | 'small', target: number): string {
  const gz = readFileSync(fixture);
  const hash = createHash('sha256').update(gz).digest('hex').slice(0, 12);
  const file = path.join(cacheDir, `audit-${hash}-${kind === 'all' ? '' : 'small-'}${target >> 20}MB.jsonl`);
  if (existsSync(file)) return file;
  mkdirSync(cacheDir, { recursive: true });
  const lines = gunzipSync(gz).toString('utf8').split('\n').filter((l) => l !== '' && (kind === 'all' || !l.includes('"name":"filler-')));
  const tmp = `${file}.tmp`;
  const fd = openSync(tmp, 'w');
  let written = 0;
  try {
    for (let round = 0; written < target; round++) {
      const hour = new Date(Date.UTC(2026, 10, 23, 4) + round * 3_600_000).toISOString().slice(0, 13);
      const out: string[] = [];
      for (const l of lines) {
        const v = l
          .replace(/"auditID":"[0-9a-f]{8}/, `"auditID":"${(round * 7919 + out.length).toString(16).padStart(8, '0').slice(-8)}`)
          .replace(/2026-11-23T04/g, hour)
          .replace(/"userAgent":"([^"/]+)\//, (_m, ua: string) => `"userAgent":"${ua}-${round % 50}/`)
          .replace(/"name":"(app-config|filler)-(\d+)"/g, (_m, p: string, n: string) => `"name":"${p}-${round}-${n}"`);
        out.push(v);
      }
      const chunk = Buffer.from(`${out.join('\n')}\n`);
      writeSync(fd, chunk);
      written += chunk.length;
    }
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
  return file;
}

interface Run { seconds: number; peakRssMB: number }

async function measure(cmd: string, args: string[]): Promise<Run> {
  const stats = path.join(os.tmpdir(), `kf-bench-audit-${process.pid}-${Date.now()}`);
  const devnull = openSync('/dev/null', 'w');
  const start = performance.now();
  try {
    const child = spawn('/usr/bin/time', ['-f', '%M', '-o', stats, cmd, ...args], { stdio: ['ignore', devnull, 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => { stderr += d.toString(); });
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    if (code !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${code}: ${stderr.slice(-500)}`);
  } finally {
    closeSync(devnull);
  }
  const seconds = (performance.now() - start) / 1000;
  const kb = Number(readFileSync(stats, 'utf8').trim().split('\n').pop());
  rmSync(stats, { force: true });
  return { seconds, peakRssMB: kb / 1024 };
}

export default async function audit(): Promise<BenchResult[]> {
  if (!existsSync('/usr/bin/time')) throw new Error('needs GNU time (apt-get install time)');
  if (!existsSync('/usr/bin/jq')) throw new Error('needs jq (apt-get install jq)');
  const REF = 'jq: events per user agent';
  const out: BenchResult[] = [];
  for (const [kind, target] of [['all', TARGET], ['small', TARGET / 2]] as const) {
    const file = generate(kind, target);
    const mb = statSync(file).size / (1 << 20);
    const ours = await measure(process.execPath, [path.join(repo, 'cli/bin.mjs'), 'inspect', 'audit', file, '--json']);
    const ref = await measure('/usr/bin/jq', ['-n', 'reduce inputs as $e ({}; .[$e.userAgent // "(none)"] += 1)', file]);
    const what = kind === 'all' ? `${mb.toFixed(0)} MB log, 11 kB/event` : `${mb.toFixed(0)} MB log, 1.9 kB/event`;
    out.push(
      { metric: `inspect audit throughput (${what})`, value: mb / ours.seconds, unit: 'MB/s', reference: REF, referenceValue: mb / ref.seconds, ratio: ref.seconds / ours.seconds, note: `wall ${ours.seconds.toFixed(1)} s vs ${ref.seconds.toFixed(1)} s, node start-up included; ours computes every table, jq one count` },
      { metric: `inspect audit peak RSS (${what})`, value: ours.peakRssMB, unit: 'MB', reference: REF, referenceValue: ref.peakRssMB, ratio: ref.peakRssMB / ours.peakRssMB, note: 'flat with file size: one chunk + one line + capped tables' },
    );
  }
  return out;
}
