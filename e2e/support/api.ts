import { expect, type APIRequestContext } from '@playwright/test';

/** The slices of kube-forensics' JSON API the specs compare the screen against. */
export interface ApiCluster { id: string; name: string; kind: 'live' | 'bundle' }
export interface ApiOverview {
  cluster: { id: string; name: string; kind: 'live' | 'bundle' };
  version: { gitVersion: string } | null;
  readyz: { ok: boolean; checks: Array<{ name: string; ok: boolean; reason?: string }> } | null;
  freshness: Array<{ component: string; stale: boolean; ok: boolean; lastOk: number | null }>;
}

/** E2E_CLUSTER_ID, or the first live cluster, or else the first bundle. */
export async function pickCluster(request: APIRequestContext): Promise<ApiCluster> {
  const res = await request.get('/api/clusters');
  expect(res.ok(), `GET /api/clusters: ${res.status()}`).toBeTruthy();
  const list = (await res.json()) as ApiCluster[];
  const wanted = process.env.E2E_CLUSTER_ID;
  const c = wanted ? list.find((x) => x.id === wanted) : list.find((x) => x.kind === 'live') ?? list[0];
  if (!c) {
    throw new Error(wanted
      ? `E2E_CLUSTER_ID=${wanted} is not among the server's clusters: ${list.map((x) => x.id).join(', ') || 'none'}`
      : 'the server knows no cluster: start it with KUBECONFIG or KF_BUNDLES, or set E2E_CLUSTER_ID');
  }
  return c;
}

export async function getOverview(request: APIRequestContext, id: string): Promise<ApiOverview> {
  const res = await request.get(`/api/clusters/${encodeURIComponent(id)}/overview`);
  expect(res.ok(), `GET overview of ${id}: ${res.status()}`).toBeTruthy();
  return (await res.json()) as ApiOverview;
}

/**
 * A server that just started has not scraped yet: wait (up to a minute) until the recorder has
 * tried at least once and, when the cluster is reachable, stored its version and readiness.
 */
export async function waitForFirstScrape(request: APIRequestContext, id: string): Promise<ApiOverview> {
  let last: ApiOverview | undefined;
  await expect.poll(async () => {
    last = await getOverview(request, id);
    const apiserver = last.freshness.find((f) => f.component === 'kube-apiserver');
    if (last.cluster.kind === 'bundle') return true;
    if (!apiserver) return false;
    return apiserver.lastOk === null || apiserver.stale || (last.version !== null && last.readyz !== null);
  }, { timeout: 60_000, intervals: [1_000] }).toBe(true);
  return last!;
}

/** The banner state the overview must show for this data. */
export function expectedFreshness(o: ApiOverview): { states: string[]; text: RegExp } {
  if (o.cluster.kind === 'bundle') return { states: ['bundle'], text: /Recorded bundle.*captured/ };
  const row = o.freshness.find((f) => f.component === 'kube-apiserver') ?? o.freshness[0];
  if (!row) return { states: ['connecting'], text: /Connecting/ };
  if (row.stale) return row.lastOk === null
    ? { states: ['never'], text: /No successful scrape yet/ }
    : { states: ['stale'], text: /Stale for .*showing recorded data/ };
  return { states: ['live', 'degraded'], text: /Live.*last scrape (just now|\d+ s ago)/ };
}

/** The timeline as the API answers it (panel ids, what each panel has), to compare the screen against. */
export interface ApiTimeline {
  from: number;
  to: number;
  panels: Array<{ id: string; group: string; result: { series: Array<{ name: string }>; empty?: string } }>;
  findings: Array<{ detector: string; severity: string; summary: string }>;
}

export async function getTimeline(request: APIRequestContext, id: string, query = 'from=now-1h&to=now'): Promise<ApiTimeline> {
  const res = await request.get(`/api/clusters/${encodeURIComponent(id)}/timeline?${query}`);
  expect(res.ok(), `GET timeline of ${id}: ${res.status()}`).toBeTruthy();
  return (await res.json()) as ApiTimeline;
}
