// Every known issue must match its own real example, carry a readable range and links, and have a
// unique id: adding an issue is one entry in goroutine-issues.ts, checked here.
import { describe, expect, it } from 'vitest';
import { KNOWN_GOROUTINE_ISSUES } from './goroutine-issues';
import { matchKnownIssues } from './match';
import { parseVersion, satisfiesRange } from './version-range';

describe('KNOWN_GOROUTINE_ISSUES', () => {
  it('has unique ids', () => {
    const ids = KNOWN_GOROUTINE_ISSUES.map((i) => i.id);
    expect(new Set(ids).size).toBe(ids.length);
  });
  it.each(KNOWN_GOROUTINE_ISSUES.map((i) => [i.id, i] as const))('%s matches its example and is well formed', (_, issue) => {
    const stack = { state: issue.example.state, frames: issue.example.functions.map((f) => ({ function: f })) };
    expect(matchKnownIssues(stack).map((m) => m.issue.id)).toContain(issue.id);
    expect(satisfiesRange('0.0.1', issue.affectedVersions)).not.toBeNull();
    if (issue.fixedIn !== null) {
      expect(parseVersion(issue.fixedIn)).not.toBeNull();
      expect(satisfiesRange(issue.fixedIn, issue.affectedVersions)).toBe(false);
    }
    expect(issue.links.length).toBeGreaterThan(0);
    for (const l of issue.links) expect(l).toMatch(/^https:\/\//);
    expect(issue.example.source).not.toBe('');
  });
});

describe('k8s-105606-deletecollection-leak', () => {
  const fn = 'k8s.io/apiserver/pkg/registry/generic/registry.(*Store).DeleteCollection.func1';
  const ids = (state: string | null, functions: string[], version?: string) =>
    matchKnownIssues({ state, frames: functions.map((f) => ({ function: f })) }, { version }).map((m) => `${m.issue.id}:${m.version}`);

  it('matches the module path, the GOPATH vendor path and GOTRACEBACK=system stacks', () => {
    expect(ids('chan send', [fn])).toEqual(['k8s-105606-deletecollection-leak:unknown']);
    expect(ids('chan send', [`k8s.io/kubernetes/vendor/${fn}`], 'v1.20.2')).toEqual(['k8s-105606-deletecollection-leak:affected']);
    expect(ids('chan send', ['runtime.gopark', 'runtime.chansend', 'runtime.chansend1', fn], '1.22.17')).toEqual(['k8s-105606-deletecollection-leak:affected']);
  });
  it('reports fixed versions as not affected', () => {
    expect(ids('chan send', [fn], 'v1.23.0')).toEqual(['k8s-105606-deletecollection-leak:not-affected']);
  });
  it('matches debug=1 records (no state) on the stack alone', () => {
    expect(ids(null, [fn])).toEqual(['k8s-105606-deletecollection-leak:unknown']);
  });
  it('does not match other states, other functions or lookalikes', () => {
    expect(ids('select', [fn])).toEqual([]);
    expect(ids('chan send', ['k8s.io/apiserver/pkg/registry/generic/registry.(*Store).DeleteCollection.func2'])).toEqual([]);
    expect(ids('chan send', ['example.com/mine/registry.(*Store).DeleteCollection.func1'])).toEqual([]);
    // Not the top frame: DeleteCollection.func1 calling something else that blocks.
    expect(ids('chan send', ['main.helper', fn])).toEqual([]);
  });
});
