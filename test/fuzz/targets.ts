// The parsers that read untrusted input (uploads, bundles, scrapes of a cluster we do not control),
// each with its real fixtures and the one error type it documents. Adding a parser = adding a
// target here; test/fuzz/parsers.test.ts runs every target with the same properties.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import * as tar from 'tar';
import { gunzipBounded } from '@/cli/gunzip';
import { readGoroutineDump } from '@/lib/analysis/goroutines';
import { AuditAnalyzer } from '@/lib/audit/analyze';
import { AuditLineReader } from '@/lib/audit/lines';
import { parsePolicy, PolicyError } from '@/lib/audit/policy';
import { ManifestError, parseManifest } from '@/lib/bundle/manifest';
import { normalizeEvent } from '@/lib/parse/events';
import { parseGoroutineDump } from '@/lib/parse/goroutine-dump';
import { decodeProfile, isProfileParseError, parseProfile } from '@/lib/parse/pprof';
import { parsePrometheusText } from '@/lib/parse/prometheus-text';
import { BundleError, openBundle } from '@/server/bundle/open';

export interface FuzzTarget {
  name: string;
  /** Real inputs from testdata/ that the mutations start from. */
  fixtures: () => Array<{ name: string; bytes: Uint8Array }>;
  /** Parses one input; may return a promise. */
  run: (bytes: Uint8Array) => unknown;
  /** The documented failure: anything else thrown is a bug. `null`: the parser never throws. */
  documentedError: ((e: unknown) => boolean) | null;
  /** Mutated cases to try (fewer for slow targets) and the wall-clock budget for all of them. */
  runs: number;
  budgetMs: number;
  /** One call must finish within this, even on a 2 MiB line or a duplicated half-file. */
  perCallMs: number;
}

const ROOT = path.resolve(import.meta.dirname, '../..');
const TESTDATA = path.join(ROOT, 'testdata');
const text = (b: Uint8Array) => new TextDecoder('utf-8', { fatal: false }).decode(b);

function files(dir: string, pick: (f: string) => boolean, max = 4): Array<{ name: string; bytes: Uint8Array }> {
  const out: Array<{ name: string; bytes: Uint8Array }> = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (pick(e.name)) out.push({ name: path.relative(TESTDATA, p), bytes: new Uint8Array(fs.readFileSync(p)) });
    }
  };
  walk(dir);
  return out.slice(0, max);
}

/** Files of the demo bundle (the one real bundle in testdata/), extracted once per process. */
let bundleDir: string | null = null;
function bundleFile(rel: string): Uint8Array {
  if (!bundleDir) {
    bundleDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kf-fuzz-bundle-'));
    tar.x({ file: path.join(TESTDATA, 'bundles', 'healthy-baseline.tar.gz'), cwd: bundleDir, sync: true });
  }
  return new Uint8Array(fs.readFileSync(path.join(bundleDir, rel)));
}

/** A small real bundle (its manifest, events and one scrape per component) as an uncompressed tar. */
function miniBundleTar(): Uint8Array {
  bundleFile('manifest.json');
  const dir = bundleDir!;
  const pick = (sub: string) => `${sub}/${fs.readdirSync(path.join(dir, sub)).sort()[0]!}`;
  const entries = ['manifest.json', 'events.jsonl', pick('metrics/kube-apiserver'), pick('metrics/etcd')];
  const out = path.join(os.tmpdir(), `kf-fuzz-mini-${process.pid}.tar`);
  tar.c({ file: out, cwd: dir, sync: true, portable: true }, entries);
  const bytes = new Uint8Array(fs.readFileSync(out));
  fs.rmSync(out, { force: true });
  return bytes;
}

let scratch: string | null = null;
function scratchFile(name: string): string {
  scratch ??= fs.mkdtempSync(path.join(os.tmpdir(), 'kf-fuzz-'));
  return path.join(scratch, name);
}

export function cleanupFuzzFiles(): void {
  for (const d of [bundleDir, scratch]) if (d) fs.rmSync(d, { recursive: true, force: true });
  bundleDir = scratch = null;
}

const LIMITS = { maxInputBytes: 64 << 20, maxDecompressedBytes: 64 << 20 };

