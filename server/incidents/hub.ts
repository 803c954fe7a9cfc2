import 'server-only';
import type { IncidentChange } from '@/lib/incidents/types';

/** One open screen, as the hub sees it: a sink for SSE frames and how far behind it is. */
export interface HubClient {
  write(frame: string): void;
  /** Frames written but not yet taken by the network (the per-client queue). */
  backlog(): number;
  close(): void;
}

export interface HubOptions {
  /** The store's log: what a (re)connecting client missed. */
  changesSince(incidentId: string, seq: number): IncidentChange[];
  /** SSE comment every so often, so proxies and browsers keep an idle connection open. Default 15 s. */
  heartbeatMs?: number;
  /** A client this many frames behind is dropped (it reconnects and catches up from the log). Default 500. */
  maxBacklog?: number;
  /** Work done once per incident with viewers (new findings over recorded data), not once per viewer. */
  poll?: { everyMs: number; run(incidentId: string): void };
}

interface Sub { client: HubClient; last: number }

/** An SSE frame: `id:` is the incident's seq, so the browser sends it back as Last-Event-ID. */
export function sseFrame(change: IncidentChange): string {
  return `id: ${change.seq}\ndata: ${JSON.stringify(change)}\n\n`;
}

/**
 * In-process fan-out of incident changes to open screens. A change is read from the store once
 * and written to every subscriber of its incident: 50 screens cost 50 socket writes and nothing
 * upstream. Delivery is ordered and exactly-once per connection (a subscriber skips seqs it has).
 */
export class IncidentHub {
  private readonly subs = new Map<string, Set<Sub>>();
  private readonly polls = new Map<string, ReturnType<typeof setInterval>>();
  private readonly kicks = new Map<string, ReturnType<typeof setTimeout>>();
  private heartbeat: ReturnType<typeof setInterval> | null = null;
  private readonly maxBacklog: number;
  dropped = 0;

  constructor(private readonly o: HubOptions) {
    this.maxBacklog = o.maxBacklog ?? 500;
  }

  /** Subscribes after `since` (the last seq the client has; 0: everything). Returns the unsubscribe. */
  subscribe(incidentId: string, client: HubClient, since: number): () => void {
    const sub: Sub = { client, last: since };
    let set = this.subs.get(incidentId);
    if (!set) { set = new Set(); this.subs.set(incidentId, set); this.startPoll(incidentId); }
    set.add(sub);
    // Catch-up and registration in one synchronous turn: no change can fall between the two.
    for (const c of this.o.changesSince(incidentId, since)) this.deliver(incidentId, sub, c);
    this.ensureHeartbeat();
    return () => this.remove(incidentId, sub);
  }

  publish(incidentId: string, change: IncidentChange): void {
    const set = this.subs.get(incidentId);
    if (!set) return;
    for (const sub of [...set]) this.deliver(incidentId, sub, change);
  }

  /** Incidents with at least one open screen. */
  activeIncidents(): string[] {
    return [...this.subs.keys()];
  }

  /**
   * Runs the incident's poll soon (coalesced: several kicks within `delayMs` run it once), outside
   * the caller's turn: the recorder calls this when it stores data, so new findings need not wait
   * for the next poll tick.
   */
  kick(incidentId: string, delayMs = 50): void {
    if (!this.o.poll || !this.subs.has(incidentId) || this.kicks.has(incidentId)) return;
    const timer = setTimeout(() => {
      this.kicks.delete(incidentId);
      if (this.subs.has(incidentId)) this.runPoll(incidentId);
    }, delayMs);
    timer.unref?.();
    this.kicks.set(incidentId, timer);
  }

  subscribers(incidentId?: string): number {
    if (incidentId !== undefined) return this.subs.get(incidentId)?.size ?? 0;
    let n = 0;
    for (const s of this.subs.values()) n += s.size;
    return n;
  }

  close(): void {
    for (const [id, set] of this.subs) for (const s of [...set]) { this.remove(id, s); s.client.close(); }
  }

  private deliver(incidentId: string, sub: Sub, c: IncidentChange): void {
    if (c.seq <= sub.last) return;
    if (sub.client.backlog() >= this.maxBacklog) {
      // A slow screen is dropped, not buffered forever: it reconnects with Last-Event-ID.
      this.dropped++;
      this.remove(incidentId, sub);
      sub.client.close();
      return;
    }
    sub.last = c.seq;
    try { sub.client.write(sseFrame(c)); } catch { this.remove(incidentId, sub); }
  }

  private remove(incidentId: string, sub: Sub): void {
    const set = this.subs.get(incidentId);
    if (!set?.delete(sub) || set.size) return;
    this.subs.delete(incidentId);
    const p = this.polls.get(incidentId);
    if (p) { clearInterval(p); this.polls.delete(incidentId); }
    const k = this.kicks.get(incidentId);
    if (k) { clearTimeout(k); this.kicks.delete(incidentId); }
    if (!this.subs.size && this.heartbeat) { clearInterval(this.heartbeat); this.heartbeat = null; }
  }

  /** One pass of the incident's poll (the tick and the kicks); a failure is logged, never thrown. */
  private runPoll(incidentId: string): void {
    try { this.o.poll?.run(incidentId); } catch (e) { console.error('[kube-forensics] incident poll', incidentId, e instanceof Error ? e.message : e); }
  }

  private startPoll(incidentId: string): void {
    const p = this.o.poll;
    if (!p) return;
    const timer = setInterval(() => this.runPoll(incidentId), p.everyMs);
    timer.unref?.();
    this.polls.set(incidentId, timer);
  }

  private ensureHeartbeat(): void {
    if (this.heartbeat) return;
    this.heartbeat = setInterval(() => {
      for (const [id, set] of this.subs) {
        for (const sub of [...set]) {
          if (sub.client.backlog() >= this.maxBacklog) { this.dropped++; this.remove(id, sub); sub.client.close(); continue; }
          try { sub.client.write(': heartbeat\n\n'); } catch { this.remove(id, sub); }
        }
      }
    }, this.o.heartbeatMs ?? 15_000);
    this.heartbeat.unref?.();
  }
}

/** The SSE response for one screen: catch-up from `since`, then live changes until it goes away. */
export function sseResponse(hub: IncidentHub, incidentId: string, since: number, signal: AbortSignal, once = false): Response {
  const enc = new TextEncoder();
  let unsubscribe: (() => void) | null = null;
  let closed = false;
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      const client: HubClient = {
        write: (s) => { if (!closed) controller.enqueue(enc.encode(s)); },
        // The default strategy's high-water mark is 1 chunk: desiredSize goes negative as frames queue.
        backlog: () => Math.max(0, 1 - (controller.desiredSize ?? 1)),
        close: () => { if (closed) return; closed = true; unsubscribe?.(); try { controller.close(); } catch { /* already closed */ } },
      };
      // Browsers reconnect after `retry` ms (default about 3 s): the war room wants its 2 s.
      controller.enqueue(enc.encode('retry: 1000\n\n'));
      unsubscribe = hub.subscribe(incidentId, client, since);
      if (once || signal.aborted) client.close();
      else signal.addEventListener('abort', () => client.close(), { once: true });
    },
    cancel() { closed = true; unsubscribe?.(); },
  });
  return new Response(stream, {
    headers: { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-accel-buffering': 'no' },
  });
}
