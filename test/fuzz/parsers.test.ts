// Hostile inputs: every parser of untrusted data on mutated real fixtures (bit flips, truncation,
// duplicated ranges, deletions, random insertions, multi-megabyte lines), with the project's fixed
// fast-check seed (scripts/test/fast-check-setup.ts; FC_SEED=… to explore). Properties, per call:
//   1. it returns, or throws the parser's documented error type, and nothing else;
//   2. it finishes within `perCallMs` (no catastrophic backtracking, no quadratic blow-up);
//   3. memory stays bounded: heap growth within 32× the input + 64 MiB, and RSS under 1.5 GiB.
// Each target also has a wall-clock budget for all its cases (fast-check stops there, not failing).
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { ManifestError, parseManifest } from '@/lib/bundle/manifest';
import { normalizeEvent } from '@/lib/parse/events';
import { apply, describeOps, mutationsArb } from './mutate';
import { cleanupFuzzFiles, targets } from './targets';

const RSS_LIMIT = 1.5 * 1024 ** 3;

afterAll(() => cleanupFuzzFiles());

describe.each(targets)('$name', (t) => {
  const fixtures = t.fixtures();

  it('has real fixtures to mutate', () => {
    expect(fixtures.length).toBeGreaterThan(0);
    for (const f of fixtures) expect(f.bytes.byteLength, f.name).toBeGreaterThan(0);
  });

  it('parses the unmutated fixtures without an error', async () => {
    for (const f of fixtures) await t.run(f.bytes);
  });

  it('never throws anything but its documented error, within time and memory bounds', async () => {
    let cases = 0;
    let documented = 0;
    let peakRss = 0;
    let slowest = 0;
    await fc.assert(
      fc.asyncProperty(fc.nat({ max: fixtures.length - 1 }), mutationsArb(), async (which, specs) => {
        const fixture = fixtures[which]!;
        const { bytes, ops } = apply(fixture.bytes, specs);
        const what = `${fixture.name}: ${describeOps(ops)}`;
        const heapBefore = process.memoryUsage().heapUsed;
        const t0 = performance.now();
        try {
          await t.run(bytes);
        } catch (e) {
          if (!t.documentedError || !t.documentedError(e)) {
            throw new Error(`${what}: threw ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)} (not the documented error)`, { cause: e });
          }
          documented++;
        }
        const ms = performance.now() - t0;
        const mem = process.memoryUsage();
        cases++;
        slowest = Math.max(slowest, ms);
        peakRss = Math.max(peakRss, mem.rss);
        expect(ms, `${what}: took ${ms.toFixed(0)} ms`).toBeLessThan(t.perCallMs);
        expect(mem.heapUsed - heapBefore, `${what}: heap grew`).toBeLessThan(32 * bytes.byteLength + (64 << 20));
        expect(mem.rss, `${what}: rss`).toBeLessThan(RSS_LIMIT);
      }),
      { numRuns: t.runs, interruptAfterTimeLimit: t.budgetMs, markInterruptAsFailure: false },
    );
    // A budget so small that nothing ran would make this test vacuous.
    expect(cases).toBeGreaterThanOrEqual(Math.min(10, t.runs));
    console.log(`[fuzz] ${t.name}: ${cases} cases, ${documented} documented errors, slowest ${slowest.toFixed(0)} ms, peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MiB`);
  }, 120_000);
});

// Structure-aware: byte mutations mostly break the JSON layer; these reach the validators with
// well-formed JSON of the wrong shape (any value, or a real document with one field replaced).
describe('JSON-shaped inputs', () => {
  const manifest = JSON.parse(new TextDecoder().decode(targets.find((t) => t.name.startsWith('bundle manifest'))!.fixtures()[0]!.bytes)) as Record<string, unknown>;
  const events = new TextDecoder().decode(targets.find((t) => t.name.startsWith('events'))!.fixtures()[0]!.bytes)
    .split('\n').filter(Boolean).slice(0, 50).map((l) => JSON.parse(l) as Record<string, unknown>);

  /** The document with the value at a random path (one or two levels deep) replaced. */
  const replaced = (doc: Record<string, unknown>) => fc.tuple(fc.nat(), fc.nat(), fc.jsonValue({ maxDepth: 3 })).map(([i, j, v]) => {
    const copy = structuredClone(doc);
    const keys = Object.keys(copy);
    const k = keys[i % keys.length]!;
    const inner = copy[k];
    if (inner && typeof inner === 'object' && !Array.isArray(inner) && Object.keys(inner).length) {
      const ik = Object.keys(inner)[j % Object.keys(inner).length]!;
      (inner as Record<string, unknown>)[ik] = v;
    } else copy[k] = v;
    return copy;
  });

  it('parseManifest throws only ManifestError', () => {
    let refused = 0;
    fc.assert(fc.property(fc.oneof(fc.anything(), replaced(manifest)), (v) => {
      try { parseManifest(v); } catch (e) { if (!(e instanceof ManifestError)) throw e; refused++; }
    }), { numRuns: 500 });
    expect(refused).toBeGreaterThan(0);
  });

  it('normalizeEvent never throws', () => {
    fc.assert(fc.property(fc.oneof(fc.anything(), fc.nat().chain((i) => replaced(events[i % events.length]!))), (v) => {
      const n = normalizeEvent(v);
      if (n) expect(typeof n.uid).toBe('string');
    }), { numRuns: 500 });
  });
});
