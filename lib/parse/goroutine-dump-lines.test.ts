// Hand-written line shapes, each copied from the grammar in control-plane-facts.md §6 (which cites
// runtime/traceback.go, runtime/pprof/pprof.go and panicparse stack/context.go). Real dumps are
// covered in goroutine-dump.captures.test.ts.
import { describe, expect, it } from 'vitest';
import {
  parseCountFrame,
  parseCountLine,
  parseCreatedBy,
  parseElided,
  parseFileLine,
  parseHeader,
  parseLabelsLine,
  parseNonGoFunction,
  parseOriginating,
  parseProfileHeader,
  splitFunctionLine,
} from './goroutine-dump-lines';

describe('parseHeader', () => {
  it('reads the plain form', () => {
    expect(parseHeader('goroutine 1 [running]:')).toEqual({ id: 1, state: 'running', scan: false, minutes: 0, lockedToThread: false });
  });
  it('reads minutes, as in the incident dump', () => {
    expect(parseHeader('goroutine 18970952966 [chan send, 429 minutes]:')).toEqual({
      id: 18970952966, state: 'chan send', scan: false, minutes: 429, lockedToThread: false,
    });
  });
  it('reads (scan), minutes and locked to thread together', () => {
    expect(parseHeader('goroutine 7 [chan receive (scan), 12 minutes, locked to thread]:')).toEqual({
      id: 7, state: 'chan receive', scan: true, minutes: 12, lockedToThread: true,
    });
  });
  it('keeps wait reasons that contain parentheses or dots', () => {
    expect(parseHeader('goroutine 9 [select (no cases)]:')?.state).toBe('select (no cases)');
    expect(parseHeader('goroutine 9 [chan receive (nil chan), 3 minutes]:')?.state).toBe('chan receive (nil chan)');
    expect(parseHeader('goroutine 9 [sync.RWMutex.RLock]:')?.state).toBe('sync.RWMutex.RLock');
    expect(parseHeader('goroutine 9 [GC worker (idle)]:')?.state).toBe('GC worker (idle)');
  });
  it('skips the Go 1.23+ gp= m= mp= part', () => {
    expect(parseHeader('goroutine 1 gp=0xc000002380 m=0 mp=0x6c5e40 [running]:')).toMatchObject({ id: 1, state: 'running' });
    expect(parseHeader('goroutine 18 gp=0xc000084a80 m=nil [finalizer wait, 5 minutes]:')).toMatchObject({ id: 18, state: 'finalizer wait', minutes: 5 });
  });
  it('ignores unknown comma parts instead of failing', () => {
    expect(parseHeader('goroutine 3 [select, 2 minutes, something new]:')).toMatchObject({ state: 'select', minutes: 2 });
  });
  it('rejects what is not a header', () => {
    for (const l of ['goroutine profile: total 12', 'goroutine 1 [running]', 'goroutine x [running]:', 'goroutine 1 []:', 'goroutine 1 running]:', '\tgoroutine 1 [running]:']) {
      expect(parseHeader(l), l).toBeNull();
    }
  });
});

describe('parseFileLine', () => {
  it('reads file, line and +0x offset', () => {
    expect(parseFileLine('\t/usr/lib/go-1.19/src/runtime/proc.go:363 +0xd6')).toEqual({ file: '/usr/lib/go-1.19/src/runtime/proc.go', line: 363, offset: 0xd6, pc: '' });
  });
  it('reads inlined frames, which have no offset', () => {
    expect(parseFileLine('\truntime/proc.go:369')).toEqual({ file: 'runtime/proc.go', line: 369, offset: -1, pc: '' });
  });
  it('reads the GOTRACEBACK=system fp= sp= pc= suffix', () => {
    expect(parseFileLine('\truntime/panic.go:987 +0x3ba fp=0xc00004af28 sp=0xc00004ae68 pc=0x43727a')).toEqual({
      file: 'runtime/panic.go', line: 987, offset: 0x3ba, pc: '0x43727a',
    });
  });
  it('keeps Windows drive colons and spaces in the path', () => {
    expect(parseFileLine('\tC:/Program Files/Go/src/runtime/proc.go:381 +0x1f')).toMatchObject({ file: 'C:/Program Files/Go/src/runtime/proc.go', line: 381 });
  });
  it('reads symbolized cgo frames (printOneCgoTraceback)', () => {
    expect(parseFileLine('\t/src/c/thing.c:12 pc=0x4a5b6c')).toEqual({ file: '/src/c/thing.c', line: 12, offset: -1, pc: '0x4a5b6c' });
    expect(parseFileLine('\tpc=0x4a5b6c')).toEqual({ file: '', line: 0, offset: -1, pc: '0x4a5b6c' });
  });
  it('rejects lines that are not file lines', () => {
    for (const l of ['main.main()', '\tmain.go', '\tmain.go:12x', '\tmain.go: +0x1', '\tmain.go:12 +0xzz']) expect(parseFileLine(l), l).toBeNull();
  });
});

