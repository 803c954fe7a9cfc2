import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { REDACTED, redactBody, redactEvent, redactRawEvent } from './redact';
import { toAuditEvent } from './event';
import type { AuditEvent } from './event';

const SECRET_VALUES = ['hunter2-do-not-print', 'sk_live_fixture_4242'];
const b64 = (s: string) => Buffer.from(s).toString('base64');
const lines = gunzipSync(readFileSync(path.resolve(__dirname, '../../testdata/audit/v1.20.2/catchall-requestresponse.jsonl.gz'))).toString('utf8').split('\n').filter(Boolean);

describe('redaction', () => {
  it('the real log does hold the secret values the workload wrote (so the test below can fail)', () => {
    const secretLines = lines.filter((l) => l.includes('"resource":"secrets"') && l.includes('db-credentials'));
    expect(secretLines.length).toBeGreaterThan(0);
    expect(secretLines.some((l) => l.includes(b64(SECRET_VALUES[0]!)))).toBe(true);
    // stringData is merged into data (base64) when the request is decoded, before it is logged.
    expect(secretLines.some((l) => l.includes(b64(SECRET_VALUES[1]!)))).toBe(true);
  });

  it('no Secret data survives redaction of any real event', () => {
    for (const l of lines) {
      const out = JSON.stringify(redactRawEvent(JSON.parse(l)));
      const ev = toAuditEvent(JSON.parse(l)) as AuditEvent;
      const out2 = JSON.stringify(redactEvent(ev));
      for (const v of [...SECRET_VALUES, ...SECRET_VALUES.map(b64)]) {
        expect(out).not.toContain(v);
        expect(out2).not.toContain(v);
      }
    }
  });

  it('keeps the identity of a Secret, the count of a list, and Status bodies', () => {
    const secret = { kind: 'Secret', apiVersion: 'v1', metadata: { name: 's', namespace: 'n', uid: 'u', annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{"data":{"x":"eA=="}}' } }, data: { x: 'eA==' } };
    expect(redactBody(secret, { resource: 'secrets' })).toEqual({ redacted: REDACTED, kind: 'Secret', apiVersion: 'v1', metadata: { name: 's', namespace: 'n', uid: 'u' } });
    const list = { kind: 'SecretList', apiVersion: 'v1', metadata: { resourceVersion: '5' }, items: [secret, secret] };
    expect((redactBody(list, { resource: 'secrets' }) as { items: unknown[] }).items).toHaveLength(2);
    expect(JSON.stringify(redactBody(list, { resource: 'secrets' }))).not.toContain('eA==');
    // A merge patch on a secret has no kind: replaced whole.
    expect(redactBody({ stringData: { password: 'p' } }, { resource: 'secrets' })).toEqual({ redacted: REDACTED });
    const status = { kind: 'Status', apiVersion: 'v1', status: 'Failure', message: 'secrets "s" not found', code: 404 };
    expect(redactBody(status, { resource: 'secrets' })).toEqual(status);
  });

  it('finds Secrets embedded elsewhere and masks bearer tokens', () => {
    const nested = { kind: 'List', items: [{ kind: 'ConfigMap', data: { a: 'b' } }, { kind: 'Secret', metadata: { name: 's' }, data: { k: 'c2VjcmV0' } }] };
    const out = JSON.stringify(redactBody(nested, { resource: 'whatever' }));
    expect(out).not.toContain('c2VjcmV0');
    expect(out).toContain('"a":"b"');
    expect(redactBody({ kind: 'TokenReview', spec: { token: 'eyJhbGciOi' } }, { resource: 'tokenreviews' })).toEqual({ kind: 'TokenReview', spec: { token: REDACTED } });
    expect(redactBody({ kind: 'TokenRequest', status: { token: 'eyJ', expirationTimestamp: 't' } }, { resource: 'serviceaccounts', subresource: 'token' }))
      .toEqual({ kind: 'TokenRequest', status: { token: REDACTED, expirationTimestamp: 't' } });
  });
});
