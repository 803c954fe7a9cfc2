import 'server-only';

/**
 * An error with an HTTP status, thrown by handlers for clear 4xx answers. In its own module so
 * that server code can throw it without importing the handler, which imports the runtime, which
 * imports the capture code that throws it (an import cycle that left `HttpError` undefined).
 */
export class HttpError extends Error {
  constructor(readonly status: number, message: string) { super(message); }
}
