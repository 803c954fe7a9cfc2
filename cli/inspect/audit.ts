// `kube-forensics inspect audit FILE [--policy POLICY] [--json] [--top N] [--object RESOURCE[.GROUP]/NAME [-n NS]]`
// Reads a kube-apiserver JSON audit log (plain or gzip, `-` for stdin) as a stream, in bounded
// memory: volume per hour, top users / user agents / verbs / resources / namespaces / source IPs by
// count and bytes, latency, errors with their messages, damaged lines (a full disk leaves cut
// events), and with --policy the policy analysis: rule shares, risks, disk per day and the saving of
// the suggested policy. Bodies never appear, except redacted write requests in --object results.
import { readFile } from 'node:fs/promises';
import type { CommandIO } from '../io';
import { readAuditFile } from '../audit-stream';
import type { AuditReadResult } from '../audit-stream';
import { AuditAnalyzer } from '../../lib/audit/analyze';
import type { AuditSummary, ObjectQuery, TopPair } from '../../lib/audit/analyze';
import { PolicyError } from '../../lib/audit/policy';
import { policyAnalyzer } from '../../lib/audit/policy-analyze';
import type { PolicyAnalysis, PolicyAnalyzer } from '../../lib/audit/policy-analyze';
import { formatBytes, formatPercent } from '../../lib/format/bytes';
import { formatCount } from '../../lib/format/number';

const USAGE = 'usage: kube-forensics inspect audit FILE [--policy POLICY] [--json] [--top N] [--object RESOURCE[.GROUP]/NAME [-n NAMESPACE]] [--max-line-bytes N]\n';

interface Options {
  file: string;
  policy: string | undefined;
  json: boolean;
  top: number;
  object: ObjectQuery | undefined;
  namespace: string | undefined;
  maxLine: number | undefined;
}

export function parseObject(spec: string): ObjectQuery | string {
  const slash = spec.indexOf('/');
  const kind = slash < 0 ? spec : spec.slice(0, slash);
  const name = slash < 0 ? undefined : spec.slice(slash + 1);
  if (kind === '' || name === '') return `--object wants RESOURCE[.GROUP]/NAME (e.g. configmaps/app-config, leases.coordination.k8s.io/kube-scheduler), got ${spec}`;
  const dot = kind.indexOf('.');
  return dot < 0 ? { resource: kind, apiGroup: undefined, name } : { resource: kind.slice(0, dot), apiGroup: kind.slice(dot + 1), name };
}

function parseArgs(args: string[]): Options | string {
  const o: Options = { file: '', policy: undefined, json: false, top: 10, object: undefined, namespace: undefined, maxLine: undefined };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const eq = a.indexOf('=');
    const name = a.startsWith('--') && eq > 0 ? a.slice(0, eq) : a;
    const value = () => (eq > 0 && a.startsWith('--') ? a.slice(eq + 1) : args[++i]);
    if (name === '--json') o.json = true;
    else if (['--policy', '--top', '--object', '-n', '--namespace', '--max-line-bytes'].includes(name)) {
      const v = value();
      if (v === undefined || v === '') return `${name} needs a value`;
      if (name === '--policy') o.policy = v;
      else if (name === '-n' || name === '--namespace') o.namespace = v;
      else if (name === '--object') {
        const q = parseObject(v);
        if (typeof q === 'string') return q;
        o.object = q;
      } else {
        const n = Number(v);
        if (!Number.isInteger(n) || n < 1) return `${name} wants a positive integer, got ${v}`;
        if (name === '--top') o.top = Math.min(n, 1000);
        else o.maxLine = n;
      }
    } else if (name === '-h' || name === '--help') return '';
    else if (a.startsWith('-') && a !== '-') return `unknown option ${a}`;
    else if (o.file === '') o.file = a;
    else return `unexpected argument ${a}`;
  }
  if (o.object && o.namespace !== undefined) o.object = { ...o.object, namespace: o.namespace };
  return o.file === '' ? 'missing FILE' : o;
}

