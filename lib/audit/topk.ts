// Bounded counters for "top N by count and by bytes" over attacker-controlled keys (user agents,
// usernames, source IPs are all chosen by the client). A plain Map would grow with every distinct
// value; this one keeps at most `capacity` keys. When full, it folds the lower half (by count) into
// an "other" bucket, so keys that keep coming back stay exact while one-off keys cost O(1)
// amortized. Totals are always exact: what is folded away stays in `other`.

export interface TopEntry {
  key: string;
  count: number;
  bytes: number;
}

export interface TopList {
  entries: TopEntry[];
  /** Everything not in `entries`: smaller keys and keys folded away. */
  other: { keys: number; count: number; bytes: number };
  /** Distinct keys seen, exact until the first fold, a lower bound after. */
  distinct: number;
  /** Some keys were folded away; counts of keys that came back after a fold are lower bounds. */
  approximate: boolean;
}

export const OTHER_KEY = '(other)';
const MAX_KEY_CHARS = 512;

export class CappedCounter {
  private readonly map = new Map<string, { count: number; bytes: number }>();
  private foldedCount = 0;
  private foldedBytes = 0;
  private foldedKeys = 0;
  private folds = 0;

  constructor(private readonly capacity = 4096) {}

  add(rawKey: string, bytes: number, count = 1): void {
    const key = rawKey.length > MAX_KEY_CHARS ? `${rawKey.slice(0, MAX_KEY_CHARS)}…` : rawKey;
    const e = this.map.get(key);
    if (e) { e.count += count; e.bytes += bytes; return; }
    if (this.map.size >= this.capacity) this.fold();
    this.map.set(key, { count, bytes });
  }

  private fold(): void {
    const sorted = [...this.map.entries()].sort((a, b) => a[1].count - b[1].count || a[1].bytes - b[1].bytes);
    const drop = Math.ceil(sorted.length / 2);
    for (let i = 0; i < drop; i++) {
      const [k, v] = sorted[i]!;
      this.foldedCount += v.count;
      this.foldedBytes += v.bytes;
      this.foldedKeys++;
      this.map.delete(k);
    }
    this.folds++;
  }

  get size(): number { return this.map.size; }

  /** The `n` largest keys by count (or by bytes), with everything else in `other`. */
  top(n: number, by: 'count' | 'bytes' = 'count'): TopList {
    const all = [...this.map.entries()].map(([key, v]) => ({ key, count: v.count, bytes: v.bytes }));
    all.sort(by === 'count' ? (a, b) => b.count - a.count || b.bytes - a.bytes || (a.key < b.key ? -1 : 1) : (a, b) => b.bytes - a.bytes || b.count - a.count || (a.key < b.key ? -1 : 1));
    const entries = all.slice(0, n);
    const rest = all.slice(n);
    return {
      entries,
      other: {
        keys: rest.length + this.foldedKeys,
        count: rest.reduce((s, e) => s + e.count, this.foldedCount),
        bytes: rest.reduce((s, e) => s + e.bytes, this.foldedBytes),
      },
      distinct: this.map.size + this.foldedKeys,
      approximate: this.folds > 0,
    };
  }

  /** Every kept key (for merging or storing), unordered. */
  entries(): TopEntry[] {
    return [...this.map.entries()].map(([key, v]) => ({ key, count: v.count, bytes: v.bytes }));
  }
}
