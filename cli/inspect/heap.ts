// kube-forensics inspect heap FILE [--sample-index NAME] [--top N] [--cum] [--unit U] [--json] [--base OLDER_FILE]
//
// Reads a Go heap profile (profile.proto, gzip or raw: what /debug/pprof/heap serves) and prints
// the same table as `go tool pprof -top -sample_index=NAME FILE`. With --base, also the change per
// function since an older capture (pprof -diff_base semantics).
import fs from 'node:fs/promises';
import type { CommandIO } from '../io';
import { gunzipBounded } from '../gunzip';
import { DEFAULT_PROFILE_LIMITS, type Profile, isProfileParseError, parseProfile } from '../../lib/parse/pprof';
import { topTable } from '../../lib/analysis/profile';
import { formatTopText, scaledLabel } from '../../lib/analysis/profile-format';
import { type ProfileDiff, diffProfiles } from '../../lib/analysis/profile-diff';

const USAGE = `usage: kube-forensics inspect heap FILE [--sample-index NAME] [--top N] [--cum] [--unit UNIT] [--json] [--base OLDER_FILE]

  FILE               heap profile (profile.proto, gzip or raw), e.g. curl …/debug/pprof/heap > heap.pb.gz
  --sample-index     alloc_objects | alloc_space | inuse_objects | inuse_space (or an index);
                     default: the profile's default_sample_type, else the last type (inuse_space)
  --top N            print only the first N rows
  --cum              order by cum, the memory held under each function (pprof -cum); default: flat
  --unit UNIT        value unit in text output: minimum (default, like pprof), B, kB, MB, GB
  --json             machine-readable output (values in the sample type's raw unit)
  --base OLDER_FILE  also show the change per function since OLDER_FILE
`;

/** Input limits: file size (512 MiB) and decompressed size (256 MiB, gzip-bomb guard). Mutable for tests. */
export const HEAP_FILE_LIMITS = {
  maxFileBytes: DEFAULT_PROFILE_LIMITS.maxInputBytes, // 512 MiB
  maxDecompressedBytes: DEFAULT_PROFILE_LIMITS.maxDecompressedBytes, // 256 MiB
};

interface HeapArgs {
  file: string;
  sampleIndex?: string;
  top?: number;
  cum: boolean;
  unit?: string;
  json: boolean;
  base?: string;
}

class UsageError extends Error {}

function parseArgs(args: string[]): HeapArgs {
  const out: Partial<HeapArgs> & { json: boolean; cum: boolean } = { json: false, cum: false };
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const eq = a.startsWith('--') ? a.indexOf('=') : -1;
    const flag = eq > 0 ? a.slice(0, eq) : a;
    const value = (): string => {
      if (eq > 0) return a.slice(eq + 1);
      const v = args[++i];
      if (v === undefined) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--json': out.json = true; break;
      case '--cum': case '-cum': out.cum = true; break;
      case '--sample-index': case '--sample_index': out.sampleIndex = value(); break;
      case '--top': {
        const v = value();
        if (!/^\d+$/.test(v) || Number(v) < 1) throw new UsageError(`--top needs a positive integer, got ${JSON.stringify(v)}`);
        out.top = Number(v);
        break;
      }
      case '--unit': out.unit = value(); break;
      case '--base': out.base = value(); break;
      case '-h': case '--help': throw new UsageError('');
      default:
        if (a.startsWith('-') && a !== '-') throw new UsageError(`unknown option ${a}`);
        files.push(a);
    }
  }
  if (files.length !== 1) throw new UsageError(files.length === 0 ? 'missing FILE' : `expected one FILE, got ${files.length}`);
  return { ...out, file: files[0]! };
}