export const targets: FuzzTarget[] = [
  {
    name: 'metrics (Prometheus text)',
    fixtures: () => [...files(path.join(TESTDATA, 'metrics', 'kube-apiserver'), (f) => f.endsWith('.prom'), 1), ...files(path.join(TESTDATA, 'metrics', 'etcd'), (f) => f.endsWith('.prom'), 1)],
    run: (b) => parsePrometheusText(text(b)),
    documentedError: null,
    runs: 60, budgetMs: 20_000, perCallMs: 4000,
  },
  {
    name: 'goroutine dump (debug=1, debug=2, crash tracebacks)',
    fixtures: () => files(path.join(TESTDATA, 'goroutines', 'go1.19'), (f) => f.endsWith('.txt'), 6),
    run: (b) => { const s = text(b); parseGoroutineDump(s); return readGoroutineDump(s); },
    documentedError: null,
    runs: 80, budgetMs: 20_000, perCallMs: 4000,
  },
  {
    name: 'pprof (gzip profile.proto, as uploaded)',
    fixtures: () => files(path.join(TESTDATA, 'pprof'), (f) => f.endsWith('.pb.gz'), 5),
    run: (b) => parseProfile(b, { gunzip: gunzipBounded, limits: LIMITS }),
    documentedError: isProfileParseError,
    runs: 100, budgetMs: 15_000, perCallMs: 3000,
  },
  {
    name: 'pprof (decompressed profile.proto wire format)',
    fixtures: () => files(path.join(TESTDATA, 'pprof'), (f) => f.endsWith('.pb.gz'), 5).map((f) => ({ name: f.name.replace(/\.gz$/, ''), bytes: new Uint8Array(zlib.gunzipSync(f.bytes)) })),
    run: (b) => decodeProfile(b, LIMITS),
    documentedError: isProfileParseError,
    runs: 150, budgetMs: 15_000, perCallMs: 3000,
  },
  {
    name: 'events (events.jsonl lines → normalizeEvent)',
    fixtures: () => [{ name: 'bundles/healthy-baseline.tar.gz:events.jsonl', bytes: bundleFile('events.jsonl') }],
    // The JSON layer is the caller's (a bad line is skipped there); normalizeEvent must take any value.
    run: (b) => {
      for (const line of text(b).split('\n')) {
        let v: unknown;
        try { v = JSON.parse(line); } catch { continue; }
        normalizeEvent(v);
      }
    },
    documentedError: null,
    runs: 80, budgetMs: 15_000, perCallMs: 3000,
  },
  {
    name: 'bundle manifest (manifest.json → parseManifest)',
    fixtures: () => [{ name: 'bundles/healthy-baseline.tar.gz:manifest.json', bytes: bundleFile('manifest.json') }],
    run: (b) => {
      let v: unknown;
      try { v = JSON.parse(text(b)); } catch { return; }
      return parseManifest(v);
    },
    documentedError: (e) => e instanceof ManifestError,
    runs: 300, budgetMs: 10_000, perCallMs: 2000,
  },
  {
    name: 'bundle (.tar.gz → openBundle: extraction limits, manifest)',
    fixtures: () => [{ name: 'bundles/healthy-baseline.tar.gz (4 files, as tar)', bytes: miniBundleTar() }],
    // Mutate the tar, then gzip it: mutating the gzip bytes mostly tests the CRC.
    run: async (b) => {
      const f = scratchFile('case.tar.gz');
      fs.writeFileSync(f, zlib.gzipSync(b, { level: 1 }));
      const opened = await openBundle(f, { maxExtractedBytes: 64 << 20, maxEntries: 1000, maxFileBytes: 32 << 20 });
      opened.dispose();
    },
    documentedError: (e) => e instanceof BundleError,
    runs: 40, budgetMs: 20_000, perCallMs: 5000,
  },
  {
    // Damage is counted and reported, never thrown: a log cut by a full disk is still analysed.
    name: 'audit log (JSON lines → AuditLineReader → AuditAnalyzer, policy replay)',
    fixtures: () => [{ name: 'audit/v1.20.2/catchall-requestresponse.jsonl.gz (first 400 KB)', bytes: zlib.gunzipSync(fs.readFileSync(path.join(TESTDATA, 'audit/v1.20.2/catchall-requestresponse.jsonl.gz'))).subarray(0, 400_000) }],
    run: (b) => {
      const a = new AuditAnalyzer();
      const reader = new AuditLineReader((e, bytes, line) => a.add(e, bytes, line), { maxLineBytes: 1 << 20 });
      for (let i = 0; i < b.length; i += 64 * 1024) reader.write(b.subarray(i, i + 64 * 1024));
      reader.end();
      return a.summary();
    },
    documentedError: null,
    runs: 60, budgetMs: 20_000, perCallMs: 4000,
  },
  {
    name: 'audit policy (YAML → parsePolicy)',
    fixtures: () => [{ name: 'audit/v1.20.2/catchall-policy.yaml', bytes: fs.readFileSync(path.join(TESTDATA, 'audit/v1.20.2/catchall-policy.yaml')) }],
    run: (b) => parsePolicy(text(b)),
    documentedError: (e) => e instanceof PolicyError,
    runs: 300, budgetMs: 10_000, perCallMs: 2000,
  },
];
