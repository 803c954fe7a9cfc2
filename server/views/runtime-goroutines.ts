import 'server-only';
// Goroutine dump → the runtime page's JSON (the shape of `kube-forensics inspect goroutines --json`,
// trimmed to the top groups so a 100k-goroutine dump stays a small answer).
import { analyzeGoroutines, diffGoroutineGroups, type GoroutineGroup, type StackLocation } from '@/lib/analysis/goroutines';
import type { GoroutineDumpSummary } from '@/lib/parse/goroutine-dump';

export const MAX_GROUPS = 300;

export interface ParsedDump { dump: GoroutineDumpSummary; groups: GoroutineGroup[] }

const loc = (l: StackLocation | null) => (l ? { function: l.function, file: l.file, line: l.line } : null);

export function goroutineAnalysisJson(meta: { id: number; t: number; component: string }, parsed: ParsedDump, version?: string) {
  const a = analyzeGoroutines(parsed.groups, { version });
  const idle = new Set(a.idle.signatures);
  const shown = a.groups.slice(0, MAX_GROUPS);
  const index = new Map(shown.map((g, i) => [g.signature, i]));
  return {
    kind: 'goroutine' as const,
    id: meta.id,
    t: meta.t,
    component: meta.component,
    format: parsed.dump.format,
    total: a.total,
    groupCount: a.groups.length,
    truncatedGroups: Math.max(0, a.groups.length - shown.length),
    groups: shown.map((g) => ({
      count: g.count,
      state: g.state,
      minutes: { min: g.minutes.min, median: g.minutes.median, max: g.minutes.max },
      function: g.topFrame?.function ?? null,
      file: g.topFrame?.file ?? null,
      line: g.topFrame?.line ?? null,
      createdBy: loc(g.createdBy),
      lockedToThread: g.lockedToThread,
      idle: idle.has(g.signature),
      frames: g.frames.map((f) => ({ function: f.function, file: f.file, line: f.line })),
    })),
    idle: { groups: a.idle.groups, goroutines: a.idle.goroutines, byState: a.idle.byState },
    suspects: a.suspects.map((s) => ({
      group: index.get(s.signature) ?? null, score: s.score, count: s.count, state: s.state, function: s.function,
      reasons: s.reasons, knownIssues: s.knownIssues, growth: s.growth,
      minutes: (() => { const g = parsed.groups.find((x) => x.signature === s.signature); return g ? { min: g.minutes.min, median: g.minutes.median, max: g.minutes.max } : null; })(),
    })),
    knownIssues: a.knownIssues.map((k) => ({
      id: k.id, title: k.title, detail: k.detail, count: k.count, version: k.version, fixedIn: k.fixedIn, links: k.links,
      groups: k.signatures.map((sig) => index.get(sig) ?? null),
    })),
    warnings: parsed.dump.warnings.map((w) => ({ code: w.code, line: w.line, message: w.message })),
  };
}

export function goroutineDiffJson(base: { id: number; parsed: ParsedDump }, next: { id: number; parsed: ParsedDump }) {
  const d = diffGoroutineGroups(base.parsed.groups, next.parsed.groups);
  const cut = <T>(l: T[]) => l.slice(0, 100);
  return {
    kind: 'goroutine' as const,
    base: base.id,
    new: next.id,
    depth: d.depth,
    totalBefore: d.totalBefore,
    totalAfter: d.totalAfter,
    grew: cut(d.grew),
    shrank: cut(d.shrank),
    appeared: cut(d.appeared),
    disappeared: cut(d.disappeared),
  };
}
