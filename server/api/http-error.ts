const BRAND = Symbol.for('kube-forensics.http-error');

/**
 * An error with an HTTP status, thrown by handlers for clear 4xx answers. Recognised by a
 * registered-symbol brand rather than `instanceof`: the bundler may instantiate this module once
 * per server chunk, and an upload refused with 400 must not turn into a 500 because of that.
 */
export class HttpError extends Error {
  readonly [BRAND] = true;
  constructor(readonly status: number, message: string) { super(message); }
}

export function isHttpError(e: unknown): e is HttpError {
  return e instanceof Error && (e as unknown as Record<symbol, unknown>)[BRAND] === true && typeof (e as { status?: unknown }).status === 'number';
}
