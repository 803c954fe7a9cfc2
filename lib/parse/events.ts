/**
 * Normalises core/v1 and events.k8s.io/v1 Events into one shape (control-plane-facts §4).
 *
 * Field fallbacks, as Headlamp's Event class and `kubectl get events` do:
 * - last seen: series.lastObservedTime → lastTimestamp (core) / deprecatedLastTimestamp (events.k8s.io)
 *   → eventTime → firstTimestamp / deprecatedFirstTimestamp → metadata.creationTimestamp;
 * - first seen: firstTimestamp / deprecatedFirstTimestamp → eventTime → creationTimestamp;
 * - count: series.count → count / deprecatedCount → 1;
 * - object: involvedObject (core) ↔ regarding (events.k8s.io); message ↔ note;
 * - component: source.component / deprecatedSource.component → reportingComponent (core JSON key of
 *   the Go field ReportingController) / reportingController (events.k8s.io).
 */
export interface NormalizedEvent {
  uid: string;
  api: 'core/v1' | 'events.k8s.io/v1';
  namespace: string;
  name: string;
  resourceVersion: string;
  object: { kind: string; namespace: string; name: string; uid?: string; fieldPath?: string };
  reason: string;
  type: string;
  message: string;
  component: string;
  host: string;
  firstTimestamp: number;
  lastTimestamp: number;
  count: number;
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const time = (...vs: unknown[]): number | null => {
  for (const v of vs) {
    if (typeof v === 'string' && v) {
      const t = Date.parse(v);
      if (!Number.isNaN(t)) return t;
    }
  }
  return null;
};

export function normalizeEvent(raw: unknown): NormalizedEvent | null {
  const e = obj(raw);
  const meta = obj(e.metadata);
  const uid = str(meta.uid);
  if (!uid) return null;
  const isNew = str(e.apiVersion).startsWith('events.k8s.io/') || ('regarding' in e && !('involvedObject' in e));
  const series = obj(e.series);
  const ref = obj(isNew ? e.regarding : e.involvedObject);
  const source = obj(isNew ? e.deprecatedSource : e.source);
  const created = str(meta.creationTimestamp);
  const first = time(isNew ? e.deprecatedFirstTimestamp : e.firstTimestamp, e.eventTime, created);
  const last = time(series.lastObservedTime, isNew ? e.deprecatedLastTimestamp : e.lastTimestamp, e.eventTime, isNew ? e.deprecatedFirstTimestamp : e.firstTimestamp, created);
  const countRaw = typeof series.count === 'number' ? series.count : typeof (isNew ? e.deprecatedCount : e.count) === 'number' ? (isNew ? e.deprecatedCount : e.count) as number : 1;
  return {
    uid,
    api: isNew ? 'events.k8s.io/v1' : 'core/v1',
    namespace: str(meta.namespace),
    name: str(meta.name),
    resourceVersion: str(meta.resourceVersion),
    object: {
      kind: str(ref.kind), namespace: str(ref.namespace), name: str(ref.name),
      ...(str(ref.uid) ? { uid: str(ref.uid) } : {}), ...(str(ref.fieldPath) ? { fieldPath: str(ref.fieldPath) } : {}),
    },
    reason: str(e.reason),
    type: str(e.type) || 'Normal',
    message: str(isNew ? e.note : e.message),
    component: str(source.component) || str(e.reportingComponent) || str(e.reportingController),
    host: str(source.host),
    firstTimestamp: first ?? last ?? 0,
    lastTimestamp: last ?? first ?? 0,
    count: Math.max(1, Math.floor(countRaw)),
  };
}
