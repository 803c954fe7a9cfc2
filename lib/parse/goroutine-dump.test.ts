// Hand-written edge cases for the goroutine dump parser. Line shapes are copied from the grammar in
// control-plane-facts.md §6 and the incident dump excerpt (§2); they add cases real Go 1.19 captures
// cannot show (Go 1.21+ `created by … in goroutine N` and `...N frames elided...`, Go 1.23+
// `gp= m=`, cgo `non-Go function`, truncation). Real captures: goroutine-dump.captures.test.ts.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { GoroutineDumpParser, PPROF_DEBUG2_LIMIT_BYTES, parseGoroutineDump } from './goroutine-dump';
import type { ParsedGoroutine } from './goroutine-dump';

const lines = (...l: string[]) => `${l.join('\n')}\n`;

const INCIDENT = lines(
  'goroutine 18970952966 [chan send, 429 minutes]:',
  'k8s.io/kubernetes/vendor/k8s.io/apiserver/pkg/registry/generic/registry.(*Store).DeleteCollection.func1(0xc00f082ba0, 0xc04e059b90, 0x9, 0x9, 0xc235e37570)',
  '\t/workspace/src/k8s.io/kubernetes/_output/local/go/src/k8s.io/kubernetes/vendor/k8s.io/apiserver/pkg/registry/generic/registry/store.go:1036 +0xd6',
  'created by k8s.io/kubernetes/vendor/k8s.io/apiserver/pkg/registry/generic/registry.(*Store).DeleteCollection',
  '\t/workspace/src/k8s.io/kubernetes/_output/local/go/src/k8s.io/kubernetes/vendor/k8s.io/apiserver/pkg/registry/generic/registry/store.go:1030 +0x2e5',
  '',
  'goroutine 1 [select, 12 minutes, locked to thread]:',
  'main.main()',
  '\t/src/main.go:20 +0x1f',
  '',
);

