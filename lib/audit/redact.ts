// Redaction of audit-event bodies before anything is shown or exported. Secret data never leaves
// kube-forensics: audit logs at Request/RequestResponse level carry Secrets in full (base64 is not
// encryption), and so do `kubectl.kubernetes.io/last-applied-configuration` annotations and patch
// bodies. Rules:
// - any request or response body of a `secrets` request is replaced by a stub that keeps only the
//   kind and the object's identity (name, namespace, uid, resourceVersion) or the item count;
// - anywhere else, an object with `kind: Secret` (or an item of a `SecretList`) gets the same stub;
// - bearer tokens: TokenReview `spec.token` and TokenRequest (`serviceaccounts/token`)
//   `status.token` are masked.
import type { AuditEvent } from './event';

export const REDACTED = '[redacted by kube-forensics]';

const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function identity(meta: unknown): Record<string, unknown> {
  if (!isObj(meta)) return {};
  const out: Record<string, unknown> = {};
  for (const k of ['name', 'namespace', 'uid', 'resourceVersion']) if (typeof meta[k] === 'string') out[k] = meta[k];
  return out;
}

/** A stand-in for a Secret (or anything on the secrets resource) that shows no data. */
function secretStub(v: unknown): unknown {
  if (!isObj(v)) return REDACTED;
  const stub: Record<string, unknown> = { redacted: REDACTED };
  if (typeof v.kind === 'string') stub.kind = v.kind;
  if (typeof v.apiVersion === 'string') stub.apiVersion = v.apiVersion;
  if (isObj(v.metadata)) stub.metadata = identity(v.metadata);
  if (Array.isArray(v.items)) stub.items = v.items.map(secretStub);
  // A metav1.Status (e.g. a 404 on a secret) says nothing secret: keep it readable.
  if (v.kind === 'Status') return v;
  return stub;
}

/** Walks a body and stubs any embedded Secret; depth-bounded (bodies come from JSON.parse). */
function scrub(v: unknown, depth = 0): unknown {
  if (depth > 64) return REDACTED;
  if (Array.isArray(v)) return v.map((x) => scrub(x, depth + 1));
  if (!isObj(v)) return v;
  if (v.kind === 'Secret' || v.kind === 'SecretList') return secretStub(v);
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(v)) out[k] = scrub(x, depth + 1);
  return out;
}

function maskPath(v: unknown, path: string[]): unknown {
  if (!isObj(v)) return v;
  const [head, ...rest] = path;
  if (head === undefined || !(head in v)) return v;
  return { ...v, [head]: rest.length === 0 ? REDACTED : maskPath(v[head], rest) };
}

/** Redacts one body given the resource it belongs to. */
export function redactBody(body: unknown, ref: { resource: string; subresource?: string; apiGroup?: string } | null): unknown {
  if (body === undefined || body === null) return body;
  const resource = ref?.resource ?? '';
  if (resource === 'secrets') return secretStub(body);
  let out = scrub(body);
  if (resource === 'tokenreviews') out = maskPath(out, ['spec', 'token']);
  if (resource === 'serviceaccounts' && ref?.subresource === 'token') out = maskPath(out, ['status', 'token']);
  return out;
}

/** A copy of the event safe to display or export. */
export function redactEvent<T extends Pick<AuditEvent, 'objectRef' | 'requestObject' | 'responseObject'>>(e: T): T {
  return { ...e, requestObject: redactBody(e.requestObject, e.objectRef), responseObject: redactBody(e.responseObject, e.objectRef) };
}

/** Redacts a raw audit event as parsed from JSON (for exports of raw lines). */
export function redactRawEvent(v: unknown): unknown {
  if (!isObj(v)) return v;
  const ref = isObj(v.objectRef) ? { resource: String(v.objectRef.resource ?? ''), subresource: typeof v.objectRef.subresource === 'string' ? v.objectRef.subresource : undefined } : null;
  const out = { ...v };
  if ('requestObject' in v) out.requestObject = redactBody(v.requestObject, ref);
  if ('responseObject' in v) out.responseObject = redactBody(v.responseObject, ref);
  return out;
}
