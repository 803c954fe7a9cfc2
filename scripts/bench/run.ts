// `npm run bench`: runs every suite in scripts/bench/suites/ (or those named on the command line)
// and prints one table. Each suite measures our code against a named reference tool on the same
// input in the same run, and reports the ratio, so numbers stay comparable across machines.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { BenchResult, BenchSuite } from './types';

const dir = path.join(path.dirname(new URL(import.meta.url).pathname), 'suites');
const only = process.argv.slice(2);
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts')).sort()
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)));

// The CLI rows time `node cli/bin.mjs`, which runs the prebuilt bundle only while it is newer than
// every source in it and the TypeScript sources through tsx otherwise (three times slower to
// start): a bench after an edit would time the wrong program. Build the bundle from the sources first.
const root = path.resolve(dir, '../../..');
process.stderr.write('bench: building the CLI bundle (node scripts/build-cli.mjs) …\n');
execFileSync(process.execPath, [path.join(root, 'scripts/build-cli.mjs')], { cwd: root, stdio: 'inherit' });

const rows: Array<BenchResult & { suite: string }> = [];
let failed = 0;
for (const f of files) {
  const suite = (await import(path.join(dir, f))) as { default: BenchSuite };
  const name = f.replace(/\.ts$/, '');
  process.stderr.write(`bench: ${name} …\n`);
  try {
    for (const r of await suite.default()) rows.push({ suite: name, ...r });
  } catch (e) {
    failed++;
    rows.push({ suite: name, metric: 'error', value: NaN, unit: '', note: e instanceof Error ? e.message : String(e) });
  }
}
const fmt = (v: number) => (Number.isNaN(v) ? '-' : Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(2) : v.toPrecision(3));
const table = rows.map((r) => [r.suite, r.metric, `${fmt(r.value)} ${r.unit}`.trim(), r.reference ? `${r.reference}: ${fmt(r.referenceValue ?? NaN)} ${r.unit}` : '', r.ratio !== undefined ? `×${fmt(r.ratio)}` : '', r.note ?? '']);
const widths = table[0]?.map((_, i) => Math.max(...table.map((row) => row[i]!.length), 6)) ?? [];
const head = ['suite', 'metric', 'ours', 'reference', 'ratio', 'note'];
console.log(head.map((h, i) => h.padEnd(widths[i] ?? 6)).join('  '));
for (const row of table) console.log(row.map((c, i) => c.padEnd(widths[i] ?? 6)).join('  '));
process.exitCode = failed ? 1 : 0;
