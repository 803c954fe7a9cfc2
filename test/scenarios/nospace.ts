// Scenario: etcd out of space (incident 2). A small --quota-backend-bytes and a flood of large
// Kyverno ephemeralreports in one namespace, until every write fails with
// "etcdserver: mvcc: database space exceeded" (facts §9: about 2,048 × 60 KB objects for 128 MiB).
import { adminRequest, type ControlPlane } from '../../scripts/control-plane/cluster';
import { EPHEMERAL_REPORTS_CRD, ephemeralReport } from '../integration/fixtures/kyverno';

export const NOSPACE_QUOTA_BYTES = 128 * 1024 * 1024;
export const NOSPACE_MESSAGE = 'etcdserver: mvcc: database space exceeded';

export interface FloodResult { created: number; firstNoSpaceAt: number | null; lastError: string | null; durationMs: number }

export async function installReportsCrd(cp: ControlPlane, namespace: string): Promise<void> {
  await adminRequest(cp, 'POST', '/api/v1/namespaces', { metadata: { name: namespace } });
  const r = await adminRequest(cp, 'POST', '/apis/apiextensions.k8s.io/v1/customresourcedefinitions', EPHEMERAL_REPORTS_CRD);
  if (r.status !== 201 && r.status !== 409) throw new Error(`CRD: HTTP ${r.status} ${r.body.slice(0, 200)}`);
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if ((await adminRequest(cp, 'GET', `/apis/reports.kyverno.io/v1/namespaces/${namespace}/ephemeralreports?limit=1`)).status === 200) return;
    await new Promise((res) => setTimeout(res, 250));
  }
  throw new Error('the ephemeralreports CRD was not served within 60 s');
}

/**
 * Creates ~60 KB reports with `concurrency` writers until writes fail with NOSPACE (then a few more
 * attempts, as a real controller would keep trying), or `maxObjects` is reached. `pace` slows the
 * flood so a recorder sees the growth over several scrapes.
 */
export async function floodUntilNoSpace(cp: ControlPlane, namespace: string, o: { concurrency?: number; objectBytes?: number; maxObjects?: number; paceMs?: number } = {}): Promise<FloodResult> {
  const started = Date.now();
  let next = 0;
  let created = 0;
  let firstNoSpaceAt: number | null = null;
  let lastError: string | null = null;
  let failuresAfter = 0;
  const max = o.maxObjects ?? 6000;
  await Promise.all(Array.from({ length: o.concurrency ?? 6 }, async () => {
    while (next < max && failuresAfter < 20) {
      const i = next++;
      const r = await adminRequest(cp, 'POST', `/apis/reports.kyverno.io/v1/namespaces/${namespace}/ephemeralreports`, ephemeralReport(`scan-${String(i).padStart(5, '0')}`, o.objectBytes ?? 60_000), 60_000);
      if (r.status === 201) { created++; } else {
        lastError = r.body.slice(0, 300);
        if (lastError.includes(NOSPACE_MESSAGE)) { firstNoSpaceAt ??= Date.now(); failuresAfter++; }
      }
      if (o.paceMs) await new Promise((res) => setTimeout(res, o.paceMs));
    }
  }));
  return { created, firstNoSpaceAt, lastError, durationMs: Date.now() - started };
}

/** A controller that keeps retrying its writes, as Kyverno's report controller does: one every `everyMs`. */
export function keepRetrying(cp: ControlPlane, namespace: string, everyMs = 2000): () => void {
  let i = 0;
  const timer = setInterval(() => {
    void adminRequest(cp, 'POST', `/apis/reports.kyverno.io/v1/namespaces/${namespace}/ephemeralreports`, ephemeralReport(`retry-${i++}`, 60_000), 10_000).catch(() => undefined);
  }, everyMs);
  return () => clearInterval(timer);
}
