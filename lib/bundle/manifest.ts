import { z } from 'zod';

/**
 * A capture bundle: a directory or .tar.gz of plain, human-readable files, shared by the recorder's
 * export, `kube-forensics capture` and the demo.
 *
 *   manifest.json
 *   metrics/<component>/<RFC3339>.prom
 *   events.jsonl
 *   pprof/<component>/<RFC3339>-goroutine-debug2.txt  and  …-heap.pb.gz
 *   census/<RFC3339>.json
 *   snapshots/<kind>/<RFC3339>.json        (version, readyz, nodes, leases, endpoints)
 *   audit/*.jsonl                          (optional)
 */
export const BUNDLE_FORMAT_VERSION = 1;

const rfc3339 = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'must be an RFC 3339 time');
const component = z.enum(['kube-apiserver', 'etcd']);

export const manifestSchema = z.object({
  formatVersion: z.number().int().positive(),
  cluster: z.object({
    name: z.string().min(1).max(200),
    version: z.string().max(100).optional(),
    server: z.string().max(500).optional(),
  }),
  timeRange: z.object({ from: rfc3339, to: rfc3339 }),
  createdBy: z.string().max(200).optional(),
  createdAt: rfc3339.optional(),
  /** Where the data came from, e.g. "live:kind-dev", "recorder-export", "demo:nospace". */
  sources: z.array(z.string().max(200)).max(50).default([]),
  captured: z.object({
    metrics: z.array(component).max(4).default([]),
    events: z.boolean().default(false),
    pprof: z.array(z.object({ component, kinds: z.array(z.enum(['goroutine-debug1', 'goroutine-debug2', 'heap'])).max(3) })).max(4).default([]),
    census: z.boolean().default(false),
    snapshots: z.array(z.string().max(50)).max(20).default([]),
    audit: z.boolean().default(false),
  }),
  intervalSeconds: z.number().positive().max(86400).optional(),
  redacted: z.boolean().default(true),
  /** A one-line story for the start page (demo bundles). */
  story: z.string().max(500).optional(),
  title: z.string().max(200).optional(),
});

export type BundleManifest = z.infer<typeof manifestSchema>;

export class ManifestError extends Error {
  override readonly name = 'ManifestError';
}

/** Validates a manifest; refuses a future format version with a clear message. */
export function parseManifest(json: unknown): BundleManifest {
  if (json && typeof json === 'object' && 'formatVersion' in json) {
    const v = (json as { formatVersion: unknown }).formatVersion;
    if (typeof v === 'number' && v > BUNDLE_FORMAT_VERSION) {
      throw new ManifestError(`bundle format version ${v} is newer than this kube-forensics understands (${BUNDLE_FORMAT_VERSION}); upgrade kube-forensics to read it`);
    }
  }
  const r = manifestSchema.safeParse(json);
  if (!r.success) {
    const first = r.error.issues[0];
    throw new ManifestError(`invalid manifest.json: ${first ? `${first.path.join('.') || '(root)'}: ${first.message}` : 'unknown error'}`);
  }
  return r.data;
}

/** File-name times: `2026-11-23T01:53:25Z.prom`, `2026-11-23T01:53:25Z-heap.pb.gz`. */
export function timeFromFileName(name: string): number | null {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}[:_-]?\d{2}[:_-]?\d{2}(?:\.\d+)?Z)/.exec(name);
  if (!m) return null;
  const iso = m[1]!.replace(/T(\d{2})[_-]?(\d{2})[_-]?(\d{2})/, 'T$1:$2:$3');
  const t = Date.parse(iso);
  return Number.isNaN(t) ? null : t;
}

/** RFC 3339 in UTC, seconds precision, usable in file names on every OS but Windows (":" is kept as the spec says). */
export function fileStamp(t: number): string {
  return new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
