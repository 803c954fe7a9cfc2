// kube-forensics inspect metrics FILE… [--json]
//
// Reads saved /metrics scrapes of kube-apiserver and/or etcd (e.g. `curl …/metrics > 2026-11-23T01:02:03Z.prom`),
// detects which component produced each, orders them by time (an RFC3339 timestamp in the file
// name, else the file's mtime) so latency quantiles come from consecutive scrapes, and prints the
// key figures and findings. The figures come from lib/catalogue/scrape-summary.ts; the findings from
// lib/detectors, run on the files recorded in memory exactly as the dashboard runs them on history,
// which the dashboard uses too.
import fs from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { CommandIO } from '../io';
import { parsePrometheusText } from '../../lib/parse/prometheus-text';
import type { ParseWarning } from '../../lib/parse/prometheus-text';
import { detectComponent } from '../../lib/catalogue/detect';
import type { Component } from '../../lib/catalogue/detect';
import { summarizeScrapes } from '../../lib/catalogue/scrape-summary';
import { detect } from '../../lib/detectors/evaluate';
import { recordInMemory } from '../../lib/recording/memory';
import type { ScrapeSummary } from '../../lib/catalogue/scrape-summary';

const USAGE = `usage: kube-forensics inspect metrics FILE… [--json]

  FILE    a saved /metrics response of kube-apiserver or etcd (text format 0.0.4); give several
          consecutive scrapes of the same process for latency quantiles. Files are ordered by an
          RFC3339 time in the name (2026-11-23T01:02:03Z.prom) or else by modification time.
  --json  machine-readable output
`;

/** Larger files are refused: a real apiserver scrape is a few MB. */
export const MAX_SCRAPE_FILE_BYTES = 256 * 1024 * 1024;

interface LoadedFile {
  path: string;
  timeMs: number;
  timeSource: 'file name' | 'mtime';
  component: Component;
  samples: number;
  warningCount: number;
  warnings: ParseWarning[];
}

// RFC3339 in a file name; ':' may be written as '-' or '_' on file systems that forbid it.
const RFC3339_IN_NAME = /(\d{4}-\d{2}-\d{2})[T_ ](\d{2})[:_-]?(\d{2})[:_-]?(\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})/i;

/** The time encoded in a file name, in ms since the epoch, or undefined. */
export function timeFromFileName(file: string): number | undefined {
  const m = RFC3339_IN_NAME.exec(path.basename(file));
  if (!m) return undefined;
  const zone = m[6]!.toUpperCase() === 'Z' ? 'Z' : m[6]!.replace(/^([+-]\d{2}):?(\d{2})$/, '$1:$2');
  const t = Date.parse(`${m[1]}T${m[2]}:${m[3]}:${m[4]}${m[5] ?? ''}${zone}`);
  return Number.isNaN(t) ? undefined : t;
}

export async function run(args: string[], io: CommandIO): Promise<number> {
  let files: string[];
  let json: boolean;
  try {
    const parsed = parseArgs({ args, allowPositionals: true, strict: true, options: { json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } } });
    if (parsed.values.help) { io.stdout(USAGE); return 0; }
    files = parsed.positionals;
    json = parsed.values.json ?? false;
  } catch (e) {
    io.stderr(`kube-forensics inspect metrics: ${e instanceof Error ? e.message : String(e)}\n${USAGE}`);
    return 2;
  }
  if (files.length === 0) { io.stderr(`kube-forensics inspect metrics: missing FILE\n${USAGE}`); return 2; }

  const loaded: Array<LoadedFile & { result: ReturnType<typeof parsePrometheusText> }> = [];
  for (const file of files) {
    try {
      const st = await fs.stat(file);
      if (!st.isFile()) throw new Error('not a regular file');
      if (st.size > MAX_SCRAPE_FILE_BYTES) throw new Error(`file is ${st.size} bytes; refusing scrapes larger than 256 MiB (${MAX_SCRAPE_FILE_BYTES} bytes)`);
      const text = await fs.readFile(file, 'utf8');
      const result = parsePrometheusText(text);
      const fromName = timeFromFileName(file);
      loaded.push({
        path: file,
        timeMs: fromName ?? st.mtimeMs,
        timeSource: fromName !== undefined ? 'file name' : 'mtime',
        component: detectComponent(result),
        samples: result.sampleCount,
        warningCount: result.warningCount,
        warnings: result.warnings.slice(0, 5),
        result,
      });
    } catch (e) {
      io.stderr(`kube-forensics inspect metrics: ${file}: ${e instanceof Error ? e.message : String(e)}\n`);
      return 1;
    }
  }
  loaded.sort((a, b) => a.timeMs - b.timeMs || a.path.localeCompare(b.path));
  const summary = summarizeScrapes(loaded.map((f) => ({ result: f.result, timeMs: f.timeMs, component: f.component, source: f.path })));
  const fileInfo = loaded.map(({ result: _r, ...f }) => ({ ...f, time: new Date(f.timeMs).toISOString() }));
  // The detectors, on the same scrapes: each interval between two files is all the evidence there is.
  const recordable = loaded.filter((f): f is typeof f & { component: 'kube-apiserver' | 'etcd' } => f.component === 'kube-apiserver' || f.component === 'etcd');
  const load = recordInMemory(recordable.map((f) => ({ t: f.timeMs, component: f.component, parsed: f.result })));
  const first = loaded[0]?.timeMs ?? 0;
  const last = loaded[loaded.length - 1]?.timeMs ?? 0;
  const findings = detect({ load, at: last, from: first - 1, sustainedPoints: 1 })
    .map((f) => ({ id: f.detector, severity: f.severity, summary: f.summary, facts: f.evidence.facts }));

  if (json) {
    io.stdout(`${JSON.stringify({ ...summary, findings, files: fileInfo }, null, 2)}\n`);
    return 0;
  }
  io.stdout(formatText(summary, findings, fileInfo));
  return 0;
}

