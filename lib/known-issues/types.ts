// Known issues are data: one entry per upstream bug whose goroutine-dump signature we can
// recognise. Add an entry to goroutine-issues.ts with a real `example` and it is matched and tested.

/** What a goroutine group must look like to match. */
export interface KnownIssueSignature {
  /** Substring of, or pattern for, the function name (without arguments). */
  function: string | RegExp;
  /** Wait reason the goroutines must be in (exact string or pattern); any state when omitted. */
  state?: string | RegExp;
  /**
   * Which frame `function` is checked against: the top frame (the first one that is not wait
   * plumbing such as `runtime.*` or `sync.runtime_*`, see match.ts isWaitPlumbing, so
   * GOTRACEBACK=system dumps match too) or any frame. Default 'top'.
   */
  frame?: 'top' | 'any';
}

export interface KnownIssue {
  /** Stable id, e.g. `k8s-105606-deletecollection-leak`. */
  id: string;
  title: string;
  /** Component whose dump shows it, e.g. `kube-apiserver`. */
  component: string;
  signature: KnownIssueSignature;
  /** Affected versions as a semver range (`<1.23.0-alpha.4`, `>=1.8.0 <1.23.0 || =1.24.1`). */
  affectedVersions: string;
  /** First release with the fix, null if not fixed. */
  fixedIn: string | null;
  links: string[];
  /** What happens and what to do, one short paragraph. */
  detail: string;
  /** A stack from a real dump (function names top first) that must match; the tests check it. */
  example: { state: string; functions: string[]; source: string };
}

/** How a match relates to the cluster version given by the caller. */
export type KnownIssueVersionStatus = 'affected' | 'not-affected' | 'unknown';

export interface KnownIssueMatch {
  issue: KnownIssue;
  version: KnownIssueVersionStatus;
}

/** The least a stack needs for matching: its state and its frames' function names, top first. */
export interface MatchableStack {
  state: string | null;
  frames: ReadonlyArray<{ function: string }>;
}
