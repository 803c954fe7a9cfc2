import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AuditLineReader, linePreview } from './lines';
import type { AuditEvent } from './event';
import { parseMicroTime } from './event';

const FIXTURE = path.resolve(__dirname, '../../testdata/audit/v1.20.2/catchall-requestresponse.jsonl.gz');
const raw = gunzipSync(readFileSync(FIXTURE));
const text = raw.toString('utf8');
const realLines = text.split('\n').filter((l) => l !== '');

function readAll(input: Array<Uint8Array | string>, opts = {}) {
  const events: Array<{ e: AuditEvent; bytes: number; line: number }> = [];
  const r = new AuditLineReader((e, bytes, line) => events.push({ e, bytes, line }), opts);
  for (const c of input) r.write(c);
  const damage = r.end();
  return { events, damage, reader: r };
}

describe('AuditLineReader on a real kube-apiserver 1.20.2 log', () => {
  it('reads every line, and bytes add up to the file size', () => {
    const { events, damage } = readAll([raw]);
    expect(damage.count).toBe(0);
    expect(events).toHaveLength(realLines.length);
    expect(events.reduce((s, x) => s + x.bytes, 0)).toBe(raw.length);
    const first = events[0]!.e;
    expect(first).toMatchObject({ apiVersion: 'audit.k8s.io/v1', level: 'RequestResponse', stage: 'RequestReceived', verb: 'get', requestURI: '/readyz' });
    expect(first.user.groups).toContain('system:masters');
  });

  it('gives the same result for any chunking, string or bytes', () => {
    const whole = readAll([raw]).events.map((x) => [x.line, x.bytes, x.e.auditID]);
    fc.assert(fc.property(fc.array(fc.integer({ min: 1, max: raw.length - 1 }), { maxLength: 12 }), fc.boolean(), (cuts, asString) => {
      const points = [0, ...[...new Set(cuts)].sort((a, b) => a - b), raw.length];
      const chunks = points.slice(1).map((p, i) => raw.subarray(points[i]!, p));
      // Strings cut at arbitrary byte offsets would split UTF-8 sequences: the fixture is ASCII.
      const input = asString ? chunks.map((c) => c.toString('latin1')) : chunks;
      const got = readAll(input).events.map((x) => [x.line, x.bytes, x.e.auditID]);
      expect(got).toEqual(whole);
    }), { numRuns: 8 });
  });

  it('parses microsecond timestamps', () => {
    expect(parseMicroTime('2026-11-23T04:38:49.536322Z')).toBe(Date.parse('2026-11-23T04:38:49Z') * 1000 + 536322);
    expect(parseMicroTime('2026-11-23T04:38:49Z')).toBe(Date.parse('2026-11-23T04:38:49Z') * 1000);
    expect(parseMicroTime('2026-11-23T06:38:49.5+02:00')).toBe(Date.parse('2026-11-23T04:38:49Z') * 1000 + 500000);
    expect(parseMicroTime('yesterday')).toBeNaN();
  });
});

describe('damaged lines (a full disk cuts writes short)', () => {
  const a = realLines[10]!;
  const b = realLines[11]!;
  const c = realLines[12]!;

  it('a cut event followed by the next one on the same line: damaged, the tail recovered', () => {
    const cut = a.slice(0, Math.floor(a.length / 2));
    const { events, damage } = readAll([`${realLines[0]}\n${cut}${b}\n${c}\n`]);
    expect(events.map((x) => x.line)).toEqual([1, 2, 3]);
    expect(events[1]!.e.auditID).toBe(JSON.parse(b).auditID);
    expect(events[1]!.bytes).toBe(b.length + 1);
    expect(damage.count).toBe(1);
    expect(damage.recovered).toBe(1);
    expect(damage.first[0]).toMatchObject({ line: 2, kind: 'truncated', bytes: cut.length });
    expect(damage.first[0]!.message).toContain('partial write');
  });

  it('a line cut short in the middle of the file, and one at the very end', () => {
    const { events, damage } = readAll([`${a}\n${b.slice(0, 200)}\n${c}\n${a.slice(0, 99)}`]);
    expect(events.map((x) => x.line)).toEqual([1, 3]);
    expect(damage).toMatchObject({ count: 2, cutAtEnd: true, byKind: { truncated: 2, 'not-json': 0, 'not-event': 0, 'too-long': 0 } });
    expect(damage.first.map((d) => d.line)).toEqual([2, 4]);
    expect(damage.first[1]!.message).toContain('at the end of the input');
  });

  it('NUL blocks, garbage, JSON that is not an event, legacy format: reported, never thrown', () => {
    const input = [
      '\u0000\u0000\u0000\u0000',
      'hello world',
      '{"kind":"Pod","apiVersion":"v1"}',
      '2019-01-01T00:00:00Z AUDIT: id="x" stage="ResponseComplete" ip="1.2.3.4" method="get" user="admin"',
      '{"kind":"Event","apiVersion":"audit.k8s.io/v2","stage":"ResponseComplete","level":"Metadata","user":{}}',
      b,
    ].join('\n');
    const { events, damage } = readAll([input]);
    expect(events).toHaveLength(1);
    expect(damage.first.map((d) => [d.line, d.kind])).toEqual([[1, 'not-json'], [2, 'not-json'], [3, 'not-event'], [4, 'not-json'], [5, 'not-event']]);
    expect(damage.first[0]!.message).toContain('NUL bytes');
    expect(damage.first[3]!.message).toContain('legacy');
    expect(damage.first[4]!.message).toContain('unsupported audit apiVersion');
  });

  it('caps line length: an oversized line is skipped and counted with its size', () => {
    const big = `{"kind":"Event","apiVersion":"audit.k8s.io/v1","pad":"${'z'.repeat(5000)}"}`;
    const chunks = [a.slice(0, 50), `${a.slice(50)}\n${big.slice(0, 1000)}`, big.slice(1000), `\n${b}\n`];
    const { events, damage } = readAll(chunks, { maxLineBytes: 4096 });
    expect(events.map((x) => x.line)).toEqual([1, 3]);
    expect(damage.first[0]).toMatchObject({ line: 2, kind: 'too-long', bytes: big.length + 1 });
  });

  it('keeps only the first damaged lines but counts all', () => {
    const { damage } = readAll([Array.from({ length: 50 }, () => 'x').join('\n')], { maxDamaged: 3 });
    expect(damage.count).toBe(50);
    expect(damage.first).toHaveLength(3);
  });

  it('previews stop before any body', () => {
    const secretLine = realLines.find((l) => l.includes('"resource":"secrets"') && l.includes('"requestObject"'))!;
    const p = linePreview(secretLine, 10_000);
    expect(p).not.toContain('requestObject');
    expect(p.endsWith('…')).toBe(true);
  });
});
