// Leak-suspect rules on hand-built groups. The shapes mirror real dumps: the incident excerpt
// (control-plane-facts.md §2: 14 DeleteCollection.func1 goroutines in `chan send, 261–429 minutes`
// among ~18,000) and the idle kube-apiserver 1.20 (facts §9; the real capture is tested in
// goroutines.captures.test.ts).
import { describe, expect, it } from 'vitest';
import { diffGoroutineGroups } from './goroutine-diff';
import type { GoroutineGroup } from './goroutine-groups';
import { collapseIdleGroups, findLeakSuspects } from './goroutine-leaks';
import { analyzeGoroutines } from './goroutines';

const DC = 'k8s.io/kubernetes/vendor/k8s.io/apiserver/pkg/registry/generic/registry.(*Store).DeleteCollection.func1';

function group(fn: string, state: string | null, count: number, minutes: [number, number, number] = [0, 0, 0]): GoroutineGroup {
  const frame = { function: fn, file: `/src/${fn.length}.go`, line: 10 };
  return {
    signature: `${state}\n${fn}`, stackKey: fn, count, state, lockedToThread: false,
    minutes: { min: minutes[0], median: minutes[1], max: minutes[2] }, frames: [frame], topFrame: frame, createdBy: null,
    sampleIds: [], labels: null, framesElided: false, stackUnavailable: false,
  };
}

/** An idle apiserver-like population: ~1,700 goroutines over many stacks, equal minutes per stack. */
function idle(minutes: number): GoroutineGroup[] {
  const out: GoroutineGroup[] = [];
  const m: [number, number, number] = [minutes, minutes, minutes];
  out.push(group('cache.(*Reflector).ListAndWatch.func2', 'select', 93, m));
  for (let i = 0; i < 14; i++) out.push(group(`grpc.stream${i}`, 'select', 75, m));
  for (let i = 0; i < 4; i++) out.push(group(`etcd3.(*watchChan).startWatching${i}`, 'chan receive', 68, m));
  for (let i = 0; i < 20; i++) out.push(group(`controller${i}.Run`, 'sync.Cond.Wait', 5, m));
  for (let i = 0; i < 40; i++) out.push(group(`misc${i}`, i % 2 ? 'select' : 'chan receive', 3, m));
  out.push(group('net/http.(*conn).serve', 'IO wait', 60, [0, 0, 5]));
  return out;
}

