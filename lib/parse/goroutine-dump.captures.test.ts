// The parser on real captures: testdata/goroutines/go1.19 (made by the program in its dumpgen/
// folder, see its README) and testdata/goroutines/kube-apiserver/v1.20.2 (a real kube-apiserver).
// Test-only file access: lib/ sources stay free of node: imports.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseGoroutineDump } from './goroutine-dump';

const root = new URL('../../testdata/goroutines/', import.meta.url);
const path = (rel: string) => new URL(rel, root);
const read = (rel: string) => readFileSync(path(rel), 'utf8');
/** Goroutine headers counted independently of the parser. */
const headers = (text: string) => text.split('\n').filter((l) => /^goroutine \d+ .*\]:$/.test(l)).length;

describe('Go 1.19 captures', () => {
  it.each([
    ['go1.19/base-debug2.txt', 92],
    ['go1.19/leak-debug2.txt', 97],
    ['go1.19/ancestors-debug2.txt', 87],
  ])('%s: every goroutine, no warnings', (file, total) => {
    const text = read(file);
    const d = parseGoroutineDump(text);
    expect(d.warnings).toEqual([]);
    expect(d.format).toBe('debug=2');
    expect(d.truncated).toBe(false);
    expect(d.total).toBe(total);
    expect(d.total).toBe(headers(text));
    expect(d.goroutines.every((g) => g.frames.length > 0 && g.frames.every((f) => f.file !== '' && f.line > 0))).toBe(true);
  });

  it.each(['go1.19/base-debug1.txt', 'go1.19/leak-debug1.txt', 'go1.19/ancestors-debug1.txt'])('%s: counts add up to the header total', (file) => {
    const d = parseGoroutineDump(read(file));
    expect(d.warnings).toEqual([]);
    expect(d.format).toBe('debug=1');
    expect(d.declaredTotal).not.toBeNull();
    expect(d.total).toBe(d.declaredTotal);
  });

  it('reads the minutes the runtime printed for the leaked chan-send goroutines', () => {
    const minutes = (file: string) => parseGoroutineDump(read(file)).goroutines.filter((g) => g.state === 'chan send').map((g) => g.minutes).sort();
    // See the README: waitsince comes from the GC before the one that saw the goroutine parked.
    expect(minutes('go1.19/base-debug2.txt')).toEqual([1, 1, 1, 1, 1, 1, 1]);
    expect(minutes('go1.19/leak-debug2.txt')).toEqual([1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 2]);
  });

  it('reads locked to thread, inlined frames, elision, panic frames and every wait state', () => {
    const d = parseGoroutineDump(read('go1.19/leak-debug2.txt'));
    const locked = d.goroutines.filter((g) => g.lockedToThread);
    expect(locked.map((g) => [g.state, g.minutes, g.frames[0]?.function])).toEqual([['chan receive', 2, 'main.lockedWaiter']]);
    const inlined = d.goroutines.find((g) => g.frames.some((f) => f.function === 'main.inlinedWaiter'));
    expect(inlined?.frames.map((f) => [f.function, f.inlined])).toEqual([['main.recv', true], ['main.inlinedWaiter', false]]);
    // Go <= 1.20 stops after 100 frames *including hidden runtime ones* but prints the elision
    // marker only if 100 were *printed* (traceback.go: gentraceback returns nprint), so a default
    // dump cuts this 121-deep stack after 97 frames with no marker at all.
    const deep = d.goroutines.find((g) => g.frames[0]?.function === 'main.recurse');
    expect(deep?.frames).toHaveLength(97);
    expect(deep?.elided).toBeNull();
    expect(deep?.createdBy?.function).toBe('main.startBackground');
    // With runtime frames shown (GOTRACEBACK=system), all 100 are printed and the marker follows.
    const system = parseGoroutineDump(read('go1.19/crash-gotraceback-system.txt'));
    const marked = system.goroutines.filter((g) => g.elided);
    expect(marked.map((g) => [g.frames.length, g.elided, g.frames.at(-1)?.function, g.createdBy?.function])).toEqual([
      [100, { at: 100, count: null }, 'main.recurse', 'main.startBackground'],
    ]);
    expect(d.goroutines.some((g) => g.frames.some((f) => f.function === 'panic'))).toBe(true);
    expect(new Set(d.goroutines.map((g) => g.state))).toEqual(new Set([
      'running', 'select', 'chan receive', 'chan send', 'sync.Cond.Wait', 'semacquire', 'sleep', 'IO wait', 'select (no cases)',
      'chan receive (nil chan)',
    ]));
  });

  it('reads ancestor sections (GODEBUG=tracebackancestors=3)', () => {
    const d = parseGoroutineDump(read('go1.19/ancestors-debug2.txt'));
    const withAncestors = d.goroutines.filter((g) => g.ancestors.length > 0);
    expect(withAncestors.length).toBeGreaterThan(80);
    const leaked = d.goroutines.find((g) => g.state === 'chan send');
    expect(leaked?.frames.map((f) => f.function)).toEqual(['k8s.io/apiserver/pkg/registry/generic/registry.(*Store).DeleteCollection.func1']);
    expect(leaked?.ancestors.map((a) => [a.id, a.frames.map((f) => `${f.function}(${f.args ?? ''})`)])).toEqual([[1, [
      'k8s.io/apiserver/pkg/registry/generic/registry.(*Store).DeleteCollection(...)', 'main.leakDeleteCollection(...)', 'main.main(...)',
    ]]]);
  });

  it('reads pprof labels from debug=1', () => {
    const d = parseGoroutineDump(read('go1.19/leak-debug1.txt'));
    expect(d.goroutines.filter((g) => g.labels !== null).map((g) => [g.count, g.labels])).toEqual([[3, '{"component":"labelled", "shard":"7"}']]);
  });

  it('reads crash output: preamble, GOTRACEBACK=system frames, stack unavailable', () => {
    const system = read('go1.19/crash-gotraceback-system.txt');
    const s = parseGoroutineDump(system);
    expect(s.warnings).toEqual([]);
    expect(s.total).toBe(headers(system));
    expect(s.goroutines[0]?.frames.map((f) => f.function)).toEqual(['panic', 'main.main', 'runtime.main', 'runtime.goexit']);
    const all = read('go1.19/crash-gotraceback-all.txt');
    const a = parseGoroutineDump(all);
    expect(a.warnings).toEqual([]);
    expect(a.total).toBe(headers(all));
    expect(a.goroutines.filter((g) => g.stackUnavailable).map((g) => [g.state, g.frames.length, g.createdBy?.function])).toEqual([['running', 0, 'main.main']]);
  });

  it('cut anywhere, a real dump yields the goroutines before the cut and a truncated warning', () => {
    const text = read('go1.19/leak-debug2.txt');
    for (let cut = 1000; cut < text.length; cut += 997) {
      const d = parseGoroutineDump(text.slice(0, cut));
      const complete = text.slice(0, cut).split('\n\n').length - 1;
      expect(d.goroutines.filter((g) => !g.partial).length).toBeGreaterThanOrEqual(complete);
      expect(d.warnings.every((w) => w.code === 'truncated')).toBe(true);
    }
  });
});