describe('parseGoroutineDump: debug=2', () => {
  it('reads headers, frames and created by', () => {
    const d = parseGoroutineDump(INCIDENT);
    expect(d.format).toBe('debug=2');
    expect(d.warnings).toEqual([]);
    expect(d.total).toBe(2);
    const [leak, main] = d.goroutines;
    expect(leak).toMatchObject({ id: 18970952966, count: 1, state: 'chan send', minutes: 429, lockedToThread: false, partial: false, lineNumber: 1 });
    expect(leak?.frames).toEqual([{
      function: 'k8s.io/kubernetes/vendor/k8s.io/apiserver/pkg/registry/generic/registry.(*Store).DeleteCollection.func1',
      file: '/workspace/src/k8s.io/kubernetes/_output/local/go/src/k8s.io/kubernetes/vendor/k8s.io/apiserver/pkg/registry/generic/registry/store.go',
      line: 1036, args: '0xc00f082ba0, 0xc04e059b90, 0x9, 0x9, 0xc235e37570', offset: 0xd6, inlined: false,
    }]);
    expect(leak?.createdBy).toMatchObject({ function: 'k8s.io/kubernetes/vendor/k8s.io/apiserver/pkg/registry/generic/registry.(*Store).DeleteCollection', line: 1030, parentId: null });
    expect(main).toMatchObject({ id: 1, state: 'select', minutes: 12, lockedToThread: true, createdBy: null, lineNumber: 7 });
  });

  it('marks inlined frames: (...) and no +0x', () => {
    const d = parseGoroutineDump(lines(
      'goroutine 4 [force gc (idle)]:',
      'runtime.gopark(0x0?, 0x0?, 0x0?, 0x0?, 0x0?)',
      '\truntime/proc.go:363 +0xd6',
      'runtime.goparkunlock(...)',
      '\truntime/proc.go:369',
      'runtime.forcegchelper()',
      '\truntime/proc.go:302 +0xad',
      'created by runtime.init.6',
      '\truntime/proc.go:290 +0x25',
    ));
    expect(d.warnings).toEqual([]);
    expect(d.goroutines[0]?.frames.map((f) => [f.function, f.inlined])).toEqual([
      ['runtime.gopark', false], ['runtime.goparkunlock', true], ['runtime.forcegchelper', false],
    ]);
  });

  it('reads Go 1.21+ created-by parents and both elision forms', () => {
    const frames = (from: number, n: number) => Array.from({ length: n }, (_, i) => [`main.f${from + i}()`, `\t/src/main.go:${from + i} +0x1`]).flat();
    const d = parseGoroutineDump(lines(
      'goroutine 8 [chan receive]:',
      ...frames(0, 50),
      '...30 frames elided...',
      ...frames(80, 50),
      'created by main.start in goroutine 1',
      '\t/src/main.go:200 +0x25',
      '',
      'goroutine 9 [chan receive]:',
      ...frames(0, 100),
      '...additional frames elided...',
      'created by main.start',
      '\t/src/main.go:201 +0x25',
    ));
    expect(d.warnings).toEqual([]);
    const [g8, g9] = d.goroutines;
    expect(g8?.frames).toHaveLength(100);
    expect(g8?.elided).toEqual({ at: 50, count: 30 });
    expect(g8?.frames[50]?.function).toBe('main.f80');
    expect(g8?.createdBy).toMatchObject({ function: 'main.start', parentId: 1, line: 200 });
    expect(g9?.elided).toEqual({ at: 100, count: null });
    expect(g9?.createdBy?.parentId).toBeNull();
  });

  it('reads Go 1.23+ gp= m= headers and GOTRACEBACK=system frame suffixes', () => {
    const d = parseGoroutineDump(lines(
      'goroutine 1 gp=0xc000002380 m=0 mp=0x6c5e40 [running]:',
      'panic({0x4a8b40?, 0x4f2a20?})',
      '\t/usr/lib/go/src/runtime/panic.go:785 +0x132 fp=0xc00006af28 sp=0xc00006ae78 pc=0x46a2f2',
      'main.main()',
      '\t/src/main.go:9 +0x25 fp=0xc00006af50 sp=0xc00006af28 pc=0x48a1c5',
    ));
    expect(d.warnings).toEqual([]);
    expect(d.goroutines[0]?.frames.map((f) => `${f.function}@${f.line}`)).toEqual(['panic@785', 'main.main@9']);
  });

  it('reads ancestors, stack-unavailable and cgo lines', () => {
    const d = parseGoroutineDump(lines(
      'goroutine 21 [select]:',
      'main.pollLoop(0xc000092120)',
      '\tmain.go:42 +0xbf',
      'created by main.startBackground',
      '\tmain.go:89 +0x50',
      '[originating from goroutine 1]:',
      'main.startBackground(...)',
      '\tmain.go:88 +0x50',
      'main.main(...)',
      '\tmain.go:156 +0xea',
      '',
      'goroutine 105 [running]:',
      '\tgoroutine running on other thread; stack unavailable',
      'created by main.main',
      '\tmain.go:176 +0x245',
      '',
      'goroutine 7 [syscall]:',
      'non-Go function at pc=0x7f1c2a3b4c5d',
      'non-Go function at pc=0x7f1c2a3b4000',
      'non-Go function',
      '\tpc=0x7f1c2a3b4001',
      'my_c_function',
      '\t/src/c/thing.c:12 pc=0x4a5b6c',
      'runtime.cgocall(0x48a0e0, 0xc00006af20)',
      '\truntime/cgocall.go:157 +0x5c',
    ));
    expect(d.warnings).toEqual([]);
    const [g21, g105, g7] = d.goroutines;
    expect(g21?.frames).toHaveLength(1);
    expect(g21?.ancestors).toEqual([{
      id: 1, elided: null, createdBy: null,
      frames: [
        { function: 'main.startBackground', file: 'main.go', line: 88, args: '...', offset: 0x50, inlined: false },
        { function: 'main.main', file: 'main.go', line: 156, args: '...', offset: 0xea, inlined: false },
      ],
    }]);
    expect(g105).toMatchObject({ state: 'running', stackUnavailable: true, frames: [], createdBy: { function: 'main.main' }, partial: false });
    expect(g7?.frames.map((f) => [f.function, f.file, f.line])).toEqual([
      ['non-Go function', '', 0], ['non-Go function', '', 0], ['non-Go function', '', 0], ['my_c_function', '/src/c/thing.c', 12],
      ['runtime.cgocall', 'runtime/cgocall.go', 157],
    ]);
  });

  it('skips a crash preamble and tolerates CRLF', () => {
    const d = parseGoroutineDump('panic: boom\r\n\r\ngoroutine 1 [running]:\r\nmain.main()\r\n\t/src/main.go:5 +0x1d\r\nexit status 2\r\n');
    expect(d.goroutines).toHaveLength(1);
    expect(d.goroutines[0]?.frames[0]).toMatchObject({ function: 'main.main', file: '/src/main.go', line: 5 });
    // `exit status 2` is not part of the dump: reported, not fatal.
    expect(d.warnings.map((w) => [w.code, w.line])).toEqual([['malformed-line', 6]]);
  });

  it('reports malformed lines with their line number and goes on', () => {
    const d = parseGoroutineDump(lines(
      'goroutine 1 [select]:',
      'main.a()',
      'main.b()',
      '\t/src/main.go:5 +0x1d',
      '\t/src/main.go:6 +0x1d',
      '',
      'goroutine 2 [select]:',
      'main.c()',
      '\t/src/main.go:7 +0x1d',
    ));
    expect(d.total).toBe(2);
    expect(d.warnings.map((w) => [w.code, w.line])).toEqual([['malformed-line', 3], ['malformed-line', 5]]);
    expect(d.goroutines[0]?.frames.map((f) => f.function)).toEqual(['main.b']);
    expect(d.truncated).toBe(false);
  });

  it('accepts a header that follows a goroutine without a blank line, with a warning', () => {
    const d = parseGoroutineDump(lines('goroutine 1 [select]:', 'main.a()', '\tmain.go:1 +0x1', 'goroutine 2 [select]:', 'main.a()', '\tmain.go:1 +0x1'));
    expect(d.total).toBe(2);
    expect(d.warnings).toHaveLength(1);
  });

  it('never throws and caps warnings', () => {
    const d = parseGoroutineDump(`goroutine 1 [select]:\n${'\tjunk\n'.repeat(500)}`);
    expect(d.warnings).toHaveLength(102);
    // The header has no frames at all, so the dump also looks cut; that warning is never dropped.
    expect(d.warnings.slice(-2)).toMatchObject([{ code: 'truncated' }, { code: 'too-many-warnings', message: '400 more warnings not shown' }]);
  });

  it('says when the input is not a dump at all', () => {
    expect(parseGoroutineDump('').warnings.map((w) => w.code)).toEqual(['no-goroutines']);
    expect(parseGoroutineDump('{"kind":"Status"}\n').warnings.map((w) => w.code)).toEqual(['no-goroutines']);
    // A debug=0 profile read as UTF-8 text.
    expect(parseGoroutineDump('\x1f\ufffd\b\0\0\0\0\0\0\xff\n\ufffd').warnings.at(-1)?.message).toContain('debug=0');
  });

  it('skips an over-long line without buffering it', () => {
    const p = new GoroutineDumpParser({ onGoroutine: () => {} });
    p.write('goroutine 1 [select]:\nmain.a()\n\tmain.go:1 +0x1\n\n');
    for (let i = 0; i < 5; i++) p.write('x'.repeat(400_000));
    p.write('yyy\ngoroutine 2 [select]:\nmain.a()\n\tmain.go:1 +0x1\n');
    const s = p.end();
    expect(s.total).toBe(2);
    expect(s.warnings.map((w) => [w.code, w.line])).toEqual([['malformed-line', 5]]);
    expect(s.lines).toBe(8);
  });
});