async function readProfile(file: string): Promise<Profile> {
  let size: number;
  try {
    size = (await fs.stat(file)).size;
  } catch (e) {
    throw new Error(`${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (size > HEAP_FILE_LIMITS.maxFileBytes) {
    throw new Error(`${file}: file is ${size} bytes; the limit is ${HEAP_FILE_LIMITS.maxFileBytes} bytes`);
  }
  const bytes = await fs.readFile(file);
  try {
    return await parseProfile(bytes, {
      gunzip: gunzipBounded,
      limits: { maxInputBytes: HEAP_FILE_LIMITS.maxFileBytes, maxDecompressedBytes: HEAP_FILE_LIMITS.maxDecompressedBytes },
    });
  } catch (e) {
    if (isProfileParseError(e)) throw new Error(`${file}: not a readable profile: ${e.message}`);
    throw e;
  }
}

export async function run(args: string[], io: CommandIO): Promise<number> {
  let opts: HeapArgs;
  try {
    opts = parseArgs(args);
  } catch (e) {
    if (e instanceof UsageError) {
      if (e.message) io.stderr(`kube-forensics inspect heap: ${e.message}\n`);
      io.stderr(USAGE);
      return e.message ? 2 : 0;
    }
    throw e;
  }
  try {
    const profile = await readProfile(opts.file);
    const base = opts.base !== undefined ? await readProfile(opts.base) : undefined;
    const table = topTable(profile, opts.sampleIndex, { nodeCount: opts.top, sort: opts.cum ? 'cum' : 'flat' });
    const sampleType = table.sampleType;
    const diff = base ? diffProfiles(base, profile, { sampleIndex: table.sampleIndex }) : undefined;
    if (opts.json) {
      const json = {
        file: opts.file,
        sampleTypes: profile.sampleTypes.map((t) => t.type),
        sampleIndex: sampleType.type,
        unit: sampleType.unit,
        total: table.total,
        shown: table.shownFlat,
        droppedNodes: table.droppedNodes,
        sort: table.sort,
        top: table.rows.map((r) => ({ function: r.function, flat: r.flat, cum: r.cum, flatPct: round2(r.flatPct), cumPct: round2(r.cumPct), ...(r.inline ? { inline: r.inline } : {}) })),
        ...(diff && opts.base !== undefined ? { diff: diffJson(diff, opts.base, opts.top) } : {}),
      };
      io.stdout(`${JSON.stringify(json, null, 2)}\n`);
      return 0;
    }
    io.stdout(formatTopText(profile, table, { unit: opts.unit }));
    if (diff && opts.base !== undefined) io.stdout(formatDiffText(diff, opts.base, opts.top, opts.unit));
    return 0;
  } catch (e) {
    io.stderr(`kube-forensics inspect heap: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
}

const round2 = (v: number): number => Math.round(v * 100) / 100;

function diffJson(diff: ProfileDiff, baseFile: string, top: number | undefined) {
  return {
    base: baseFile,
    sampleIndex: diff.sampleType.type,
    baseTotal: diff.baseTotal,
    newTotal: diff.newTotal,
    totalDelta: diff.totalDelta,
    rows: (top ? diff.rows.slice(0, top) : diff.rows).map((r) => ({ ...r })),
  };
}

function formatDiffText(diff: ProfileDiff, baseFile: string, top: number | undefined, unit = 'minimum'): string {
  const u = diff.sampleType.unit;
  const fmt = (v: number): string => (v > 0 ? '+' : '') + scaledLabel(v, u, unit === 'minimum' ? 'auto' : unit);
  const lines = [
    '',
    `Change since ${baseFile} (${diff.sampleType.type}): ${fmt(diff.totalDelta)} (${scaledLabel(diff.baseTotal, u, 'auto')} → ${scaledLabel(diff.newTotal, u, 'auto')})`,
    `${'flat Δ'.padStart(12)} ${'cum Δ'.padStart(12)}  ${'status'.padEnd(11)} function`,
  ];
  const rows = top ? diff.rows.slice(0, top) : diff.rows;
  for (const r of rows) lines.push(`${fmt(r.flatDelta).padStart(12)} ${fmt(r.cumDelta).padStart(12)}  ${r.status.padEnd(11)} ${r.function}`);
  if (rows.length < diff.rows.length) lines.push(`… ${diff.rows.length - rows.length} more changed functions`);
  return `${lines.join('\n')}\n`;
}