const flat = (p: TopPair) => ({
  byCount: p.byCount.entries, byBytes: p.byBytes.entries, other: p.byCount.other, distinct: p.byCount.distinct, approximate: p.byCount.approximate,
});

function toJson(file: string, r: AuditReadResult, s: AuditSummary, policy: PolicyAnalysis | null) {
  return {
    file, gzip: r.gzip, lines: r.lines, events: s.events, bytes: s.bytes, requests: s.requests, from: s.from, to: s.to, seconds: s.seconds,
    stages: s.stages, levels: s.levels, perHour: s.perHour,
    byUser: flat(s.byUser), byUserAgent: flat(s.byUserAgent), byVerb: flat(s.byVerb), byResource: flat(s.byResource),
    byNamespace: flat(s.byNamespace), bySourceIP: flat(s.bySourceIP),
    latency: s.latency,
    errors: s.errors, errorsByCode: s.errorsByCode, errorsPerMinute: s.errorsPerMinute,
    damagedLines: r.damage,
    ...(s.touches ? { touches: s.touches } : {}),
    ...(policy ? { policy } : {}),
  };
}

const ms = (us: number) => (us >= 1e6 ? `${(us / 1e6).toFixed(us >= 1e7 ? 0 : 1)} s` : us >= 1000 ? `${(us / 1000).toFixed(us >= 1e5 ? 0 : 1)} ms` : `${Math.round(us)} µs`);
const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

/** A left-aligned first column and right-aligned numeric columns. */
function table(head: string[], rows: string[][], indent = '  '): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => indent + cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd() + '\n';
  return line(head) + rows.map(line).join('');
}

function topSection(title: string, p: TopPair, total: { events: number; bytes: number }, n: number): string {
  const rows = p.byCount.entries.slice(0, n).map((e) => [clip(e.key, 72), formatCount(e.count), formatPercent(total.events ? e.count / total.events : 0), formatBytes(e.bytes), formatPercent(total.bytes ? e.bytes / total.bytes : 0)]);
  if (p.byCount.other.count > 0) rows.push([`(${formatCount(p.byCount.other.keys)} more)`, formatCount(p.byCount.other.count), formatPercent(p.byCount.other.count / total.events), formatBytes(p.byCount.other.bytes), formatPercent(total.bytes ? p.byCount.other.bytes / total.bytes : 0)]);
  const byBytes = p.byBytes.entries[0];
  const note = byBytes && p.byCount.entries[0] && byBytes.key !== p.byCount.entries[0].key ? `  most bytes: ${clip(byBytes.key, 72)} (${formatBytes(byBytes.bytes)})\n` : '';
  return `\n${title}${p.byCount.approximate ? ' (approximate: too many distinct keys)' : ''}:\n${table([title.toUpperCase().replace(/^TOP /, ''), 'EVENTS', '%', 'BYTES', '%'], rows)}${note}`;
}

