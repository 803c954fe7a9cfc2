import 'server-only';
// Automatic captures of a live cluster's apiserver: on a schedule, and when goroutines or RSS grow
// steadily (lib/capture/auto-policy). Evaluated after each committed apiserver scrape; the captures
// go through the same single-flight, rate-limited path as the "capture now" button, so an
// automatic capture never adds a second heap profile on top of a person's.
import { decideAutoCapture, type AutoCapturePolicy } from '@/lib/capture/auto-policy';
import type { ClusterEntry } from '../runtime';
import type { Store } from '../store/store';
import type { PprofCaptures } from './pprof-capture';

const STATE_KEY = 'auto-capture';

export class AutoCapture {
  private running: Promise<void> | null = null;

  constructor(
    private readonly store: Store,
    private readonly captures: PprofCaptures,
    private readonly entry: ClusterEntry,
    private readonly policy: AutoCapturePolicy,
    private readonly log: (m: string) => void = () => undefined,
  ) {}

  /** Called after each committed scrape; cheap when nothing is due (one indexed query per rule). */
  onScrape(component: string, t: number): void {
    if (component !== 'kube-apiserver' || this.running) return;
    if (this.policy.everyMs === null && this.policy.growth.length === 0) return;
    const state = this.state();
    const window = Math.max(0, ...this.policy.growth.map((g) => g.windowMs));
    const load = (series: string) => this.store.series.query(this.entry.id, series, t - window, t, {}, 0)[0]?.points ?? [];
    const d = decideAutoCapture(this.policy, t, load, state);
    if (!d) return;
    // Remember the decision first: a failing capture must not be retried every scrape.
    this.store.setState(this.entry.id, STATE_KEY, JSON.stringify(d.trigger === 'schedule' ? { ...state, lastScheduled: t } : { ...state, lastTriggered: t }));
    this.running = this.take(d.trigger, d.reason).finally(() => { this.running = null; });
  }

  /** Resolves when no automatic capture is running (tests; shutdown). */
  async whenIdle(): Promise<void> { await this.running; }

  private async take(origin: 'schedule' | 'threshold', reason: string): Promise<void> {
    this.log(`${this.entry.name}: automatic capture (${reason})`);
    for (const kind of ['goroutine', 'heap'] as const) {
      try {
        await this.captures.captureNow(this.entry, kind, 'kube-apiserver', undefined, { origin, reason });
      } catch (e) {
        this.log(`${this.entry.name}: automatic ${kind} capture failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }

  private state(): { lastScheduled?: number; lastTriggered?: number } {
    try {
      const raw = this.store.getState(this.entry.id, STATE_KEY);
      return raw ? (JSON.parse(raw) as { lastScheduled?: number; lastTriggered?: number }) : {};
    } catch { return {}; }
  }
}
