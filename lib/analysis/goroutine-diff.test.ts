import { describe, expect, it } from 'vitest';
import { parseGoroutineDump } from '../parse/goroutine-dump';
import { diffGoroutineGroups } from './goroutine-diff';
import { groupGoroutines } from './goroutine-groups';

/** n goroutines in `state` at main.<fn> (hand-written, §6 line shapes). */
function stacks(spec: Array<[fn: string, state: string, n: number]>): string {
  let id = 1;
  const out: string[] = [];
  for (const [fn, state, n] of spec) {
    for (let i = 0; i < n; i++) out.push(`goroutine ${id++} [${state}]:\nmain.${fn}()\n\t/src/main.go:${fn.length} +0x1\ncreated by main.main\n\t/src/main.go:1 +0x1\n`);
  }
  return out.join('\n');
}
const groups = (spec: Array<[string, string, number]>) => groupGoroutines(parseGoroutineDump(stacks(spec)).goroutines);

describe('diffGoroutineGroups', () => {
  it('lists grown, shrunk, new and gone stacks, largest change first', () => {
    const before = groups([['stable', 'select', 5], ['grower', 'chan send', 2], ['shrinker', 'select', 9], ['gone', 'IO wait', 3], ['grow2', 'select', 1]]);
    const after = groups([['stable', 'select', 5], ['grower', 'chan send', 40], ['shrinker', 'select', 4], ['fresh', 'semacquire', 7], ['grow2', 'select', 3]]);
    const d = diffGoroutineGroups(before, after);
    expect([d.totalBefore, d.totalAfter]).toEqual([20, 59]);
    expect(d.grew.map((c) => [c.function, c.before, c.after, c.delta, c.state])).toEqual([
      ['main.grower', 2, 40, 38, 'chan send'], ['main.grow2', 1, 3, 2, 'select'],
    ]);
    expect(d.shrank.map((c) => [c.function, c.delta])).toEqual([['main.shrinker', -5]]);
    expect(d.appeared.map((c) => [c.function, c.after])).toEqual([['main.fresh', 7]]);
    expect(d.disappeared.map((c) => [c.function, c.before, c.delta])).toEqual([['main.gone', 3, -3]]);
  });

  it('adds up groups that share a stack but differ in state', () => {
    const before = groups([['w', 'select', 3]]);
    const after = groups([['w', 'select', 2], ['w', 'runnable', 4]]);
    const d = diffGoroutineGroups(before, after);
    expect(d.grew.map((c) => [c.before, c.after, c.state])).toEqual([[3, 6, 'runnable']]);
  });

  it('matches a debug=1 dump against a debug=2 one', () => {
    const before = groupGoroutines(parseGoroutineDump('goroutine profile: total 3\n3 @ 0x1\n#\t0x1\tmain.ww+0x1\t/src/main.go:2\n\n').goroutines);
    const after = groups([['ww', 'chan send', 8]]);
    expect(diffGoroutineGroups(before, after).grew.map((c) => c.delta)).toEqual([5]);
  });

  it('compares only the top frames when one side is debug=1 (stacks cut at 32 PCs)', () => {
    const deep = (n: number) => Array.from({ length: n }, (_, i) => `main.f${i}()\n\t/src/main.go:${i + 1} +0x1`).join('\n');
    const two = groupGoroutines(parseGoroutineDump(`goroutine 1 [select]:\n${deep(60)}\n\ngoroutine 2 [select]:\n${deep(60)}\n`).goroutines);
    const frames30 = Array.from({ length: 30 }, (_, i) => `#\t0x${i + 1}\tmain.f${i}+0x1\t/src/main.go:${i + 1}`).join('\n');
    const one = groupGoroutines(parseGoroutineDump(`goroutine profile: total 2\n2 @ 0x1\n${frames30}\n\n`).goroutines);
    const d = diffGoroutineGroups(one, two);
    expect(d.depth).toBe(20);
    expect([d.grew, d.shrank, d.appeared, d.disappeared]).toEqual([[], [], [], []]);
    expect(diffGoroutineGroups(two, two).depth).toBeNull();
  });

  it('is empty for identical dumps', () => {
    const a = groups([['x', 'select', 3], ['y', 'chan receive', 2]]);
    const d = diffGoroutineGroups(a, a);
    expect([d.grew, d.shrank, d.appeared, d.disappeared]).toEqual([[], [], [], []]);
  });

  it('leaves out the goroutine that wrote the dump', () => {
    const writer = (line: number) =>
      `goroutine 1 [running]:\nruntime/pprof.writeGoroutineStacks({0x1, 0x2})\n\truntime/pprof/pprof.go:692 +0x70\nmain.dump()\n\tmain.go:${line} +0x1\n`;
    const d = diffGoroutineGroups(groupGoroutines(parseGoroutineDump(writer(10)).goroutines), groupGoroutines(parseGoroutineDump(writer(12)).goroutines));
    expect([d.grew, d.shrank, d.appeared, d.disappeared]).toEqual([[], [], [], []]);
  });
});
