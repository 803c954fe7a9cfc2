import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryIO } from '../io';
import { main } from '../main';
import { run } from './goroutines';

const testdata = path.resolve(__dirname, '../../testdata/goroutines');
const IDLE = path.join(testdata, 'kube-apiserver/v1.20.2/idle-debug2.txt');
const BASE = path.join(testdata, 'go1.19/base-debug2.txt');
const LEAK = path.join(testdata, 'go1.19/leak-debug2.txt');
const DC = 'k8s.io/apiserver/pkg/registry/generic/registry.(*Store).DeleteCollection.func1';
const tmp = mkdtempSync(path.join(tmpdir(), 'kf-goroutines-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('inspect goroutines', () => {
  it('prints an idle kube-apiserver: no known issue, no suspect, idle groups folded', async () => {
    const io = memoryIO();
    expect(await run([IDLE, '--k8s-version', 'v1.20.2'], io)).toBe(0);
    expect(io.err).toBe('');
    expect(io.out).toMatch(/: 1781 goroutines in \d+ groups \(debug=2 dump\)/);
    expect(io.out).toContain('known issues: none');
    expect(io.out).toContain('leak suspects: none');
    expect(io.out).toMatch(/… \d+ small idle groups folded \(\d+ goroutines: select \d+, chan receive \d+, sync.Cond.Wait \d+, IO wait \d+\); --all lists them/);
    // The vendor prefix is dropped in the table.
    expect(io.out).toContain('k8s.io/client-go/tools/cache.(*Reflector).ListAndWatch.func2');
    const all = memoryIO();
    await run([IDLE, '--all'], all);
    expect(all.out.split('\n').length).toBeGreaterThan(io.out.split('\n').length + 100);
  });

  it('puts known issues and suspects first in text, then the diff and the groups', async () => {
    const io = memoryIO();
    expect(await run([LEAK, '--base', BASE, '--k8s-version=1.20.2'], io)).toBe(0);
    const out = io.out;
    const order = ['known issues:', 'k8s-105606-deletecollection-leak: 12 goroutines', '1.20.2 is affected', 'leak suspects:', `[score 100] 12 × chan send  ${DC}`, 'since ', 'grew:', 'groups:'];
    let at = -1;
    for (const s of order) {
      const i = out.indexOf(s, at + 1);
      expect(i, s).toBeGreaterThan(at);
      at = i;
    }
    expect(out).toContain('92 → 97 goroutines (+5)');
    expect(out).toMatch(/\+5\s+7 → 12\s+chan send/);
  });

  it('--json has totals, groups with frames, suspects, known issues, warnings and the diff', async () => {
    const io = memoryIO();
    expect(await run([LEAK, '--json', '--base', BASE, '--k8s-version', 'v1.20.2'], io)).toBe(0);
    const j = JSON.parse(io.out) as {
      total: number; format: string; truncated: boolean; warnings: unknown[];
      groups: Array<{ count: number; state: string; minutes: { min: number; max: number }; function: string; createdBy: { function: string } | null; frames: Array<{ function: string; file: string; line: number }> }>;
      suspects: Array<{ group: number; score: number; count: number; reasons: string[] }>;
      knownIssues: Array<{ id: string; title: string; count: number; version: string }>;
      diff: { totalBefore: number; totalAfter: number; grew: Array<{ before: number; after: number }> };
    };
    expect(j.total).toBe(97);
    expect(j.format).toBe('debug=2');
    expect(j.truncated).toBe(false);
    expect(j.warnings).toEqual([]);
    expect(j.groups.reduce((n, g) => n + g.count, 0)).toBe(97);
    const dc = j.groups.find((g) => g.function === DC);
    expect(dc).toMatchObject({
      count: 12, state: 'chan send', minutes: { min: 1, max: 2 },
      createdBy: { function: 'k8s.io/apiserver/pkg/registry/generic/registry.(*Store).DeleteCollection' },
      frames: [{ function: DC, file: 'k8s.io/apiserver@v0.0.0/pkg/registry/generic/registry/store.go', line: 30 }],
    });
    expect(j.suspects).toHaveLength(1);
    expect(j.groups[j.suspects[0]!.group]?.function).toBe(DC);
    expect(j.knownIssues).toEqual([expect.objectContaining({ id: 'k8s-105606-deletecollection-leak', count: 12, version: 'affected' })]);
    expect(j.knownIssues[0]?.title).toContain('DeleteCollection');
    expect([j.diff.totalBefore, j.diff.totalAfter]).toEqual([92, 97]);
    expect(j.diff.grew.map((c) => [c.before, c.after])).toEqual([[7, 12]]);
  });

  it('omits the diff without --base, and reads debug=1 too', async () => {
    const io = memoryIO();
    await run([path.join(testdata, 'go1.19/leak-debug1.txt'), '--json'], io);
    const j = JSON.parse(io.out) as Record<string, unknown> & { format: string; total: number; knownIssues: Array<{ count: number }> };
    expect(j.format).toBe('debug=1');
    expect(j.total).toBe(97);
    expect('diff' in j).toBe(false);
    expect(j.knownIssues.map((k) => k.count)).toEqual([12]);
  });

  it('reports a truncated dump', async () => {
    const text = readFileSync(LEAK, 'utf8');
    const cut = path.join(tmp, 'cut.txt');
    writeFileSync(cut, text.slice(0, text.indexOf('\n', text.length / 2) + 1) + 'k8s.io/apiserver/pkg/registry/generic/regi');
    const io = memoryIO();
    expect(await run([cut], io)).toBe(0);
    expect(io.out).toContain('TRUNCATED');
    expect(io.out).toMatch(/warnings:\n {2}truncated: /);
    const j = memoryIO();
    await run([cut, '--json'], j);
    expect((JSON.parse(j.out) as { truncated: boolean }).truncated).toBe(true);
  });

  it('fails cleanly on bad arguments, missing files and non-dumps', async () => {
    const cases: Array<[string[], number, RegExp]> = [
      [[], 2, /missing FILE/],
      [[IDLE, '--bogus'], 2, /unknown option --bogus/],
      [[IDLE, '--base'], 2, /--base needs a value/],
      [[IDLE, BASE], 2, /unexpected argument/],
      [[path.join(tmp, 'nope.txt')], 1, /ENOENT/],
    ];
    for (const [args, code, err] of cases) {
      const io = memoryIO();
      expect(await run(args, io), args.join(' ')).toBe(code);
      expect(io.err).toMatch(err);
    }
    const junk = path.join(tmp, 'junk.txt');
    writeFileSync(junk, '{"kind":"Status"}\n');
    const io = memoryIO();
    expect(await run([junk], io)).toBe(1);
    expect(io.out).toContain('no-goroutines');
  });

  it('is reachable through the kube-forensics entry point', async () => {
    const io = memoryIO();
    expect(await main(['inspect', 'goroutines', BASE, '--json'], io)).toBe(0);
    expect((JSON.parse(io.out) as { total: number }).total).toBe(92);
  });
});
