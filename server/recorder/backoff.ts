import 'server-only';

/**
 * Per-cluster circuit breaker with exponential backoff and jitter. While open, the recorder sends
 * exactly one probe when the current step has elapsed, never a storm; a success closes it.
 * Delay for the n-th consecutive failure: min(max, base·2^(n-1)), jittered into [d/2, d]
 * ("equal jitter", AWS Architecture Blog, "Exponential Backoff And Jitter").
 */
export class Backoff {
  private failures = 0;
  private openUntil = 0;

  constructor(
    private readonly baseMs: number,
    private readonly maxMs: number,
    private readonly random: () => number = Math.random,
  ) {}

  get consecutiveFailures(): number { return this.failures; }
  get isOpen(): boolean { return this.failures > 0; }
  /** When the next probe may go out (0 when closed). */
  get nextAttemptAt(): number { return this.failures > 0 ? this.openUntil : 0; }

  success(): void { this.failures = 0; this.openUntil = 0; }

  /** Records a failure at `now` and returns the delay before the next probe. */
  failure(now: number): number {
    this.failures++;
    const d = Math.min(this.maxMs, this.baseMs * 2 ** Math.min(30, this.failures - 1));
    const delay = Math.round(d / 2 + this.random() * (d / 2));
    this.openUntil = now + delay;
    return delay;
  }
}
