// `kube-forensics inspect events FILE [--json] [--top N] [--latest N]`
// Reads `kubectl get events -A -o json` (core/v1 or events.k8s.io/v1), a JSON array, or JSON lines
// (a bundle's events.jsonl, `kubectl get events -w -o json`), gzipped or not, or `-` for stdin; prints
// a deduplicated summary: counts by type and reason, known storms, the busiest objects, first/last,
// and the latest events. Messages of events about Secrets are masked (lib/events/redact).
import { readFile } from 'node:fs/promises';
import type { CommandIO } from '../io';
import { gunzipBounded } from '../gunzip';
import { EventsInputError, parseEventsInput, summarizeEvents, type EventsSummary } from '../../lib/events/summary';
import { formatDuration } from '../../lib/format/duration';

const USAGE = 'usage: kube-forensics inspect events FILE [--json] [--top N] [--latest N]\n';
const MAX_BYTES = 1024 ** 3;

interface Options { file: string; json: boolean; top: number; latest: number }

function parseArgs(args: string[]): Options | string {
  const o: Options = { file: '', json: false, top: 10, latest: 20 };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const eq = a.indexOf('=');
    const name = a.startsWith('--') && eq > 0 ? a.slice(0, eq) : a;
    if (name === '--json') o.json = true;
    else if (name === '--top' || name === '--latest') {
      const v = Number(eq > 0 && a.startsWith('--') ? a.slice(eq + 1) : args[++i]);
      if (!Number.isInteger(v) || v < 0) return `${name} needs a whole number`;
      if (name === '--top') o.top = v; else o.latest = v;
    } else if (name === '-h' || name === '--help') return '';
    else if (a.startsWith('--')) return `unknown option ${a}`;
    else if (o.file === '') o.file = a;
    else return `unexpected argument ${a}`;
  }
  return o.file === '' ? 'missing FILE' : o;
}

async function readInput(file: string): Promise<string> {
  let bytes: Uint8Array;
  if (file === '-') {
    const chunks: Buffer[] = [];
    let n = 0;
    for await (const c of process.stdin) { chunks.push(c as Buffer); n += (c as Buffer).length; if (n > MAX_BYTES) throw new Error('stdin is larger than 1 GiB'); }
    bytes = Buffer.concat(chunks);
  } else {
    bytes = await readFile(file);
    if (bytes.length > MAX_BYTES) throw new Error(`${file} is larger than 1 GiB`);
  }
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try { bytes = await gunzipBounded(bytes, MAX_BYTES); } catch (e) { throw new Error(`${file}: cannot gunzip (${e instanceof Error ? e.message.replace('profile', 'file') : String(e)})`); }
  }
  return Buffer.from(bytes).toString('utf8');
}

const utc = (t: number) => `${new Date(t).toISOString().replace('T', ' ').slice(0, 19)} UTC`;
const clock = (t: number) => new Date(t).toISOString().slice(11, 16);
const pad = (s: string | number, n: number) => String(s).padStart(n);
const cut = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
const objectName = (o: { kind: string; namespace: string; name: string }) => `${o.kind}/${o.namespace ? `${o.namespace}/` : ''}${o.name}`;

function text(file: string, s: EventsSummary, o: Options): string {
  const out: string[] = [];
  const apis = Object.entries(s.apis).map(([a, n]) => `${a} ${n}`).join(', ');
  out.push(`${file}: ${s.total} events${apis ? ` (${apis})` : ''}; ${s.duplicates} duplicate${s.duplicates === 1 ? '' : 's'} merged by uid${s.invalid ? `; ${s.invalid} items without a uid skipped` : ''}`);
  if (s.first !== null && s.last !== null) out.push(`first ${utc(s.first)} · last ${utc(s.last)} (${formatDuration(s.last - s.first)})`);
  if (!s.total) return `${out.join('\n')}\n`;
  out.push('', `by type: ${s.byType.map((t) => `${t.type} ${t.events} (${t.occurrences} occurrences)`).join(' · ')}`);
  out.push('', 'by reason:', '  events  occurrences  type     reason');
  for (const r of s.byReason) out.push(`  ${pad(r.events, 6)}  ${pad(r.occurrences, 11)}  ${r.type.padEnd(7)}  ${r.reason}`);
  out.push('', `storms:${s.storms.length ? '' : ' none'}`);
  for (const st of s.storms) {
    out.push(`  [${st.severity}] ${st.title}: ${st.objects} objects, ${st.events} ${st.reason} events, ${utc(st.from)}–${clock(st.to)} (peak ${st.peak}; threshold ${st.threshold})`);
    out.push(`      ${st.explanation}`, `      next: ${st.next}`);
  }
  if (o.top > 0) {
    out.push('', `top objects (by events):`, '  events  warnings  occurrences  object  [reasons]');
    for (const g of s.topObjects.slice(0, o.top)) out.push(`  ${pad(g.events, 6)}  ${pad(g.warnings, 8)}  ${pad(g.occurrences, 11)}  ${objectName(g)}  [${g.reasons.join(', ')}]`);
  }
  if (o.latest > 0) {
    out.push('', `latest ${Math.min(o.latest, s.total)} (newest last):`);
    for (const e of s.events.slice(-o.latest)) out.push(`  ${utc(e.lastTimestamp)}  ${e.type.padEnd(7)}  ${cut(e.reason, 24).padEnd(24)}  ${cut(objectName(e.object), 48).padEnd(48)}  ×${e.count}  ${cut(e.message.replace(/\s+/g, ' '), 120)}`);
  }
  return `${out.join('\n')}\n`;
}

export async function run(args: string[], io: CommandIO): Promise<number> {
  const o = parseArgs(args);
  if (typeof o === 'string') { if (o) io.stderr(`kube-forensics inspect events: ${o}\n`); io.stderr(USAGE); return o ? 2 : 0; }
  let summary: EventsSummary;
  try {
    summary = summarizeEvents(parseEventsInput(await readInput(o.file)), { topObjects: Math.max(o.top, 10) });
  } catch (e) {
    io.stderr(`kube-forensics inspect events: ${e instanceof EventsInputError ? `${o.file}: ` : ''}${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
  if (o.json) io.stdout(`${JSON.stringify({ file: o.file, ...summary, topObjects: summary.topObjects.slice(0, o.top) }, null, 2)}\n`);
  else io.stdout(text(o.file, summary, o));
  return 0;
}
