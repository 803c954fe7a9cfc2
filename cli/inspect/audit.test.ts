import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryIO } from '../io';
import { main } from '../main';
import { parseObject, run } from './audit';
import { readAuditFile } from '../audit-stream';

const dir = path.resolve(__dirname, '../../testdata/audit/v1.20.2');
const LOG = path.join(dir, 'catchall-requestresponse.jsonl.gz');
const POLICY = path.join(dir, 'catchall-policy.yaml');
const raw = gunzipSync(readFileSync(LOG));
const lines = raw.toString('utf8').split('\n').filter(Boolean);
const tmp = mkdtempSync(path.join(tmpdir(), 'kf-audit-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const SECRETS = ['hunter2-do-not-print', 'sk_live_fixture_4242'].flatMap((s) => [s, Buffer.from(s).toString('base64')]);

interface Json {
  events: number; bytes: number; gzip: boolean;
  byUserAgent: { byCount: Array<{ key: string; count: number; bytes: number }>; byBytes: Array<{ key: string; bytes: number }> };
  byUser: { byCount: Array<{ key: string }> }; byVerb: unknown; byResource: unknown; perHour: unknown[]; latency: { overall: { count: number } };
  errors: Array<{ code: number; message: string; count: number }>;
  damagedLines: { count: number; recovered: number; first: Array<{ line: number; kind: string }> };
  policy?: { risks: Array<{ id: string }>; suggested: { savingBytes: number; yaml: string } };
  touches?: { total: number; latest: Array<{ verb: string; request: string | null }> };
}

describe('inspect audit', () => {
  it('--json: totals, top lists, errors, latency, damaged lines, policy', async () => {
    const io = memoryIO();
    expect(await run([LOG, '--json', '--policy', POLICY], io)).toBe(0);
    expect(io.err).toBe('');
    const j = JSON.parse(io.out) as Json;
    expect(j).toMatchObject({ events: lines.length, bytes: raw.length, gzip: true });
    for (const k of ['byUser', 'byUserAgent', 'byVerb', 'byResource', 'perHour', 'latency', 'errors', 'damagedLines', 'policy'] as const) expect(j[k], k).toBeDefined();
    expect(j.damagedLines.count).toBe(0);
    expect(j.errors.find((e) => e.code === 500)).toMatchObject({ message: 'etcdserver: mvcc: database space exceeded', count: 3 });
    expect(j.policy!.risks[0]!.id).toBe('catch-all-request-response');
    expect(j.policy!.suggested.savingBytes).toBeGreaterThan(0);
    expect(j.policy!.suggested.yaml).toContain('kind: Policy');
    for (const s of SECRETS) expect(io.out).not.toContain(s);
  });

  it('text: aligned sections, with the NOSPACE message and the policy review', async () => {
    const io = memoryIO();
    expect(await run([LOG, '--policy', POLICY, '--top', '5'], io)).toBe(0);
    const out = io.out;
    const order = ['events (', 'stages:', 'damaged lines: none', 'per hour:', 'top user agents:', 'top users:', 'top verbs:', 'top resources:', 'latency', 'errors (code >= 400):', 'policy: sample of', 'risks:', '[critical] Rule 0 logs every request at RequestResponse', 'suggested policy:'];
    let at = -1;
    for (const s of order) {
      const i = out.indexOf(s, at + 1);
      expect(i, s).toBeGreaterThan(at);
      at = i;
    }
    expect(out).toMatch(/500\s+3\s+\S+ \S+\s+etcdserver: mvcc: database space exceeded/);
    // Columns line up: every row of the user-agent table ends its EVENTS column at the same place.
    const table = out.slice(out.indexOf('top user agents:')).split('\n').slice(1, 7);
    const ends = table.map((l) => /^(.*?\s)(\d[\d,]*)\s/.exec(l.slice(2))).filter(Boolean).map((m) => m!.index + m![1]!.length + m![2]!.length);
    expect(new Set(ends).size).toBe(1);
    for (const s of SECRETS) expect(out).not.toContain(s);
  });

  it('reads a plain (not gzip) file; parses --object specs', async () => {
    const plain = path.join(tmp, 'audit.log');
    writeFileSync(plain, raw);
    const io = memoryIO();
    expect(await run([plain, '--json'], io)).toBe(0);
    expect((JSON.parse(io.out) as Json).gzip).toBe(false);
    expect(parseObject('leases.coordination.k8s.io/kube-scheduler')).toEqual({ resource: 'leases', apiGroup: 'coordination.k8s.io', name: 'kube-scheduler' });
    expect(parseObject('/x')).toMatch(/RESOURCE/);
  });

  it('damaged lines from a full disk: counted with line numbers, the file still analyzed', async () => {
    const a = lines[100]!;
    const b = lines[101]!;
    const text = [...lines.slice(0, 100), a.slice(0, 300) + b, ...lines.slice(102, 200), lines[200]!.slice(0, 150), ...lines.slice(201, 300), lines[300]!.slice(0, 77)].join('\n');
    const f = path.join(tmp, 'enospc.log.gz');
    writeFileSync(f, gzipSync(text));
    const io = memoryIO();
    expect(await run([f, '--json'], io)).toBe(0);
    const j = JSON.parse(io.out) as Json;
    expect(j.damagedLines.count).toBe(3);
    expect(j.damagedLines.recovered).toBe(1);
    expect(j.damagedLines.first.map((d) => d.line)).toEqual([101, 200, 300]);
    expect(j.events).toBe(100 + 1 + 98 + 99);
    const t = memoryIO();
    await run([f], t);
    expect(t.out).toMatch(/damaged lines: 3 \(truncated 3; 1 events recovered after a cut\); the input ends inside an event/);
    expect(t.out).toContain('line 101: event cut after 300 bytes');
  });

  it('--object: who touched the secret, bodies redacted', async () => {
    const io = memoryIO();
    expect(await run([LOG, '--json', '--object', 'secrets/db-credentials', '-n', 'audit-demo'], io)).toBe(0);
    const j = JSON.parse(io.out) as Json;
    expect(j.touches!.latest.map((t) => t.verb)).toEqual(expect.arrayContaining(['create', 'get', 'patch', 'delete']));
    expect(j.touches!.latest.find((t) => t.verb === 'patch')!.request).toContain('redacted');
    for (const s of SECRETS) expect(io.out).not.toContain(s);
  });

  it('errors: bad policy, missing file, gzip bomb guard, not an audit log, usage', async () => {
    const bad = path.join(tmp, 'bad.yaml');
    writeFileSync(bad, 'apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: Loud\n');
    let io = memoryIO();
    expect(await run([LOG, '--policy', bad], io)).toBe(1);
    expect(io.err).toContain('bad.yaml: not an audit Policy: rules.0.level');
    io = memoryIO();
    expect(await run([path.join(tmp, 'nope.log')], io)).toBe(1);
    expect(io.err).toContain('nope.log');
    const notAudit = path.join(tmp, 'pods.json');
    writeFileSync(notAudit, '{"kind":"Pod"}\n');
    io = memoryIO();
    expect(await run([notAudit], io)).toBe(1);
    expect(io.err).toMatch(/no audit events \(line 1: not an audit event/);
    const corrupt = path.join(tmp, 'corrupt.gz');
    writeFileSync(corrupt, Buffer.concat([gzipSync(raw).subarray(0, 5000), Buffer.from('garbage')]));
    io = memoryIO();
    expect(await run([corrupt], io)).toBe(1);
    expect(io.err).toContain('corrupt gzip stream');
    io = memoryIO();
    expect(await run([], io)).toBe(2);
    expect(io.err).toContain('missing FILE');
    io = memoryIO();
    expect(await run([LOG, '--top', 'x'], io)).toBe(2);
  });

  it('refuses to inflate a gzip past the decompressed-size cap', async () => {
    await expect(readAuditFile(LOG, () => undefined, { maxDecompressedBytes: 100_000 })).rejects.toThrow(/decompressed size exceeds the limit of 100000 bytes/);
  });

  it('is wired into the main command', async () => {
    const io = memoryIO();
    expect(await main(['inspect', 'audit', LOG, '--json'], io)).toBe(0);
    expect((JSON.parse(io.out) as Json).events).toBe(lines.length);
    const help = memoryIO();
    await main(['--help'], help);
    expect(help.out).toContain('inspect audit FILE');
  });
});