describe('truncation (pprof stops at 64 MiB with no marker)', () => {
  const codes = (text: string) => parseGoroutineDump(text).warnings.map((w) => w.code);

  it('flags a function line without its file line', () => {
    const d = parseGoroutineDump(lines('goroutine 1 [select]:', 'main.a()', '\tmain.go:1 +0x1', 'main.b(0xc000010000)'));
    expect(d.truncated).toBe(true);
    expect(d.warnings.map((w) => w.code)).toEqual(['truncated']);
    expect(d.goroutines[0]).toMatchObject({ partial: true, frames: [{ function: 'main.a' }] });
  });
  it('flags a header without frames at the end', () => {
    expect(codes(lines('goroutine 1 [select]:', 'main.a()', '\tmain.go:1 +0x1', '', 'goroutine 2 [chan send, 3 minutes]:'))).toEqual(['truncated']);
  });
  it('flags a final line cut in the middle', () => {
    expect(codes('goroutine 1 [select]:\nmain.a()\n\tmain.go:1 +0x')).toEqual(['truncated']);
    expect(codes('goroutine 1 [select]:\nmain.a()\n\tmain.go:1 +0x1\n\ngorou')).toEqual(['truncated']);
    expect(codes('goroutine 1 [select]:\nmain.a()\n\tmain.go:1 +0x1\n\ngoroutine 2 [sel')).toEqual(['truncated']);
    expect(codes('goroutine 1 [select]:\nmain.a()\n\tmain.go:1 +0x1\nmain.b(0xc0')).toEqual(['truncated']);
  });
  it('does not flag a complete dump that only lacks the final newline', () => {
    expect(codes('goroutine 1 [select]:\nmain.a()\n\tmain.go:1 +0x1')).toEqual([]);
    expect(codes('goroutine 1 [select]:\nmain.a()\n\tmain.go:1 +0x1\n')).toEqual([]);
  });
  it('flags a dump of exactly 64 MiB even when it ends on a goroutine boundary', () => {
    const p = new GoroutineDumpParser({ onGoroutine: () => {} });
    p.write(lines('goroutine 1 [select]:', 'main.a()', '\tmain.go:1 +0x1', ''));
    const s = p.end({ byteLength: PPROF_DEBUG2_LIMIT_BYTES });
    expect(s.truncated).toBe(true);
    expect(s.warnings[0]?.message).toContain('64 MiB');
  });
  it('never throws wherever the text is cut, and keeps every goroutine before the cut', () => {
    const goroutines = INCIDENT.split('\n\n').length - 1;
    fc.assert(fc.property(fc.integer({ min: 0, max: INCIDENT.length }), (cut) => {
      const d = parseGoroutineDump(INCIDENT.slice(0, cut));
      const complete = INCIDENT.slice(0, cut).split('\n\n').length - 1;
      expect(d.goroutines.filter((g) => !g.partial).length).toBeGreaterThanOrEqual(Math.min(complete, goroutines));
      expect(d.warnings.every((w) => w.code === 'truncated' || w.code === 'no-goroutines')).toBe(true);
    }));
  });
});

