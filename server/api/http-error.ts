/** An error with an HTTP status, thrown by handlers for clear 4xx answers. */
export class HttpError extends Error {
  constructor(readonly status: number, message: string) { super(message); }
}
