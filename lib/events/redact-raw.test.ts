import { describe, expect, it } from 'vitest';
import { MASKED_MESSAGE, redactRawEvent } from './redact';

const core = (kind: string, message: string) => ({
  apiVersion: 'v1', kind: 'Event', metadata: { uid: 'u1', name: 'e1', namespace: 'ns' },
  involvedObject: { kind, name: 'db-password', namespace: 'ns' }, reason: 'FailedMount', message, count: 3,
});

describe('redactRawEvent', () => {
  it('masks the message of a core/v1 Event about a Secret, keeping reason, object and count', () => {
    const r = redactRawEvent(core('Secret', 'cannot decode data "password": aHVudGVyMg=='));
    expect(r.message).toBe(MASKED_MESSAGE);
    expect(JSON.stringify(r)).not.toContain('aHVudGVyMg');
    expect(r).toMatchObject({ reason: 'FailedMount', count: 3, involvedObject: { kind: 'Secret', name: 'db-password' } });
  });

  it('masks the note of an events.k8s.io/v1 Event about a Secret', () => {
    const r = redactRawEvent({ apiVersion: 'events.k8s.io/v1', metadata: { uid: 'u2' }, regarding: { kind: 'Secret', name: 's' }, note: 'token=abc', reason: 'X' });
    expect(r.note).toBe(MASKED_MESSAGE);
  });

  it('leaves other Events untouched (the same object)', () => {
    const e = core('Pod', 'Back-off restarting failed container');
    expect(redactRawEvent(e)).toBe(e);
  });
});