describe('parseGoroutineDump: debug=1', () => {
  const DEBUG1 = lines(
    'goroutine profile: total 14',
    '10 @ 0x43a2d6 0x4630ac 0x46308c 0x46b4cc 0x4f37f2 0x466a41',
    '#\t0x46308b\tsync.runtime_notifyListWait+0x12b\truntime/sema.go:517',
    '#\t0x46b4cb\tsync.(*Cond).Wait+0x8b\t\t\tsync/cond.go:70',
    '#\t0x4f37f1\tmain.startBackground.func1+0x51\t\tmain.go:100',
    '',
    '3 @ 0x43a2d6 0x407e3b 0x407938 0x4f2c9b 0x466a41',
    '# labels: {"component":"labelled", "shard":"7"}',
    '#\t0x4f2c9a\tmain.recv+0x1a\tmain.go:58',
    '',
    '1 @ 0x7f00deadbeef 0x466a41',
    '#\t0x7f00deadbeef',
    '',
  );
  it('reads counts, labels, frames and unsymbolized PCs', () => {
    const d = parseGoroutineDump(DEBUG1);
    expect(d.format).toBe('debug=1');
    expect(d.warnings).toEqual([]);
    expect(d.declaredTotal).toBe(14);
    expect(d.total).toBe(14);
    expect(d.records).toBe(3);
    const [cond, labelled, raw] = d.goroutines;
    expect(cond).toMatchObject({ id: null, count: 10, state: null, labels: null, lineNumber: 2 });
    expect(cond?.frames.map((f) => [f.function, f.file, f.line, f.offset])).toEqual([
      ['sync.runtime_notifyListWait', 'runtime/sema.go', 517, 0x12b],
      ['sync.(*Cond).Wait', 'sync/cond.go', 70, 0x8b],
      ['main.startBackground.func1', 'main.go', 100, 0x51],
    ]);
    expect(labelled?.labels).toBe('{"component":"labelled", "shard":"7"}');
    expect(raw?.frames).toEqual([{ function: '0x7f00deadbeef', file: '', line: 0, args: undefined, offset: -1, inlined: false }]);
  });
  it('warns when the counts do not add up to the header total', () => {
    const d = parseGoroutineDump(DEBUG1.replace('total 14', 'total 15'));
    expect(d.warnings.map((w) => w.code)).toEqual(['total-mismatch']);
  });
  it('flags a record without its terminating blank line as truncated', () => {
    const d = parseGoroutineDump(DEBUG1.slice(0, DEBUG1.indexOf('# labels')));
    expect(d.truncated).toBe(true);
    expect(d.warnings.map((w) => w.code)).toEqual(['truncated', 'total-mismatch']);
  });
});