describe('splitFunctionLine', () => {
  it('drops the argument list and keeps parentheses of the name', () => {
    expect(splitFunctionLine('k8s.io/kubernetes/vendor/k8s.io/apiserver/pkg/registry/generic/registry.(*Store).DeleteCollection.func1(0xc00f082ba0, 0xc04e059b90, 0x9, 0x9, 0xc235e37570)')).toEqual({
      fn: 'k8s.io/kubernetes/vendor/k8s.io/apiserver/pkg/registry/generic/registry.(*Store).DeleteCollection.func1',
      args: '0xc00f082ba0, 0xc04e059b90, 0x9, 0x9, 0xc235e37570',
    });
  });
  it('handles Go 1.17+ register-ABI args, inlined (...) and panic', () => {
    expect(splitFunctionLine('runtime/pprof.writeGoroutine({0x553038?, 0xc000016020?}, 0xc00007a0d0?)').fn).toBe('runtime/pprof.writeGoroutine');
    expect(splitFunctionLine('runtime.goparkunlock(...)')).toEqual({ fn: 'runtime.goparkunlock', args: '...' });
    expect(splitFunctionLine('panic({0x502ce0, 0x552920})').fn).toBe('panic');
    expect(splitFunctionLine('main.Map[...](0xc000010000)').fn).toBe('main.Map[...]');
  });
  it('keeps a cgo symbolizer name without parentheses', () => {
    expect(splitFunctionLine('my_c_function')).toEqual({ fn: 'my_c_function', args: undefined });
  });
});

describe('other debug=2 lines', () => {
  it('reads both elision forms', () => {
    expect(parseElided('...additional frames elided...')).toEqual({ count: null });
    expect(parseElided('...12 frames elided...')).toEqual({ count: 12 });
    expect(parseElided('...x frames elided...')).toBeNull();
    expect(parseElided('main.main()')).toBeNull();
  });
  it('reads created by, with and without the Go 1.21 parent id', () => {
    expect(parseCreatedBy('created by main.main')).toEqual({ fn: 'main.main', parentId: null });
    expect(parseCreatedBy('created by main.main in goroutine 1')).toEqual({ fn: 'main.main', parentId: 1 });
    expect(parseCreatedBy('created by k8s.io/client-go/tools/cache.(*Reflector).ListAndWatch in goroutine 4711')).toEqual({
      fn: 'k8s.io/client-go/tools/cache.(*Reflector).ListAndWatch', parentId: 4711,
    });
    expect(parseCreatedBy('main.main()')).toBeNull();
  });
  it('reads ancestor headers and cgo lines', () => {
    expect(parseOriginating('[originating from goroutine 1]:')).toBe(1);
    expect(parseOriginating('[originating from goroutine x]:')).toBe(-1);
    expect(parseNonGoFunction('non-Go function at pc=0x7f1c2a3b4c5d')).toBe('0x7f1c2a3b4c5d');
    expect(parseNonGoFunction('non-Go function')).toBeNull();
  });
});

describe('debug=1 lines', () => {
  it('reads the header and count lines', () => {
    expect(parseProfileHeader('goroutine profile: total 1781')).toBe(1781);
    expect(parseProfileHeader('goroutine 1 [running]:')).toBe(-1);
    expect(parseCountLine('40 @ 0x43a2d6 0x44989c 0x4f2b5f 0x466a41')).toBe(40);
    expect(parseCountLine('1 @')).toBe(1);
    expect(parseCountLine('40 @ 0x43a2d6 zz')).toBe(-1);
    expect(parseCountLine('#\t0x1\tmain.f+0x1\tmain.go:1')).toBe(-1);
  });
  it('reads labels', () => {
    expect(parseLabelsLine('# labels: {"component":"labelled", "shard":"7"}')).toBe('{"component":"labelled", "shard":"7"}');
  });
  it('reads frames separated by one or more TABs (tabwriter)', () => {
    const want = { pc: '0x46b4cb', fn: 'sync.(*Cond).Wait', offset: 0x8b, file: 'sync/cond.go', line: 70 };
    expect(parseCountFrame('#\t0x46b4cb\tsync.(*Cond).Wait+0x8b\tsync/cond.go:70')).toEqual(want);
    expect(parseCountFrame('#\t0x46b4cb\tsync.(*Cond).Wait+0x8b\t\t\tsync/cond.go:70')).toEqual(want);
  });
  it('reads unsymbolized PCs', () => {
    expect(parseCountFrame('#\t0x7f00deadbeef')).toEqual({ pc: '0x7f00deadbeef', fn: '', offset: -1, file: '', line: 0 });
  });
  it('rejects broken frames', () => {
    for (const l of ['#\tmain.f+0x1\tmain.go:1', '#\t0x1\tmain.f+0x1', '#\t0x1\tmain.f+0x1\tmain.go']) expect(parseCountFrame(l), l).toBeNull();
  });
});
