// The parser on every real capture in testdata/metrics (kube-apiserver v1.20.2 and etcd 3.4.23
// from the project's test control plane; provenance in testdata/README.md).
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parsePrometheusText } from './prometheus-text';

const root = new URL('../../testdata/metrics/', import.meta.url);
function captures(): Array<{ rel: string; text: string }> {
  if (!fs.existsSync(root)) return [];
  const out: Array<{ rel: string; text: string }> = [];
  for (const kind of fs.readdirSync(root)) {
    const kindDir = new URL(`${kind}/`, root);
    if (!fs.statSync(kindDir).isDirectory()) continue;
    for (const version of fs.readdirSync(kindDir)) {
      const vDir = new URL(`${version}/`, kindDir);
      if (!fs.statSync(vDir).isDirectory()) continue;
      for (const f of fs.readdirSync(vDir).filter((n) => n.endsWith('.prom')).sort()) {
        out.push({ rel: `${kind}/${version}/${f}`, text: fs.readFileSync(new URL(f, vDir), 'utf8') });
      }
    }
  }
  return out;
}
const files = captures();

/** Counts what a line-by-line reading of the format says should be there. */
function naiveCounts(text: string) {
  let samples = 0, types = 0;
  for (const line of text.split('\n')) {
    if (line.startsWith('# TYPE ')) types++;
    else if (line.length > 0 && !line.startsWith('#')) samples++;
  }
  return { samples, types };
}

describe.runIf(files.length > 0)('real captures', () => {
  it('found the apiserver and etcd captures', () => {
    expect(files.filter((f) => f.rel.startsWith('kube-apiserver/v1.20.2/')).length).toBeGreaterThanOrEqual(2);
    expect(files.filter((f) => f.rel.startsWith('etcd/v3.4/')).length).toBeGreaterThanOrEqual(2);
  });

  for (const { rel, text } of files) {
    it(`${rel}: zero warnings, every sample line and TYPE accounted for`, () => {
      const r = parsePrometheusText(text);
      expect(r.warnings).toEqual([]);
      expect(r.warningCount).toBe(0);
      const naive = naiveCounts(text);
      expect(r.sampleCount).toBe(naive.samples);
      // Every TYPE line names a family, and no sample fell into an implicit untyped family
      // (client_golang always writes TYPE).
      expect([...r.families.values()].filter((f) => f.type !== 'untyped').length).toBe(naive.types);
      expect(r.families.size).toBe(naive.types);
      if (rel.startsWith('kube-apiserver/')) {
        // An idle 1.20.2 apiserver: ~1.75 MB, ~13k samples (facts §9 says ~10.5k for a similar one).
        expect(r.sampleCount).toBeGreaterThan(10_000);
        expect(r.sampleCount).toBeLessThan(20_000);
      } else {
        expect(r.sampleCount).toBeGreaterThan(1_000);
      }
    });
  }

  it('groups a real histogram and keeps real HELP text (kube-apiserver)', () => {
    const api = files.find((f) => f.rel.startsWith('kube-apiserver/'))!;
    const r = parsePrometheusText(api.text);
    const h = r.families.get('apiserver_request_duration_seconds')!;
    expect(h.type).toBe('histogram');
    // component-base rewrites HELP as "[STABILITY] help" (facts §1.0); ALPHA in 1.20.
    expect(h.help).toMatch(/^\[ALPHA\] Response latency distribution/);
    const buckets = h.samples.filter((s) => s.name.endsWith('_bucket'));
    const counts = h.samples.filter((s) => s.name.endsWith('_count'));
    // ≤1.22 buckets: 37 finite bounds + +Inf = 38 per series (facts §1.3).
    expect(buckets.length).toBe(counts.length * 38);
    expect(buckets[0]!.labels).toMatchObject({ le: '0.05' });
    expect(r.families.get('kubernetes_build_info')!.samples[0]!.labels['git_version']).toBe('v1.20.2');
    expect(r.families.get('process_resident_memory_bytes')!.samples[0]!.value).toBeGreaterThan(1e8);
  });

  it('keep parses only the kept families (the recorder hot path)', () => {
    const api = files.find((f) => f.rel.startsWith('kube-apiserver/'))!;
    const full = parsePrometheusText(api.text);
    const want = new Set(['etcd_db_total_size_in_bytes', 'etcd_object_counts', 'go_goroutines', 'apiserver_request_duration_seconds']);
    const kept = parsePrometheusText(api.text, { keep: (n) => want.has(n) });
    expect([...kept.families.keys()].sort()).toEqual([...want].sort());
    for (const n of want) expect(kept.families.get(n)).toEqual(full.families.get(n));
    expect(kept.sampleCount).toBe([...want].reduce((a, n) => a + full.families.get(n)!.samples.length, 0));
  });

  it('CRLF line endings and a BOM give the same result', () => {
    const etcd = files.find((f) => f.rel.startsWith('etcd/'))!;
    const a = parsePrometheusText(etcd.text);
    const b = parsePrometheusText(`\ufeff${etcd.text.replace(/\n/g, '\r\n')}`);
    expect(b.warnings).toEqual([]);
    expect(b.families).toEqual(a.families);
  });

  it('truncation mid-line (a scrape cut off) loses only the last line', () => {
    const etcd = files.find((f) => f.rel.startsWith('etcd/'))!;
    const cut = etcd.text.slice(0, Math.floor(etcd.text.length / 2));
    const r = parsePrometheusText(cut);
    expect(r.warningCount).toBeLessThanOrEqual(1);
    expect(r.sampleCount).toBeGreaterThan(100);
  });
});
