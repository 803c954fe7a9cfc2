'use client';
import { useSyncExternalStore } from 'react';

/*
 * A one-second clock shared by every component that shows an age ("4 s ago") or the time.
 * It is `null` during the server render and hydration, so the first client render matches the
 * server's HTML exactly; ages then tick from the moment the page is live.
 */
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | undefined;
let current = 0;

function subscribe(onChange: () => void): () => void {
  listeners.add(onChange);
  if (!timer) {
    current = Date.now();
    timer = setInterval(() => {
      current = Date.now();
      for (const l of listeners) l();
    }, 1_000);
  }
  return () => {
    listeners.delete(onChange);
    if (listeners.size === 0 && timer) { clearInterval(timer); timer = undefined; }
  };
}

const getSnapshot = (): number => current || Date.now();
const getServerSnapshot = (): null => null;

/** Milliseconds since the epoch, updated every second; null before hydration. */
export function useNow(): number | null {
  return useSyncExternalStore(subscribe, getSnapshot, getServerSnapshot);
}

/** Milliseconds elapsed since `since` (a browser timestamp), ticking; 0 before hydration. */
export function useElapsed(since: number): number {
  const now = useNow();
  return now === null ? 0 : Math.max(0, now - since);
}
