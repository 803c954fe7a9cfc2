// Hand-written dumps (line shapes from control-plane-facts.md §6) for the grouping rules; real
// captures are in goroutines.captures.test.ts.
import { describe, expect, it } from 'vitest';
import { parseGoroutineDump } from '../parse/goroutine-dump';
import { GoroutineGrouper, groupGoroutines } from './goroutine-groups';

function dump(...goroutines: string[][]): string {
  return `${goroutines.map((g) => g.join('\n')).join('\n\n')}\n`;
}
const g = (id: number, header: string, args = '0xc000010000') => [
  `goroutine ${id} [${header}]:`,
  `main.worker(${args}, 0x1)`,
  '\t/src/main.go:20 +0x1f',
  'created by main.main',
  '\t/src/main.go:10 +0x2e',
];

describe('groupGoroutines', () => {
  it('ignores argument values and minutes, like panicparse', () => {
    const groups = groupGoroutines(parseGoroutineDump(dump(g(1, 'select'), g(2, 'select, 5 minutes', '0xc0000aa000'), g(3, 'select, 9 minutes'))).goroutines);
    expect(groups).toHaveLength(1);
    expect(groups[0]).toMatchObject({
      count: 3, state: 'select', minutes: { min: 0, median: 5, max: 9 }, sampleIds: [1, 2, 3],
      topFrame: { function: 'main.worker', file: '/src/main.go', line: 20 },
      createdBy: { function: 'main.main', file: '/src/main.go', line: 10 },
    });
  });

  it('separates by state, lock, line and creator, and orders by count', () => {
    const other = (id: number) => [`goroutine ${id} [select]:`, 'main.worker(0x1)', '\t/src/main.go:21 +0x1f', 'created by main.main', '\t/src/main.go:10 +0x2e'];
    const creator = (id: number) => [`goroutine ${id} [select]:`, 'main.worker(0x1)', '\t/src/main.go:20 +0x1f', 'created by main.start', '\t/src/main.go:30 +0x2e'];
    const groups = groupGoroutines(parseGoroutineDump(dump(
      g(1, 'select'), g(2, 'select'), g(3, 'select'), g(4, 'chan receive'), g(5, 'select, locked to thread'), other(6), other(7), creator(8),
    )).goroutines);
    expect(groups.map((x) => [x.count, x.state, x.lockedToThread, x.frames[0]?.line, x.createdBy?.function])).toEqual([
      [3, 'select', false, 20, 'main.main'],
      [2, 'select', false, 21, 'main.main'],
      [1, 'chan receive', false, 20, 'main.main'],
      [1, 'select', false, 20, 'main.start'],
      [1, 'select', true, 20, 'main.main'],
    ]);
    expect(new Set(groups.map((x) => x.signature)).size).toBe(5);
    // Same frames, different state/creator: one stackKey (what diffs match on).
    expect(groups.filter((x) => x.frames[0]?.line === 20).every((x) => x.stackKey === groups[0]?.stackKey)).toBe(true);
  });

  it('takes the median over goroutines, not over distinct values', () => {
    const gs = [g(1, 'chan send, 1 minutes'), g(2, 'chan send, 1 minutes'), g(3, 'chan send, 1 minutes'), g(4, 'chan send, 100 minutes')];
    expect(groupGoroutines(parseGoroutineDump(dump(...gs)).goroutines)[0]?.minutes).toEqual({ min: 1, median: 1, max: 100 });
  });

  it('keeps a few sample ids only', () => {
    const gs = Array.from({ length: 20 }, (_, i) => g(100 + i, 'select'));
    expect(groupGoroutines(parseGoroutineDump(dump(...gs)).goroutines)[0]?.sampleIds).toEqual([100, 101, 102, 103, 104]);
  });

  it('signature is stable across dumps and skips runtime frames in stackKey', () => {
    const system = [
      'goroutine 9 [select]:', 'runtime.gopark(0x0?)', '\truntime/proc.go:363 +0xd6 fp=0x1 sp=0x2 pc=0x3', 'main.worker(0x1)', '\t/src/main.go:20 +0x1f fp=0x1 sp=0x2 pc=0x3',
      'created by main.main', '\t/src/main.go:10 +0x2e',
    ];
    const [a] = groupGoroutines(parseGoroutineDump(dump(g(1, 'select'))).goroutines);
    const [b] = groupGoroutines(parseGoroutineDump(dump(g(2, 'select, 3 minutes', '0xdead'))).goroutines);
    const [c] = groupGoroutines(parseGoroutineDump(dump(system)).goroutines);
    expect(a?.signature).toBe(b?.signature);
    expect(c?.signature).not.toBe(a?.signature);
    expect(c?.stackKey).toBe(a?.stackKey);
    expect(c?.topFrame?.function).toBe('main.worker');
  });

  it('groups debug=1 records by frames and labels, adding their counts', () => {
    const text = [
      'goroutine profile: total 7', '4 @ 0x1 0x2', '#\t0x1\tmain.worker+0x1\t/src/main.go:20', '',
      '2 @ 0x3 0x2', '#\t0x3\tmain.worker+0x9\t/src/main.go:20', '',
      '1 @ 0x1 0x2', '# labels: {"k":"v"}', '#\t0x1\tmain.worker+0x1\t/src/main.go:20', '', '',
    ].join('\n');
    const groups = groupGoroutines(parseGoroutineDump(text).goroutines);
    expect(groups.map((x) => [x.count, x.state, x.labels, x.sampleIds])).toEqual([[6, null, null, []], [1, null, '{"k":"v"}', []]]);
  });

  it('streams: GoroutineGrouper.total counts goroutines as they are added', () => {
    const grouper = new GoroutineGrouper();
    for (const x of parseGoroutineDump(dump(g(1, 'select'), g(2, 'select'))).goroutines) grouper.add(x);
    expect(grouper.total).toBe(2);
    expect(grouper.groups()).toHaveLength(1);
  });
});