describe('kube-apiserver v1.20.2 captures', () => {
  it('idle debug=2: every goroutine, no warnings', () => {
    const text = read('kube-apiserver/v1.20.2/idle-debug2.txt');
    const d = parseGoroutineDump(text);
    expect(d.warnings).toEqual([]);
    expect(d.truncated).toBe(false);
    expect(d.total).toBe(headers(text));
    expect(d.total).toBeGreaterThan(1500);
    const states = new Map<string, number>();
    for (const g of d.goroutines) states.set(g.state ?? '', (states.get(g.state ?? '') ?? 0) + 1);
    // facts §9: mostly select, then chan receive, then sync.Cond.Wait.
    expect(states.get('select')).toBeGreaterThan(1000);
    expect(states.get('chan receive')).toBeGreaterThan(200);
    expect(states.get('sync.Cond.Wait')).toBeGreaterThan(50);
  });

  it('idle debug=1: counts add up to the header total', () => {
    const d = parseGoroutineDump(read('kube-apiserver/v1.20.2/idle-debug1.txt'));
    expect(d.warnings).toEqual([]);
    expect(d.format).toBe('debug=1');
    expect(d.total).toBe(d.declaredTotal);
    expect(d.total).toBeGreaterThan(1500);
  });

  const leak = 'kube-apiserver/v1.20.2/leak-debug2.txt';
  it.skipIf(!existsSync(path(leak)))('leak debug=2: every goroutine, no warnings', () => {
    const text = read(leak);
    const d = parseGoroutineDump(text);
    expect(d.warnings).toEqual([]);
    expect(d.total).toBe(headers(text));
    expect(d.goroutines.filter((g) => g.state === 'chan send').length).toBeGreaterThan(0);
  });
  it.skipIf(!existsSync(path('kube-apiserver/v1.20.2/leak-debug1.txt')))('leak debug=1: counts add up to the header total', () => {
    const d = parseGoroutineDump(read('kube-apiserver/v1.20.2/leak-debug1.txt'));
    expect(d.warnings).toEqual([]);
    expect(d.total).toBe(d.declaredTotal);
  });
});
