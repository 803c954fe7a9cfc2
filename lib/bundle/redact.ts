/**
 * Redaction of what goes into a bundle, on by default (`capture --no-redact` turns it off and the
 * manifest says `redacted: false`). A bundle travels ("send me a bundle"), so it gets the same
 * Secret masking as every view (lib/events/redact.ts): an Event about a Secret keeps its reason,
 * object and counts, and loses its free-text message, which can quote the Secret's data.
 * Census, snapshots and metrics hold counts and names only; profiles hold no object data.
 */
import { normalizeEvent } from '../parse/events';
import { isSecretEvent, MASKED_MESSAGE } from '../events/redact';

/** A copy of a raw core/v1 or events.k8s.io/v1 Event with its message masked when it is about a Secret. */
export function redactRawEvent<T extends Record<string, unknown>>(raw: T): T {
  const n = normalizeEvent(raw);
  if (!n || !isSecretEvent(n)) return raw;
  const out: Record<string, unknown> = { ...raw };
  if ('message' in out || n.api === 'core/v1') out.message = MASKED_MESSAGE;
  if ('note' in out || n.api === 'events.k8s.io/v1') out.note = MASKED_MESSAGE;
  // Server-side apply keeps a copy of written fields; an Event's managedFields list names, not values.
  return out as T;
}