function toText(file: string, r: AuditReadResult, s: AuditSummary, policy: PolicyAnalysis | null, top: number): string {
  let out = `${file}: ${formatCount(s.events)} events (${formatCount(s.requests)} requests), ${formatBytes(s.bytes)}${r.gzip ? ' (gzip)' : ''}`;
  out += s.from ? `, ${s.from} → ${s.to} (${s.seconds.toFixed(0)} s)\n` : '\n';
  const stages = Object.entries(s.stages).filter(([, v]) => v.count > 0).map(([k, v]) => `${k} ${formatCount(v.count)}`).join(', ');
  out += `stages: ${stages || 'none'}\n`;
  if (s.stages.RequestReceived.count > 0 && s.events > 0) {
    out += `  RequestReceived is ${formatPercent(s.stages.RequestReceived.count / s.events)} of events: each request is logged twice (omitStages: [RequestReceived] avoids it)\n`;
  }
  const levels = Object.entries(s.levels).filter(([, v]) => v.count > 0).map(([k, v]) => `${k} ${formatCount(v.count)} (${formatBytes(v.bytes)})`).join(', ');
  out += `levels: ${levels || 'none'}\n`;
  const d = r.damage;
  if (d.count === 0) out += 'damaged lines: none\n';
  else {
    out += `damaged lines: ${formatCount(d.count)} (${Object.entries(d.byKind).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}`).join(', ')}${d.recovered ? `; ${d.recovered} events recovered after a cut` : ''})${d.cutAtEnd ? '; the input ends inside an event' : ''}\n`;
    for (const l of d.first.slice(0, 5)) out += `  line ${l.line}: ${l.message}\n    ${clip(l.preview, 120)}\n`;
    if (d.count > 5) out += `  … ${d.count - 5} more (--json lists the first ${d.first.length})\n`;
  }

  if (s.perHour.length > 0) {
    out += `\nper hour:\n${table(['HOUR (UTC)', 'EVENTS', 'BYTES'], s.perHour.slice(-48).map((h) => [h.hour.slice(0, 13).replace('T', ' ') + ':00', formatCount(h.events), formatBytes(h.bytes)]))}`;
    if (s.perHour.length > 48) out += `  (last 48 of ${s.perHour.length} hours)\n`;
  }
  const total = { events: s.events, bytes: s.bytes };
  out += topSection('top user agents', s.byUserAgent, total, top);
  out += topSection('top users', s.byUser, total, top);
  out += topSection('top verbs', s.byVerb, total, top);
  out += topSection('top resources', s.byResource, total, top);
  out += topSection('top namespaces', s.byNamespace, total, top);
  out += topSection('top source IPs', s.bySourceIP, total, top);

  const L = s.latency;
  if (L.overall.count > 0) {
    const row = (k: string, x: typeof L.overall) => [clip(k, 60), formatCount(x.count), ms(x.p50), ms(x.p99), ms(x.max)];
    out += `\nlatency (ResponseComplete, stageTimestamp − requestReceivedTimestamp):\n${table(['VERB', 'REQUESTS', 'P50', 'P99', 'MAX'], [row('(all)', L.overall), ...L.byVerb.slice(0, top).map((x) => row(x.key, x))])}`;
    const slow = [...L.byResource].sort((a, b) => b.p99 - a.p99).slice(0, top);
    out += `\n${table(['RESOURCE (slowest p99)', 'REQUESTS', 'P50', 'P99', 'MAX'], slow.map((x) => row(x.key, x)))}`;
  }

  out += '\nerrors (code >= 400):';
  if (s.errors.length === 0) out += ' none\n';
  else {
    out += ` ${s.errorsByCode.map((e) => `${e.code} × ${formatCount(e.count)}`).join(', ')}\n`;
    out += table(['CODE', 'COUNT', 'LAST', 'MESSAGE'], []).replace(/\n$/, '\n');
    for (const e of s.errors.slice(0, top * 2)) out += `  ${String(e.code).padEnd(4)}  ${formatCount(e.count).padStart(5)}  ${e.last.slice(0, 19).replace('T', ' ')}  ${clip((e.count > 1 ? e.pattern : e.message) || '(no message: below RequestResponse level only the code is logged)', 100)}\n`;
  }

  if (s.touches) {
    const q = s.touches.query;
    out += `\nwho touched ${q.resource}${q.apiGroup ? `.${q.apiGroup}` : ''}/${q.name ?? '*'}${q.namespace !== undefined ? ` in ${q.namespace || '(cluster scope)'}` : ''}: ${formatCount(s.touches.total)} requests${s.touches.total > s.touches.latest.length ? ` (latest ${s.touches.latest.length})` : ''}\n`;
    for (const t of s.touches.latest) {
      out += `  ${t.time.slice(0, 23).replace('T', ' ')}  ${t.verb.padEnd(7)} ${String(t.code ?? '-').padEnd(3)}  ${t.user}  (${clip(t.userAgent || '-', 50)}, ${t.sourceIP || '-'})  ${t.namespace ? `${t.namespace}/` : ''}${t.name}\n`;
      if (t.request) out += `      request: ${clip(t.request, 200)}\n`;
    }
  }
  if (policy) out += policyText(policy);
  return out;
}

function perDay(b: number | null): string {
  return b === null ? '—' : `${formatBytes(b)}/day`;
}

export function policyText(p: PolicyAnalysis): string {
  let out = `\npolicy: sample of ${formatCount(p.sample.events)} events, ${formatBytes(p.sample.bytes)} over ${p.sample.seconds.toFixed(0)} s\n`;
  out += `  under this policy: ${formatBytes(p.current.bytes)} (${perDay(p.current.bytesPerDay)})\n`;
  out += `  everything at Metadata ${formatBytes(p.byLevel.Metadata)}, Request ${formatBytes(p.byLevel.Request)}, RequestResponse ${formatBytes(p.byLevel.RequestResponse)}\n`;
  out += `\n${table(['RULE', 'EVENTS', '%', 'BYTES', '%'], p.current.rules.map((r) => [clip(`${r.index}. ${r.description}`, 80), formatCount(r.events), formatPercent(r.eventShare), formatBytes(r.bytes), formatPercent(r.byteShare)]))}`;
  out += '\nrisks:';
  if (p.risks.length === 0) out += ' none\n';
  else {
    out += '\n';
    for (const r of p.risks) out += `  [${r.severity}] ${r.title}\n      ${r.detail}\n`;
  }
  const s = p.suggested;
  out += `\nsuggested policy: ${formatBytes(s.bytes)} (${perDay(s.bytesPerDay)}), saving ${formatBytes(s.savingBytes)} (${formatPercent(s.savingRatio)}${s.savingBytesPerDay !== null ? `, ${formatBytes(s.savingBytesPerDay)}/day` : ''})\n`;
  for (const n of p.notes) out += `  note: ${n}\n`;
  out += '  (--json has the suggested YAML and the diff)\n';
  return out;
}

export async function run(args: string[], io: CommandIO): Promise<number> {
  const parsed = parseArgs(args);
  if (typeof parsed === 'string') {
    if (parsed === '') { io.stdout(USAGE); return 0; }
    io.stderr(`kube-forensics inspect audit: ${parsed}\n${USAGE}`);
    return 2;
  }
  let policy: PolicyAnalyzer | null = null;
  if (parsed.policy !== undefined) {
    try {
      policy = policyAnalyzer(await readFile(parsed.policy, 'utf8'));
    } catch (e) {
      const msg = e instanceof PolicyError ? e.message : e instanceof Error ? e.message : String(e);
      io.stderr(`kube-forensics inspect audit: ${parsed.policy}: ${msg}\n`);
      return 1;
    }
  }
  const analyzer = new AuditAnalyzer({ topN: Math.max(parsed.top, 20), touches: parsed.object });
  let result: AuditReadResult;
  try {
    result = await readAuditFile(parsed.file, (e, bytes, line) => {
      analyzer.add(e, bytes, line);
      policy?.add(e, bytes);
    }, { maxLineBytes: parsed.maxLine });
  } catch (e) {
    io.stderr(`kube-forensics inspect audit: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
  const summary = analyzer.summary();
  const pa = policy ? policy.result() : null;
  if (parsed.json) io.stdout(`${JSON.stringify(toJson(parsed.file, result, summary, pa), null, 2)}\n`);
  else io.stdout(toText(parsed.file, result, summary, pa, parsed.top));
  if (summary.events === 0) {
    io.stderr(`kube-forensics inspect audit: ${parsed.file}: no audit events${result.damage.first[0] ? ` (line ${result.damage.first[0].line}: ${result.damage.first[0].message})` : ''}\n`);
    return 1;
  }
  return 0;
}
