// `kube-forensics inspect goroutines FILE [--json] [--base OLDER_FILE] [--k8s-version V] [--all]`
// Reads a /debug/pprof/goroutine?debug=2 or ?debug=1 dump as a stream (a 100k-goroutine dump is
// 50–100 MB; goroutines are grouped as they are parsed and never held together), then prints known
// issues and leak suspects first, the diff against --base, and the groups.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { CommandIO } from '../io';
import { GoroutineDumpReader, analyzeGoroutines } from '../../lib/analysis/goroutines';
import type { GoroutineAnalysis, GoroutineGroup, StackLocation } from '../../lib/analysis/goroutines';
import type { GoroutineDumpSummary, GoroutineDumpWarning } from '../../lib/parse/goroutine-dump';

const USAGE = 'usage: kube-forensics inspect goroutines FILE [--json] [--base OLDER_FILE] [--k8s-version V] [--all]\n';

interface Options {
  file: string;
  base: string | undefined;
  version: string | undefined;
  json: boolean;
  all: boolean;
}

function parseArgs(args: string[]): Options | string {
  const o: Options = { file: '', base: undefined, version: undefined, json: false, all: false };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const eq = a.indexOf('=');
    const name = a.startsWith('--') && eq > 0 ? a.slice(0, eq) : a;
    const value = () => (eq > 0 && a.startsWith('--') ? a.slice(eq + 1) : args[++i]);
    if (name === '--json') o.json = true;
    else if (name === '--all') o.all = true;
    else if (name === '--base' || name === '--k8s-version') {
      const v = value();
      if (v === undefined || v === '') return `${name} needs a value`;
      if (name === '--base') o.base = v;
      else o.version = v;
    }
    else if (name === '-h' || name === '--help') return '';
    else if (a.startsWith('--')) return `unknown option ${a}`;
    else if (o.file === '') o.file = a;
    else return `unexpected argument ${a}`;
  }
  return o.file === '' ? 'missing FILE' : o;
}

async function readDump(file: string): Promise<{ dump: GoroutineDumpSummary; groups: GoroutineGroup[] }> {
  const reader = new GoroutineDumpReader();
  const fromStdin = file === '-';
  const input = fromStdin ? process.stdin.setEncoding('utf8') : createReadStream(file, { encoding: 'utf8', highWaterMark: 1 << 20 });
  for await (const chunk of input) reader.write(chunk as string);
  // The byte size makes the 64 MiB truncation check exact for non-ASCII text.
  return reader.end(fromStdin ? {} : { byteLength: (await stat(file)).size });
}

const VENDOR = 'k8s.io/kubernetes/vendor/';

/** Shorter names for the text table: drop Kubernetes' GOPATH-era vendor prefix. */
function short(fn: string | null | undefined): string {
  if (!fn) return '-';
  return fn.startsWith(VENDOR) ? fn.slice(VENDOR.length) : fn;
}

function minutesText(m: GoroutineGroup['minutes'], state: string | null): string {
  if (state === null) return '-';
  return m.min === m.max ? String(m.max) : `${m.min}–${m.max}`;
}

function warningText(w: GoroutineDumpWarning): string {
  return `  ${w.code}${w.line !== null ? ` (line ${w.line})` : ''}: ${w.message}\n`;
}

function location(l: StackLocation | null) {
  return l ? { function: l.function, file: l.file, line: l.line } : null;
}

function toJson(file: string, dump: GoroutineDumpSummary, a: GoroutineAnalysis, base: { file: string; dump: GoroutineDumpSummary } | null) {
  const index = new Map(a.groups.map((g, i) => [g.signature, i]));
  const idle = new Set(a.idle.signatures);
  return {
    file,
    format: dump.format,
    total: a.total,
    declaredTotal: dump.declaredTotal,
    truncated: dump.truncated,
    groups: a.groups.map((g) => ({
      count: g.count,
      state: g.state,
      minutes: { min: g.minutes.min, median: g.minutes.median, max: g.minutes.max },
      function: g.topFrame?.function ?? null,
      createdBy: location(g.createdBy),
      lockedToThread: g.lockedToThread,
      labels: g.labels,
      sampleIds: g.sampleIds,
      idle: idle.has(g.signature),
      frames: g.frames.map((f) => ({ function: f.function, file: f.file, line: f.line })),
    })),
    suspects: a.suspects.map((s) => ({
      group: index.get(s.signature) ?? null, score: s.score, count: s.count, state: s.state, function: s.function,
      reasons: s.reasons, knownIssues: s.knownIssues, growth: s.growth,
    })),
    knownIssues: a.knownIssues.map((k) => ({
      id: k.id, title: k.title, count: k.count, version: k.version, fixedIn: k.fixedIn, links: k.links,
      groups: k.signatures.map((sig) => index.get(sig) ?? null),
    })),
    idle: { groups: a.idle.groups, goroutines: a.idle.goroutines, byState: a.idle.byState },
    warnings: dump.warnings,
    ...(base && a.diff ? { base: { file: base.file, total: base.dump.total, warnings: base.dump.warnings }, diff: a.diff } : {}),
  };
}

