import { describe, expect, it } from 'vitest';
import { isWaitPlumbing, matchKnownIssues, topFunction } from './match';
import type { KnownIssue } from './types';

const issue = (over: Partial<KnownIssue>): KnownIssue => ({
  id: 'x', title: 'x', component: 'c', signature: { function: 'pkg.f' }, affectedVersions: '<2.0.0', fixedIn: '2.0.0', links: ['https://example.com'],
  detail: '', example: { state: 'select', functions: ['pkg.f'], source: 'test' }, ...over,
});
const stack = (state: string | null, ...functions: string[]) => ({ state, frames: functions.map((f) => ({ function: f })) });

describe('topFunction', () => {
  it('skips wait plumbing: runtime, sync internals, internal/poll', () => {
    expect(topFunction(stack(null, 'runtime.gopark', 'runtime.selectgo', 'main.loop').frames)).toBe('main.loop');
    expect(topFunction(stack(null, 'sync.runtime_notifyListWait', 'sync.(*Cond).Wait', 'pkg.(*q).Get').frames)).toBe('pkg.(*q).Get');
    expect(topFunction(stack(null, 'internal/poll.runtime_pollWait', 'internal/poll.(*FD).Read', 'net.(*netFD).Read').frames)).toBe('net.(*netFD).Read');
    expect(topFunction(stack(null, 'runtime.gopark').frames)).toBe('runtime.gopark');
    expect(topFunction([])).toBeNull();
    expect(isWaitPlumbing('sync.(*Once).Do')).toBe(false);
  });
});

describe('matchKnownIssues', () => {
  it('matches substrings, patterns, states and any-frame signatures', () => {
    const issues = [
      issue({ id: 'sub', signature: { function: 'pkg.f' } }),
      issue({ id: 're', signature: { function: /^pkg\.f$/, state: /^chan/ } }),
      issue({ id: 'any', signature: { function: 'main.caller', frame: 'any' } }),
    ];
    expect(matchKnownIssues(stack('chan send', 'pkg.f', 'main.caller'), { issues }).map((m) => m.issue.id)).toEqual(['sub', 're', 'any']);
    expect(matchKnownIssues(stack('select', 'pkg.f2', 'main.caller'), { issues }).map((m) => m.issue.id)).toEqual(['sub', 'any']);
  });
  it('treats a state string as exact', () => {
    const issues = [issue({ signature: { function: 'pkg.f', state: 'chan send' } })];
    expect(matchKnownIssues(stack('chan send (nil chan)', 'pkg.f'), { issues })).toEqual([]);
  });
  it('reports the version status', () => {
    const issues = [issue({})];
    expect(matchKnownIssues(stack('select', 'pkg.f'), { issues, version: '1.9.0' })[0]?.version).toBe('affected');
    expect(matchKnownIssues(stack('select', 'pkg.f'), { issues, version: '2.0.0' })[0]?.version).toBe('not-affected');
    expect(matchKnownIssues(stack('select', 'pkg.f'), { issues, version: 'garbage' })[0]?.version).toBe('unknown');
    expect(matchKnownIssues(stack('select', 'pkg.f'), { issues })[0]?.version).toBe('unknown');
  });
});