describe('findLeakSuspects', () => {
  it('finds nothing in an idle apiserver-like dump, fresh or running for days', () => {
    expect(findLeakSuspects(idle(0))).toEqual([]);
    expect(findLeakSuspects(idle(5000))).toEqual([]);
  });

  it('ranks the incident: 14 DeleteCollection goroutines among ~18,000 (known issue)', () => {
    const groups = [...idle(20000), ...Array.from({ length: 160 }, (_, i) => group(`watch${i}`, 'select', 100, [0, 3, 9])), group(DC, 'chan send', 14, [261, 331, 429])];
    const a = analyzeGoroutines(groups, { version: 'v1.18.4' });
    expect(a.total).toBeGreaterThan(17000);
    expect(a.suspects).toHaveLength(1);
    const [s] = a.suspects;
    expect(s).toMatchObject({ count: 14, state: 'chan send', function: DC, score: 100, knownIssues: ['k8s-105606-deletecollection-leak'] });
    expect(s?.reasons[0]).toContain('known issue k8s-105606-deletecollection-leak');
    expect(s?.reasons[0]).toContain('this version is affected');
    expect(s?.reasons.join(' ')).toContain('261–429 minutes');
    expect(a.knownIssues.map((k) => [k.id, k.count, k.version])).toEqual([['k8s-105606-deletecollection-leak', 14, 'affected']]);
  });

  it('always flags the known issue, even a handful of goroutines that have not waited a minute yet', () => {
    const a = analyzeGoroutines([...idle(0), group(DC, 'chan send', 2)]);
    expect(a.suspects.map((s) => [s.function, s.count, s.score])).toEqual([[DC, 2, 100]]);
    expect(a.knownIssues[0]?.version).toBe('unknown');
  });

  it('keeps the score of a known issue at 100 when it also grew', () => {
    const a = analyzeGoroutines([...idle(1), group(DC, 'chan send', 40)], { base: idle(0), version: 'v1.20.2' });
    expect(a.suspects.map((s) => [s.count, s.score, s.growth])).toEqual([[40, 100, 40]]);
    expect(a.suspects[0]?.reasons[1]).toBe('grew from 0 to 40 (+40) since the base dump');
  });

  it('does not force the known issue on a fixed version, but the chan-send rule still applies', () => {
    expect(analyzeGoroutines([...idle(0), group(DC, 'chan send', 2)], { version: 'v1.23.1' }).suspects).toEqual([]);
    const a = analyzeGoroutines([...idle(0), group(DC, 'chan send', 14, [261, 331, 429])], { version: 'v1.23.1' });
    expect(a.suspects.map((s) => [s.count, s.knownIssues])).toEqual([[14, []]]);
    expect(a.suspects[0]?.score).toBeLessThan(100);
    expect(a.knownIssues[0]?.version).toBe('not-affected');
  });

  it('flags any group stuck in chan send for minutes, from 3 goroutines', () => {
    expect(findLeakSuspects([...idle(0), group('main.produce', 'chan send', 3, [10, 12, 15])]).map((s) => s.function)).toEqual(['main.produce']);
    expect(findLeakSuspects([...idle(0), group('main.produce', 'chan send', 2, [10, 12, 15])])).toEqual([]);
    expect(findLeakSuspects([...idle(0), group('main.produce', 'chan send', 30, [0, 1, 2])])).toEqual([]);
  });

  it('flags a large group blocked on locks (contention or deadlock)', () => {
    const [s] = findLeakSuspects([...idle(0), group('pkg.(*cache).Get', 'semacquire', 400)]);
    expect(s?.function).toBe('pkg.(*cache).Get');
    expect(s?.reasons[0]).toMatch(/^400 goroutines \(19% of 2\d{3}\) blocked in semacquire/);
  });

  it('flags a very large select group only when it has been accumulating for long', () => {
    const acc = group('pkg.(*watcher).run', 'select', 600, [2, 240, 600]);
    const [s] = findLeakSuspects([...idle(0), acc]);
    expect(s?.reasons[0]).toContain('created over 598 minutes');
    // Same size, all started together (a worker pool): not a leak.
    expect(findLeakSuspects([...idle(0), group('pkg.(*pool).worker', 'select', 600, [600, 600, 600])])).toEqual([]);
  });

  it('flags growth between dumps, and ignores jitter', () => {
    const base = [...idle(0), group('pkg.handler', 'chan receive', 20)];
    const now = [...idle(1), group('pkg.handler', 'chan receive', 80)];
    const s = findLeakSuspects(now, { diff: diffGoroutineGroups(base, now) });
    expect(s.map((x) => [x.function, x.growth])).toEqual([['pkg.handler', 60]]);
    expect(s[0]?.reasons[0]).toBe('grew from 20 to 80 (+60) since the base dump');
    const jitter = [...idle(1).map((g) => (g.count > 60 ? { ...g, count: g.count + 4 } : g))];
    expect(findLeakSuspects(jitter, { diff: diffGoroutineGroups(idle(0), jitter) })).toEqual([]);
    // Running goroutines are load, not a leak.
    const busy = [...idle(0), group('pkg.compute', 'running', 40)];
    expect(findLeakSuspects(busy, { diff: diffGoroutineGroups(idle(0), busy) })).toEqual([]);
  });

  it('scores stronger signals higher', () => {
    const groups = [...idle(0), group('a.lock', 'semacquire', 400), group('b.send', 'chan send', 400, [0, 60, 120])];
    const s = findLeakSuspects(groups);
    expect(s.map((x) => x.function)).toEqual(['b.send', 'a.lock']);
    expect(s[0]!.score).toBeGreaterThan(s[1]!.score);
    expect(s.every((x) => x.score > 0 && x.score < 100)).toBe(true);
  });
});

describe('collapseIdleGroups', () => {
  it('folds small idle groups and never suspects, large or growing groups', () => {
    const base = idle(0);
    const groups = [...idle(0), group(DC, 'chan send', 2), group('pkg.grower', 'select', 30), group('pkg.busy', 'running', 1)];
    const diff = diffGoroutineGroups([...base, group('pkg.grower', 'select', 1)], groups);
    const a = analyzeGoroutines(groups, { base: [...base, group('pkg.grower', 'select', 1)] });
    const idleSummary = collapseIdleGroups(groups, { suspects: a.suspects, diff });
    const folded = new Set(idleSummary.signatures);
    expect(folded.has(`chan send\n${DC}`)).toBe(false);
    expect(folded.has('select\npkg.grower')).toBe(false);
    expect(folded.has('running\npkg.busy')).toBe(false);
    expect(folded.has('select\ncache.(*Reflector).ListAndWatch.func2')).toBe(false); // 93 of ~1,800: above 5%
    expect(folded.has('select\ngrpc.stream0')).toBe(true);
    expect(idleSummary.goroutines).toBe(groups.filter((g) => folded.has(g.signature)).reduce((n, g) => n + g.count, 0));
    expect(idleSummary.byState.map((s) => s.state)).toEqual(['select', 'chan receive', 'sync.Cond.Wait', 'IO wait']);
    expect(a.idle).toEqual(idleSummary);
  });
});
