'use client';
import { useCallback, useSyncExternalStore } from 'react';

/** Who is doing the steps: a display name kept in localStorage until authentication exists. */
const KEY = 'kf.operatorName';
const listeners = new Set<() => void>();

function read(): string {
  try { return window.localStorage.getItem(KEY) ?? ''; } catch { return ''; }
}

export function useOperatorName(): [string, (v: string) => void] {
  const name = useSyncExternalStore((cb) => { listeners.add(cb); return () => listeners.delete(cb); }, read, () => '');
  const set = useCallback((v: string) => {
    try { window.localStorage.setItem(KEY, v.slice(0, 100)); } catch { /* private mode: keep it for this page only */ }
    for (const l of listeners) l();
  }, []);
  return [name, set];
}
