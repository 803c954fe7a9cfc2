/**
 * Grouping by involved object: "which pods, which nodes". Pure over event rows, so the CLI and the
 * API's in-memory path agree; the API's SQL `GROUP BY` produces the same shape.
 */
export interface ObjectGroup {
  kind: string;
  namespace: string;
  name: string;
  /** Event objects about it. */
  events: number;
  /** Sum of their counts. */
  occurrences: number;
  warnings: number;
  firstTimestamp: number;
  lastTimestamp: number;
  /** Its most frequent reasons, at most 3. */
  reasons: string[];
}

export interface GroupableEvent {
  object: { kind: string; namespace: string; name: string };
  reason: string;
  type: string;
  count: number;
  firstTimestamp: number;
  lastTimestamp: number;
}

export function objectKey(o: { kind: string; namespace: string; name: string }): string {
  return `${o.kind}\u0000${o.namespace}\u0000${o.name}`;
}

/** Groups, the most recently active first (ties: most events). */
export function groupByObject(events: Iterable<GroupableEvent>, limit = Infinity): ObjectGroup[] {
  const map = new Map<string, ObjectGroup & { byReason: Map<string, number> }>();
  for (const e of events) {
    const k = objectKey(e.object);
    let g = map.get(k);
    if (!g) {
      g = { kind: e.object.kind, namespace: e.object.namespace, name: e.object.name, events: 0, occurrences: 0, warnings: 0,
        firstTimestamp: e.firstTimestamp, lastTimestamp: e.lastTimestamp, reasons: [], byReason: new Map() };
      map.set(k, g);
    }
    g.events++;
    g.occurrences += e.count;
    if (e.type === 'Warning') g.warnings++;
    g.firstTimestamp = Math.min(g.firstTimestamp, e.firstTimestamp);
    g.lastTimestamp = Math.max(g.lastTimestamp, e.lastTimestamp);
    g.byReason.set(e.reason, (g.byReason.get(e.reason) ?? 0) + 1);
  }
  const out = [...map.values()].map(({ byReason, ...g }) => ({
    ...g, reasons: [...byReason].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).slice(0, 3).map(([r]) => r),
  }));
  out.sort((a, b) => b.lastTimestamp - a.lastTimestamp || b.events - a.events || objectKey(a).localeCompare(objectKey(b)));
  return Number.isFinite(limit) ? out.slice(0, limit) : out;
}
