/** An error with an HTTP status, thrown by handlers for clear 4xx answers. */
export class HttpError extends Error {
  /** The mark `isHttpError` looks for. */
  readonly httpError = true;
  constructor(readonly status: number, message: string) { super(message); }
}

/**
 * By shape, not `instanceof`: Next.js bundles a module into each route's chunk, and the runtime
 * (created once, by whichever route came first) throws errors of its own chunk's copy of the class.
 * A rate-limited capture answered 500 instead of 429 that way.
 */
export function isHttpError(e: unknown): e is HttpError {
  return e instanceof Error && (e as Partial<HttpError>).httpError === true && typeof (e as Partial<HttpError>).status === 'number';
}
