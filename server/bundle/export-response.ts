import 'server-only';
import { Readable } from 'node:stream';
import { resolveRange } from '@/lib/timeline/time-range';
import { HttpError } from '../api/http-error';
import { slug, type ClusterEntry, type Runtime } from '../runtime';
import { clusterNow } from '../views/timeline';
import { exportBundleStream } from './export';

/** `GET /api/clusters/[cluster]/export?from&to`: the recorded range as a .tar.gz download (Grafana-style times). */
export async function exportResponse(rt: Runtime, entry: ClusterEntry, q: { from?: string; to?: string }): Promise<Response> {
  let range: { from: number; to: number };
  try { range = resolveRange(q.from ?? (entry.kind === 'bundle' && entry.bundle ? String(entry.bundle.from) : 'now-1h'), q.to, clusterNow(entry)); } catch (e) {
    throw new HttpError(400, e instanceof Error ? e.message : String(e));
  }
  const { stream } = await exportBundleStream(rt.store, { cluster: entry.id, name: entry.name, server: entry.source?.describe().server, ...range });
  const stampOf = (t: number) => new Date(t).toISOString().replace(/[:.]/g, '').slice(0, 15);
  const file = `${slug(entry.name)}-${stampOf(range.from)}-${stampOf(range.to)}.tar.gz`;
  // The tar stream is a minipass stream, not a stream.Readable: Readable.from adapts it (async iteration).
  return new Response(Readable.toWeb(Readable.from(stream)) as ReadableStream<Uint8Array>, {
    headers: { 'content-type': 'application/gzip', 'content-disposition': `attachment; filename="${file}"`, 'cache-control': 'no-store' },
  });
}
