// A log-bucket latency sketch: each value lands in bucket floor(log(v) / log(1 + ε)), so any
// quantile is known within a relative error of ε (2 %) with a few hundred buckets from 1 µs to
// hours, whatever the number of samples. The same idea as DDSketch (Masson et al., VLDB 2019),
// without the bucket collapsing: the range of request latencies keeps the bucket count small.

const GAMMA = 1.02;
const LOG_GAMMA = Math.log(GAMMA);

export interface LatencyStats {
  count: number;
  /** Microseconds. */
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

export interface SketchData {
  count: number;
  sum: number;
  max: number;
  zero: number;
  buckets: Array<[number, number]>;
}

export class LatencySketch {
  private readonly buckets = new Map<number, number>();
  private zero = 0;
  count = 0;
  sum = 0;
  max = 0;

  add(us: number): void {
    if (!Number.isFinite(us) || us < 0) return;
    this.count++;
    this.sum += us;
    if (us > this.max) this.max = us;
    if (us < 1) { this.zero++; return; }
    const i = Math.floor(Math.log(us) / LOG_GAMMA);
    this.buckets.set(i, (this.buckets.get(i) ?? 0) + 1);
  }

  merge(o: LatencySketch): void {
    this.count += o.count;
    this.sum += o.sum;
    this.max = Math.max(this.max, o.max);
    this.zero += o.zero;
    for (const [i, c] of o.buckets) this.buckets.set(i, (this.buckets.get(i) ?? 0) + c);
  }

  toJSON(): SketchData {
    return { count: this.count, sum: this.sum, max: this.max, zero: this.zero, buckets: [...this.buckets.entries()] };
  }

  static fromJSON(d: SketchData): LatencySketch {
    const s = new LatencySketch();
    s.count = d.count; s.sum = d.sum; s.max = d.max; s.zero = d.zero;
    for (const [i, c] of d.buckets) if (Number.isInteger(i) && c > 0) s.buckets.set(i, c);
    return s;
  }

  /** The q-quantile in microseconds (bucket midpoint, capped at the exact max). */
  quantile(q: number): number {
    if (this.count === 0) return 0;
    const rank = Math.max(1, Math.ceil(q * this.count));
    if (rank <= this.zero) return 0;
    let seen = this.zero;
    const keys = [...this.buckets.keys()].sort((a, b) => a - b);
    for (const k of keys) {
      seen += this.buckets.get(k)!;
      if (seen >= rank) return Math.min(this.max, (GAMMA ** k + GAMMA ** (k + 1)) / 2);
    }
    return this.max;
  }

  stats(): LatencyStats {
    return { count: this.count, p50: this.quantile(0.5), p90: this.quantile(0.9), p99: this.quantile(0.99), max: this.max, mean: this.count ? this.sum / this.count : 0 };
  }
}
