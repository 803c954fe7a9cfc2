/**
 * Secret masking. An Event about a Secret (involvedObject.kind = Secret) is written by whatever
 * controller touched the Secret, and its message is free text: a failed decode or a webhook's
 * rejection can quote the data. Its message is withheld in every view, export and CLI output; the
 * reason, object name and counts stay (they are metadata, and what an investigation needs).
 */
export const MASKED_MESSAGE = '[message withheld: this event is about a Secret and could quote its data]';

export function isSecretEvent(e: { object: { kind: string } }): boolean {
  return e.object.kind === 'Secret';
}

/** The message as it may be shown. */
export function maskedMessage(e: { object: { kind: string }; message: string }): string {
  return isSecretEvent(e) ? MASKED_MESSAGE : e.message;
}

/** A copy with the message masked when it must be (the same object when nothing changes). */
export function redactEvent<T extends { object: { kind: string }; message: string }>(e: T): T {
  return isSecretEvent(e) ? { ...e, message: MASKED_MESSAGE } : e;
}

/**
 * The same rule on a raw core/v1 or events.k8s.io/v1 Event (bundles keep raw objects): `message`
 * (core) and `note` (events.k8s.io) are masked when `involvedObject` / `regarding` is a Secret.
 */
export function redactRawEvent<T extends Record<string, unknown>>(raw: T): T {
  const ref = (raw.involvedObject ?? raw.regarding) as { kind?: unknown } | undefined;
  if (ref?.kind !== 'Secret') return raw;
  return { ...raw, ...('message' in raw ? { message: MASKED_MESSAGE } : {}), ...('note' in raw ? { note: MASKED_MESSAGE } : {}) };
}
