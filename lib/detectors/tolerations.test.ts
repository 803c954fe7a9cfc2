import { describe, expect, it } from 'vitest';
import { evictionTaintOf, NOT_READY, tolerationSeconds, toleratesTaint, UNREACHABLE } from './tolerations';

const unreachable = { key: UNREACHABLE, effect: 'NoExecute' };
// What the DefaultTolerationSeconds admission plugin adds to every pod without its own (plugin/pkg/admission/defaulttolerationseconds).
const defaults = [
  { key: NOT_READY, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
  { key: UNREACHABLE, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
];

describe('taint manager toleration semantics', () => {
  it('the admission defaults: 300 s', () => {
    expect(tolerationSeconds(defaults, [unreachable])).toBe(300);
  });
  it('no matching toleration: deleted at once', () => {
    expect(tolerationSeconds([], [unreachable])).toBe(0);
    expect(tolerationSeconds([{ key: NOT_READY, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }], [unreachable])).toBe(0);
    expect(tolerationSeconds([{ key: UNREACHABLE, operator: 'Exists', effect: 'NoSchedule' }], [unreachable])).toBe(0);
  });
  it('a toleration without seconds: forever (DaemonSet pods)', () => {
    expect(tolerationSeconds([{ key: UNREACHABLE, operator: 'Exists', effect: 'NoExecute' }], [unreachable])).toBeNull();
    expect(tolerationSeconds([{ operator: 'Exists' }], [unreachable])).toBeNull(); // tolerates everything
  });
  it('the first matching toleration is the one used, and the smallest seconds among those used wins', () => {
    expect(tolerationSeconds([{ operator: 'Exists' }, { key: UNREACHABLE, operator: 'Exists', tolerationSeconds: 30 }], [unreachable])).toBeNull();
    expect(tolerationSeconds([{ key: UNREACHABLE, operator: 'Exists', tolerationSeconds: 30 }, { operator: 'Exists' }], [unreachable])).toBe(30);
    expect(tolerationSeconds([{ key: UNREACHABLE, operator: 'Exists', tolerationSeconds: -5 }], [unreachable])).toBe(0);
    const both = [unreachable, { key: NOT_READY, effect: 'NoExecute' }];
    expect(tolerationSeconds([{ key: UNREACHABLE, operator: 'Exists', tolerationSeconds: 600 }, { key: NOT_READY, operator: 'Exists', tolerationSeconds: 60 }], both)).toBe(60);
  });
  it('Equal (the default operator) compares values; the controller\'s taints have none', () => {
    expect(toleratesTaint({ key: UNREACHABLE, effect: 'NoExecute' }, unreachable)).toBe(true);
    expect(toleratesTaint({ key: UNREACHABLE, operator: 'Equal', value: 'x' }, unreachable)).toBe(false);
    expect(toleratesTaint({ key: UNREACHABLE, operator: 'Gt' }, unreachable)).toBe(false);
  });
  it('the taint a down node gets', () => {
    expect(evictionTaintOf({ ready: 'Unknown', taints: [] })).toEqual(unreachable);
    expect(evictionTaintOf({ ready: 'True', taints: [] })).toEqual(unreachable);
    expect(evictionTaintOf({ ready: 'False', taints: [] })).toEqual({ key: NOT_READY, effect: 'NoExecute' });
    expect(evictionTaintOf({ ready: 'False', taints: [{ key: UNREACHABLE, effect: 'NoExecute' }] })).toEqual(unreachable);
  });
});
