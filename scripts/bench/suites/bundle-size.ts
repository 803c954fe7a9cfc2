// Bundle size per hour of capture, for an idle (healthy-baseline) and a busy (etcd-nospace: a write
// flood until NOSPACE; apiserver-goroutine-leak) real control plane, from the demo bundles recorded
// by scripts/demo (1.20.2 apiserver + etcd 3.4, scraped every 15 s, 6–7 minutes each).
//
// Method: a capture's size is a part that grows with time (a scrape of each component every
// interval, readiness and topology snapshots, a census a minute, Events) plus a fixed part (the
// goroutine dumps and heap profiles taken at start and end). Each part is packed on its own, as
// `capture` packs (node-tar, gzip -9), and an hour is extrapolated linearly from the captured
// duration: bytes/h = growing / hours + fixed. The reference is `tar czf` (GNU tar, gzip -6) of the
// same files, extrapolated the same way, in the same run; ratio = reference / ours (> 1: ours is
// smaller). A third row per bundle: `kube-forensics export` of the same range after import (the
// recorded series at full resolution plus a raw scrape every 5 minutes), the way to ship long ranges.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tar from 'tar';
import type { BenchResult } from '../types';
import { importBundle } from '../../../server/bundle/import';
import { openBundle } from '../../../server/bundle/open';
import { writeExportDir } from '../../../server/bundle/export';
import { Store } from '../../../server/store/store';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '../../..');
const BUNDLES: Array<{ file: string; load: string }> = [
  { file: 'healthy-baseline.tar.gz', load: 'idle' },
  { file: 'etcd-nospace.tar.gz', load: 'busy: write flood' },
  { file: 'apiserver-goroutine-leak.tar.gz', load: 'busy: leak' },
];

function listFiles(dir: string, pred: (rel: string) => boolean): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(r); else if (pred(r)) out.push(r);
    }
  };
  walk('');
  return out.sort();
}

async function oursBytes(dir: string, files: string[], tmp: string): Promise<number> {
  if (!files.length) return 0;
  const out = path.join(tmp, `ours-${Math.random().toString(36).slice(2)}.tar.gz`);
  await tar.c({ gzip: { level: 9 }, file: out, cwd: dir, portable: true }, files);
  return fs.statSync(out).size;
}

function referenceBytes(dir: string, files: string[], tmp: string): number {
  if (!files.length) return 0;
  const list = path.join(tmp, `list-${Math.random().toString(36).slice(2)}`);
  fs.writeFileSync(list, files.join('\n'));
  const out = path.join(tmp, `ref-${Math.random().toString(36).slice(2)}.tar.gz`);
  const r = spawnSync('tar', ['czf', out, '-C', dir, '-T', list], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`tar czf: ${r.stderr}`);
  return fs.statSync(out).size;
}

const MiB = 1024 * 1024;

export default async function bundleSize(): Promise<BenchResult[]> {
  const out: BenchResult[] = [];
  for (const { file, load } of BUNDLES) {
    const p = path.join(root, 'testdata/bundles', file);
    if (!fs.existsSync(p)) continue;
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kf-bench-bundle-'));
    const b = await openBundle(p);
    try {
      const hours = (Date.parse(b.manifest.timeRange.to) - Date.parse(b.manifest.timeRange.from)) / 3_600_000;
      const growing = listFiles(b.dir, (r) => !r.startsWith('pprof/'));
      const fixed = listFiles(b.dir, (r) => r.startsWith('pprof/'));
      const ours = (await oursBytes(b.dir, growing, tmp)) / hours + (await oursBytes(b.dir, fixed, tmp));
      const ref = referenceBytes(b.dir, growing, tmp) / hours + referenceBytes(b.dir, fixed, tmp);
      const scrapesPerHour = listFiles(b.dir, (r) => r.startsWith('metrics/kube-apiserver/')).length / hours;
      out.push({
        metric: `capture size per hour, ${load} (${b.manifest.intervalSeconds ?? 15} s interval)`, value: ours / MiB, unit: 'MiB/h',
        reference: 'tar czf', referenceValue: ref / MiB, ratio: ref / ours,
        note: `${file}: ${(hours * 60).toFixed(1)} min extrapolated; ${Math.round(scrapesPerHour)} apiserver scrapes/h; profiles ${(fixed.length)} files fixed`,
      });
      // The same range exported from the store after import.
      const store = Store.memory();
      try {
        await importBundle(store, b, 'x');
        const from = Date.parse(b.manifest.timeRange.from);
        const to = Date.parse(b.manifest.timeRange.to);
        const dir = path.join(tmp, 'export');
        await writeExportDir(store, { cluster: 'x', name: 'x', from, to }, dir);
        const eg = listFiles(dir, (r) => !r.startsWith('pprof/'));
        const ef = listFiles(dir, (r) => r.startsWith('pprof/'));
        const exp = (await oursBytes(dir, eg, tmp)) / hours + (await oursBytes(dir, ef, tmp));
        const expRef = referenceBytes(dir, eg, tmp) / hours + referenceBytes(dir, ef, tmp);
        out.push({
          metric: `export size per hour, ${load}`, value: exp / MiB, unit: 'MiB/h', reference: 'tar czf', referenceValue: expRef / MiB, ratio: expRef / exp,
          note: `recorded series + a raw scrape every 5 min; ${(ours / exp).toFixed(1)}× smaller than the capture`,
        });
      } finally { store.close(); }
    } finally {
      b.dispose();
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  }
  if (!out.length) throw new Error('no demo bundles in testdata/bundles (run scripts/demo/record-*.ts)');
  return out;
}
