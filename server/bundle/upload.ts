import 'server-only';
import fs from 'node:fs';
import path from 'node:path';
import { HttpError } from '../api/http-error';
import { refuseDeclaredOversize, spoolBody } from '../api/spool-body';
import { oneUploadAtATime } from '../capture/pprof-capture';
import { bundleId, loadBundle, slug, uploadedBundlesDir, type Runtime } from '../runtime';
import { BundleError } from './open';

/** A bundle upload: streamed to disk (never whole in memory), up to this size. */
export const MAX_BUNDLE_UPLOAD_BYTES = 512 * 1024 * 1024;

export interface UploadedBundle { id: string; name: string; from?: number; to?: number; story?: string }

/**
 * Streams the body to a private file under the data directory with a size cap (413 before
 * reading when the declared length is over it), then opens it with the bounded `openBundle`
 * (size, entries, no links, no `..`), imports it and lists it. A bundle that does not open is
 * deleted and answered with the reason (400/413); one upload at a time, as for profiles.
 */
export function uploadBundle(rt: Runtime, req: Request, fileName: string): Promise<UploadedBundle> {
  return oneUploadAtATime(async () => {
    const limits = { limit: MAX_BUNDLE_UPLOAD_BYTES, limitText: '512 MiB', what: 'bundle' };
    refuseDeclaredOversize(req, limits);
    const dir = uploadedBundlesDir(rt.config);
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const base = slug(fileName.replace(/\.tar\.gz$|\.tgz$/, '')) || 'bundle';
    const final = path.join(dir, `${base}.tar.gz`);
    if (rt.clusters.has(bundleId(final))) throw new HttpError(409, `a bundle named ${base} is already listed`);
    const part = `${final}.part-${process.pid}-${Date.now()}`;
    const { head } = await spoolBody(req, part, limits);
    if (head[0] !== 0x1f || head[1] !== 0x8b) {
      fs.rmSync(part, { force: true });
      throw new HttpError(400, 'not a bundle: expected a .tar.gz (gzip) file');
    }
    fs.renameSync(part, final);
    const entry = await loadBundle(rt.store, rt.clusters, final, () => {});
    if (entry.error || !entry.bundle) {
      rt.clusters.delete(entry.id);
      // What a failed import had written already goes with it.
      rt.store.removeCluster(entry.id);
      fs.rmSync(final, { force: true });
      throw new HttpError(/over the|more than|expands to/.test(entry.error ?? '') ? 413 : 400, entry.error ?? 'cannot open the bundle');
    }
    return { id: entry.id, name: entry.name, from: entry.bundle.from, to: entry.bundle.to, ...(entry.bundle.story ? { story: entry.bundle.story } : {}) };
  });
}

export { BundleError };