function bytes(n: number | null): string {
  if (n === null) return 'unknown';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = n, u = 0;
  while (v >= 1024 && u < units.length - 1) { v /= 1024; u++; }
  return `${u === 0 ? v.toFixed(0) : v.toFixed(1)} ${units[u]}`;
}

function seconds(s: number | null | undefined): string {
  if (s === null || s === undefined) return 'n/a';
  return s < 1 ? `${(s * 1000).toFixed(s < 0.01 ? 2 : 1)} ms` : `${s.toFixed(2)} s`;
}

const pad = (label: string) => `  ${label.padEnd(20)}`;

function formatText(s: ScrapeSummary, findings: Array<{ id: string; severity: string; summary: string; facts: string[] }>, files: Array<LoadedFile & { time: string }>): string {
  const out: string[] = [];
  const byComp = new Map<string, number>();
  for (const f of files) byComp.set(f.component, (byComp.get(f.component) ?? 0) + 1);
  const span = s.window.scrapes > 1 && s.window.fromMs !== null && s.window.toMs !== null ? ` over ${((s.window.toMs - s.window.fromMs) / 1000).toFixed(0)} s` : '';
  out.push(`${files.length} scrape${files.length === 1 ? '' : 's'}: ${[...byComp].map(([c, n]) => `${n} ${c}`).join(', ')}${span}`);
  const versions = [s.versions.k8sVersion ? `kubernetes ${s.versions.k8sVersion}` : '', s.versions.etcdVersion ? `etcd ${s.versions.etcdVersion}` : ''].filter(Boolean).join(', ');
  out.push(`component: ${s.component}${versions ? ` (${versions})` : ''}`);
  for (const f of files) {
    const warn = f.warningCount ? `, ${f.warningCount} parse warning${f.warningCount === 1 ? '' : 's'}${f.warnings[0] ? ` (line ${f.warnings[0].line}: ${f.warnings[0].message})` : ''}` : '';
    out.push(`  ${f.time}  ${f.component.padEnd(15)} ${String(f.samples).padStart(6)} samples  ${f.path}${f.timeSource === 'mtime' ? ' (time from mtime)' : ''}${warn}`);
  }

  // One section per component; etcd's DB figures show even without an etcd scrape (the apiserver
  // reports the DB size too).
  const sections = s.processes.map((p) => p.component);
  if (!sections.includes('etcd') && s.etcd.dbSizeBytes !== null) sections.unshift('etcd');
  for (const c of sections) {
    out.push('', c);
    if (c === 'etcd') {
      const e = s.etcd;
      const pct = e.dbSizeBytes !== null && e.quotaBytes ? ` (${((e.dbSizeBytes / e.quotaBytes) * 100).toFixed(1)}% of quota)` : '';
      out.push(`${pad('DB size')}${bytes(e.dbSizeBytes)}${pct}${e.dbSizeSource ? `  [${e.dbSizeSource}]` : ''}`);
      out.push(`${pad('DB in use')}${bytes(e.dbSizeInUseBytes)}`);
      out.push(`${pad('quota')}${bytes(e.quotaBytes)}`);
      out.push(`${pad('has leader')}${e.hasLeader === null ? 'unknown' : e.hasLeader === 1 ? 'yes' : 'NO'}`);
      out.push(`${pad('WAL fsync p99')}${e.walFsyncP99 ? `${seconds(e.walFsyncP99.seconds)} (${e.walFsyncP99.observations} fsyncs)` : 'n/a'}`);
      out.push(`${pad('backend commit p99')}${e.backendCommitP99 ? `${seconds(e.backendCommitP99.seconds)} (${e.backendCommitP99.observations} commits)` : 'n/a'}`);
    }
    const p = s.processes.find((x) => x.component === c);
    if (p) {
      out.push(`${pad('goroutines')}${p.goroutines ?? 'unknown'}`);
      out.push(`${pad('resident memory')}${bytes(p.residentMemoryBytes)}`);
      if (p.startTimeSeconds !== null) out.push(`${pad('started')}${new Date(p.startTimeSeconds * 1000).toISOString()}`);
    }
    if (c === 'kube-apiserver' && s.apiserver) {
      if (s.apiserver.inflight.length) out.push(`${pad('inflight')}${s.apiserver.inflight.map((i) => `${i.requestKind} ${i.value}`).join(', ')}`);
      if (s.apiserver.requestP99ByVerb.length) {
        out.push(`${pad('request p99')}by verb (requests in window)`);
        for (const v of s.apiserver.requestP99ByVerb) out.push(`    ${v.verb.padEnd(16)} ${seconds(v.seconds).padStart(10)}  (${v.observations})`);
      }
      if (s.objects.length) {
        const top = s.objects.slice(0, 15);
        out.push(`${pad('objects')}${s.objects.length} resources${s.objects.length > top.length ? `, top ${top.length}` : ''}`);
        for (const o of top) out.push(`    ${o.resource.padEnd(58)} ${o.count === null ? 'unknown' : String(o.count).padStart(8)}`);
      }
    }
  }

  if (s.notes.length) { out.push('', 'notes'); for (const n of s.notes) out.push(`  ${n}`); }
  out.push('', 'findings');
  if (findings.length === 0) out.push('  none');
  for (const f of findings) {
    out.push(`  [${f.severity}] ${f.summary}  (${f.id})`);
    for (const fact of f.facts) out.push(`      ${fact}`);
  }
  return `${out.join('\n')}\n`;
}