describe('robustness', () => {
  it('never throws on arbitrary mixes of dump lines and junk', () => {
    const pieces = [
      'goroutine 1 [select]:', 'goroutine 2 [chan send, 3 minutes, locked to thread]:', 'main.a(0x1)', '\tmain.go:1 +0x1', '\tmain.go:2',
      'created by main.main', 'created by main.main in goroutine 1', '...additional frames elided...', '...7 frames elided...',
      '[originating from goroutine 1]:', '\tgoroutine running on other thread; stack unavailable', 'non-Go function at pc=0x1', '',
      'goroutine profile: total 3', '3 @ 0x1 0x2', '#\t0x1\tmain.a+0x1\tmain.go:1', '# labels: {"a":"b"}', 'panic: boom', '\r', '\t', '#',
    ];
    fc.assert(fc.property(fc.array(fc.oneof(fc.constantFrom(...pieces), fc.string()), { maxLength: 40 }), (parts) => {
      const d = parseGoroutineDump(parts.join('\n'));
      expect(d.total).toBe(d.goroutines.reduce((n, g) => n + g.count, 0));
      expect(d.records).toBe(d.goroutines.length);
    }), { numRuns: 500 });
  });
});

describe('GoroutineDumpParser streaming', () => {
  it('gives the same result however the text is split into chunks', () => {
    const text = INCIDENT + lines('goroutine 3 [IO wait]:', 'internal/poll.runtime_pollWait(0x7f83, 0x72)', '\truntime/netpoll.go:305 +0x89', '');
    const whole = parseGoroutineDump(text);
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: text.length }), { maxLength: 12 }), (cuts) => {
      const got: ParsedGoroutine[] = [];
      const p = new GoroutineDumpParser({ onGoroutine: (g) => got.push(g) });
      const points = [...new Set([0, ...cuts, text.length])].sort((a, b) => a - b);
      for (let i = 1; i < points.length; i++) p.write(text.slice(points[i - 1], points[i]));
      const s = p.end();
      expect(got).toEqual(whole.goroutines);
      expect(s.warnings).toEqual(whole.warnings);
    }));
  });
  it('emits each goroutine as soon as its blank line arrives', () => {
    const got: number[] = [];
    const p = new GoroutineDumpParser({ onGoroutine: (g) => got.push(g.id ?? -1) });
    p.write('goroutine 1 [select]:\nmain.a()\n\tmain.go:1 +0x1\n');
    expect(got).toEqual([]);
    p.write('\ngoroutine 2 [select]:\n');
    expect(got).toEqual([1]);
    p.end();
    expect(got).toEqual([1, 2]);
  });
});
