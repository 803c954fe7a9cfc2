import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { AuditLineReader } from './lines';
import { policyAnalyzer } from './policy-analyze';
import { SUGGESTED_POLICY } from './suggested-policy';

const dir = path.resolve(__dirname, '../../testdata/audit/v1.20.2');
const raw = gunzipSync(readFileSync(path.join(dir, 'catchall-requestresponse.jsonl.gz')));
const catchAll = readFileSync(path.join(dir, 'catchall-policy.yaml'), 'utf8');

function run(policyText: string, input: Uint8Array | string = raw) {
  const pa = policyAnalyzer(policyText);
  const r = new AuditLineReader((e, b) => pa.add(e, b));
  r.write(input);
  r.end();
  return pa.result();
}

describe('policy analyzer on the real catch-all log', () => {
  const a = run(catchAll);

  it('the catch-all rule produces everything, and the estimate equals the real size', () => {
    expect(a.current.rules).toHaveLength(1);
    expect(a.current.rules[0]).toMatchObject({ events: a.sample.events, bytes: raw.length, eventShare: 1, byteShare: 1 });
    expect(a.current.bytes).toBe(raw.length);
    expect(a.current.bytesPerDay).toBeCloseTo((raw.length / a.sample.seconds) * 86_400, 0);
  });

  it('flags the catch-all, the RequestReceived stage, secret bodies and the missing None rules', () => {
    const ids = a.risks.map((r) => r.id);
    expect(ids[0]).toBe('catch-all-request-response');
    expect(ids).toEqual(expect.arrayContaining(['request-received-logged', 'bodies-secrets', 'bodies-tokenreviews', 'bodies-configmaps', 'noise-not-dropped']));
    expect(a.risks.find((r) => r.id === 'catch-all-request-response')!.detail).toContain('Secret');
    expect(a.risks.find((r) => r.id === 'request-received-logged')!.sample!.events).toBeGreaterThan(1000);
  });

  it('the suggested policy saves most of the bytes; Metadata < Request < RequestResponse', () => {
    expect(a.suggested.savingBytes).toBeGreaterThan(0);
    expect(a.suggested.savingRatio).toBeGreaterThan(0.8);
    expect(a.suggested.bytes + a.suggested.savingBytes).toBe(a.current.bytes);
    expect(a.suggested.savingBytesPerDay).toBeGreaterThan(0);
    expect(a.byLevel.Metadata).toBeLessThan(a.byLevel.Request);
    expect(a.byLevel.Request).toBeLessThan(a.byLevel.RequestResponse);
    expect(a.suggested.yaml).toBe(SUGGESTED_POLICY);
    expect(a.diff.some((d) => d.op === '-' && d.text === '- level: RequestResponse')).toBe(true);
    expect(a.diff.some((d) => d.op === '+' && d.text.includes('RequestReceived'))).toBe(true);
  });

  it('the suggested policy reviewed on the same sample has no critical risk', () => {
    const b = run(SUGGESTED_POLICY);
    expect(b.risks.filter((r) => r.severity === 'critical')).toEqual([]);
    expect(b.risks.map((r) => r.id)).not.toContain('noise-not-dropped');
    expect(b.current.bytes).toBe(a.suggested.bytes);
  });

  it('estimates a Metadata-level event to the byte for ASCII bodies', () => {
    const lines = raw.toString('utf8').split('\n').filter(Boolean);
    const line = lines.find((l) => l.includes('"stage":"ResponseComplete"') && l.includes('"requestObject"') && l.includes('"responseObject"') && l.includes('"resource":"configmaps"') && !/[<>&]/.test(l))!;
    const ev = JSON.parse(line);
    delete ev.requestObject;
    delete ev.responseObject;
    ev.level = 'Metadata';
    const actual = JSON.stringify(ev).length + 1;
    const m = run('apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: Metadata\n', `${line}\n`);
    expect(m.current.bytes).toBe(actual);
    expect(m.byLevel.Metadata).toBe(actual + ('RequestResponse'.length - 'Metadata'.length));
  });

  it('says when the sample does not come from the analyzed policy, and flags unreachable rules', () => {
    const b = run('apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n- level: Metadata\n  verbs: [create]\n');
    expect(b.current.unmatched.events).toBeGreaterThan(0);
    expect(b.notes.join(' ')).toContain('match no rule');
    const c = run('apiVersion: audit.k8s.io/v1\nkind: Policy\nomitStages: [RequestReceived]\nrules:\n- level: Metadata\n- level: None\n  nonResourceURLs: ["/healthz*"]\n');
    expect(c.risks.map((r) => r.id)).toContain('unreachable-rules');
    expect(c.risks.map((r) => r.id)).not.toContain('request-received-logged');
  });
});
