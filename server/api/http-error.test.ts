import { describe, expect, it } from 'vitest';
import { HttpError, isHttpError } from './http-error';

describe('isHttpError', () => {
  it('recognises an HttpError from another copy of the module (another route chunk), by shape', () => {
    // What a second bundled copy of http-error.ts produces: same shape, a different class.
    class ForeignHttpError extends Error {
      constructor(readonly status: number, message: string) {
        super(message);
        Object.defineProperty(this, Symbol.for('kube-forensics.http-error'), { value: true, enumerable: true });
      }
    }
    class ForeignRateLimited extends ForeignHttpError { constructor(readonly retryAfterSeconds: number) { super(429, 'later'); } }
    expect(new ForeignRateLimited(5) instanceof HttpError).toBe(false);
    expect(isHttpError(new ForeignRateLimited(5))).toBe(true);
    expect(isHttpError(new HttpError(404, 'x'))).toBe(true);
  });

  it('refuses look-alikes that are not marked', () => {
    expect(isHttpError(Object.assign(new Error('x'), { status: 500 }))).toBe(false);
    expect(isHttpError({ [Symbol.for('kube-forensics.http-error')]: true, status: 400, message: 'x' })).toBe(false);
    expect(isHttpError(null)).toBe(false);
  });
});
