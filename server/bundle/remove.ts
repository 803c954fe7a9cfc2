import 'server-only';
import fs from 'node:fs';
import { HttpError } from '../api/http-error';
import { oneUploadAtATime } from '../capture/pprof-capture';
import { bundleId, uploadedBundleFiles, type Runtime } from '../runtime';

/** The uploaded file behind a bundle id, if it was uploaded (not configured in KF_BUNDLES or the demo set). */
export function uploadedBundleFile(rt: Runtime, id: string): string | null {
  return uploadedBundleFiles(rt.config).find((p) => bundleId(p) === id) ?? null;
}

/**
 * Removes an uploaded bundle (an admin's act: it is gone for everyone): its file and everything
 * imported from it, in one store transaction, then its listing. Refused for live clusters and
 * configured bundles (their configuration would bring them back), and while an incident uses the
 * bundle (its timeline and postmortem would lose their evidence). Serialized with uploads.
 */
export function removeUploadedBundle(rt: Runtime, id: string): Promise<{ id: string; rows: number }> {
  return oneUploadAtATime(async () => {
    const entry = rt.clusters.get(id);
    if (!entry) throw new HttpError(404, `no bundle ${id}`);
    if (entry.kind !== 'bundle') throw new HttpError(409, `${entry.name} is a live cluster (a kubeconfig context): remove it from the kubeconfig or KF_CONFIG, not here`);
    const file = uploadedBundleFile(rt, id);
    if (!file) throw new HttpError(409, `${entry.name} is configured (KF_BUNDLES, serve --bundle or the demo set), not uploaded: remove it from the configuration`);
    const using = rt.store.incidentsUsing(id);
    if (using.length) {
      throw new HttpError(409, `incident${using.length > 1 ? 's' : ''} ${using.map((i) => `"${i.title}"`).join(', ')} use${using.length > 1 ? '' : 's'} ${entry.name}: its evidence cannot be removed while an incident refers to it`);
    }
    const { rows } = rt.store.removeCluster(id);
    rt.clusters.delete(id);
    fs.rmSync(file, { force: true });
    return { id, rows };
  });
}