function changeLine(c: { delta: number; before: number; after: number; state: string | null; function: string | null }): string {
  const sign = c.delta > 0 ? '+' : '';
  return `  ${`${sign}${c.delta}`.padStart(7)}  ${String(c.before).padStart(6)} → ${String(c.after).padEnd(6)}  ${(c.state ?? '-').padEnd(16)}  ${short(c.function)}\n`;
}

function toText(file: string, dump: GoroutineDumpSummary, a: GoroutineAnalysis, base: { file: string; dump: GoroutineDumpSummary } | null, all: boolean, version: string | undefined): string {
  let out = `${file}: ${a.total} goroutines in ${a.groups.length} groups (${dump.format ?? 'unknown'} dump${dump.truncated ? ', TRUNCATED' : ''})\n`;
  if (dump.declaredTotal !== null && dump.declaredTotal !== a.total) out += `  header says total ${dump.declaredTotal}\n`;
  if (dump.warnings.length > 0) out += `warnings:\n${dump.warnings.map(warningText).join('')}`;
  if (base && base.dump.warnings.length > 0) out += `warnings in ${base.file}:\n${base.dump.warnings.map(warningText).join('')}`;

  out += '\nknown issues:';
  if (a.knownIssues.length === 0) out += ' none\n';
  else {
    out += '\n';
    for (const k of a.knownIssues) {
      const ver = k.version === 'affected' ? `${version} is affected` : k.version === 'not-affected' ? `${version} is not affected` : 'version unknown: pass --k8s-version';
      out += `  ${k.id}: ${k.count} goroutines — ${k.title}\n    ${k.fixedIn ? `fixed in ${k.fixedIn}` : 'not fixed'}; ${ver}\n    ${k.links.join(' ')}\n`;
    }
  }

  out += '\nleak suspects:';
  if (a.suspects.length === 0) out += ' none\n';
  else {
    out += '\n';
    for (const s of a.suspects) {
      out += `  [score ${s.score}] ${s.count} × ${s.state ?? '?'}  ${short(s.function)}\n`;
      for (const r of s.reasons) out += `      - ${r}\n`;
    }
  }

  if (a.diff && base) {
    const d = a.diff;
    const delta = d.totalAfter - d.totalBefore;
    out += `\nsince ${base.file}: ${d.totalBefore} → ${d.totalAfter} goroutines (${delta >= 0 ? '+' : ''}${delta})\n`;
    const section = (title: string, list: typeof d.grew) => {
      if (list.length === 0) return;
      out += `${title}:\n`;
      for (const c of list.slice(0, 15)) out += changeLine(c);
      if (list.length > 15) out += `  … ${list.length - 15} more\n`;
    };
    section('grew', d.grew);
    section('appeared', d.appeared);
    section('shrank', d.shrank);
    section('disappeared', d.disappeared);
  }

  const folded = all ? new Set<string>() : new Set(a.idle.signatures);
  out += `\ngroups:\n  ${'COUNT'.padStart(7)}  ${'STATE'.padEnd(16)}  ${'MINUTES'.padEnd(8)}  FUNCTION  ←  CREATED BY\n`;
  for (const g of a.groups) {
    if (folded.has(g.signature)) continue;
    const state = `${g.state ?? '?'}${g.lockedToThread ? ' (locked)' : ''}`;
    out += `  ${String(g.count).padStart(7)}  ${state.padEnd(16)}  ${minutesText(g.minutes, g.state).padEnd(8)}  ${short(g.topFrame?.function)}  ←  ${short(g.createdBy?.function)}\n`;
  }
  if (folded.size > 0) {
    const states = a.idle.byState.map((s) => `${s.state} ${s.goroutines}`).join(', ');
    out += `  … ${a.idle.groups} small idle groups folded (${a.idle.goroutines} goroutines: ${states}); --all lists them\n`;
  }
  return out;
}

export async function run(args: string[], io: CommandIO): Promise<number> {
  const parsed = parseArgs(args);
  if (typeof parsed === 'string') {
    if (parsed === '') {
      io.stdout(USAGE);
      return 0;
    }
    io.stderr(`kube-forensics inspect goroutines: ${parsed}\n${USAGE}`);
    return 2;
  }
  let current: Awaited<ReturnType<typeof readDump>>;
  let base: { file: string; dump: GoroutineDumpSummary; groups: GoroutineGroup[] } | null = null;
  try {
    current = await readDump(parsed.file);
    if (parsed.base !== undefined) base = { file: parsed.base, ...(await readDump(parsed.base)) };
  } catch (e) {
    io.stderr(`kube-forensics inspect goroutines: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
  const analysis = analyzeGoroutines(current.groups, { version: parsed.version, base: base?.groups });
  if (parsed.json) io.stdout(`${JSON.stringify(toJson(parsed.file, current.dump, analysis, base), null, 2)}\n`);
  else io.stdout(toText(parsed.file, current.dump, analysis, base, parsed.all, parsed.version));
  // Not a goroutine dump at all: say so through the exit code too.
  return current.dump.records === 0 ? 1 : 0;
}
