// Matches goroutine groups against known issues and the cluster version.
import { KNOWN_GOROUTINE_ISSUES } from './goroutine-issues';
import type { KnownIssue, KnownIssueMatch, KnownIssueSignature, KnownIssueVersionStatus, MatchableStack } from './types';
import { satisfiesRange } from './version-range';

function test(pattern: string | RegExp, text: string, exact: boolean): boolean {
  if (typeof pattern !== 'string') return pattern.test(text);
  return exact ? text === pattern : text.includes(pattern);
}

const PLUMBING_PREFIXES = [
  'runtime.',
  'sync.runtime_',
  'sync.(*Cond).Wait',
  'sync.(*Mutex).',
  'sync.(*RWMutex).',
  'sync.(*WaitGroup).Wait',
  'internal/poll.',
];

/**
 * Frames that only implement the wait the header already names (`sync.Cond.Wait`, `semacquire`,
 * `IO wait`…): runtime frames (hidden by default, traceback.go showframe, but shown at
 * GOTRACEBACK=system) and the sync / internal/poll primitives that park.
 */
export function isWaitPlumbing(fn: string): boolean {
  for (const p of PLUMBING_PREFIXES) if (fn.startsWith(p)) return true;
  return false;
}

/** Index of the top frame in user terms: the first one that is not wait plumbing (0 if all are). */
export function topFrameIndex(frames: ReadonlyArray<{ function: string }>): number {
  for (let i = 0; i < frames.length; i++) if (!isWaitPlumbing(frames[i]!.function)) return i;
  return 0;
}

/** The function a `frame: 'top'` signature is checked against; null for an empty stack. */
export function topFunction(frames: ReadonlyArray<{ function: string }>): string | null {
  return frames[topFrameIndex(frames)]?.function ?? null;
}

export function matchesSignature(stack: MatchableStack, sig: KnownIssueSignature): boolean {
  // debug=1 records carry no state; they match on the stack alone.
  if (sig.state !== undefined && stack.state !== null && !test(sig.state, stack.state, true)) return false;
  if (sig.frame === 'any') return stack.frames.some((f) => test(sig.function, f.function, false));
  const top = topFunction(stack.frames);
  return top !== null && test(sig.function, top, false);
}

export function versionStatus(issue: KnownIssue, version: string | undefined): KnownIssueVersionStatus {
  if (version === undefined || version.trim() === '') return 'unknown';
  const ok = satisfiesRange(version, issue.affectedVersions);
  return ok === null ? 'unknown' : ok ? 'affected' : 'not-affected';
}

/** Known issues whose signature matches `stack`, each with how the cluster version relates to it. */
export function matchKnownIssues(
  stack: MatchableStack,
  options: { version?: string; issues?: readonly KnownIssue[] } = {},
): KnownIssueMatch[] {
  const out: KnownIssueMatch[] = [];
  for (const issue of options.issues ?? KNOWN_GOROUTINE_ISSUES) {
    if (matchesSignature(stack, issue.signature)) out.push({ issue, version: versionStatus(issue, options.version) });
  }
  return out;
}
