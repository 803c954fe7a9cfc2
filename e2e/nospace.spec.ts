// The "etcd out of space" incident on its own real control plane, seen the way a person sees it:
// the DB-size chart at its quota line, the NOSPACE finding, and the Kyverno reports named as the
// fastest grower. Independent of the config's webServer: it builds and starts its own production
// dashboard (`next start`) against its own control plane, and every URL it opens is absolute.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { startControlPlane, type ControlPlane } from '../scripts/control-plane/cluster';
import { startDashboard } from '../test/integration/helpers';
import { floodUntilNoSpace, installReportsCrd, keepRetrying, NOSPACE_MESSAGE, NOSPACE_QUOTA_BYTES } from '../test/scenarios/nospace';
import { TimelinePage } from './pages/timeline-page';

const shot = (name: string) => path.join(test.info().project.outputDir, name);
const CLUSTER = 'ctx-kf-test';

test.describe.configure({ mode: 'serial' });

test.describe('NOSPACE on a real control plane', () => {
  let dir = '';
  let cp: ControlPlane | undefined;
  let dash: Awaited<ReturnType<typeof startDashboard>> | undefined;
  let stopRetrying: (() => void) | undefined;
  let flood: Awaited<ReturnType<typeof floodUntilNoSpace>> | undefined;
  /** When the dashboard started recording: the screenshots frame the recorded history. */
  let recordingSince = 0;

  test.beforeAll(async () => {
    test.setTimeout(600_000);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kf-e2e-nospace-'));
    const t0 = Date.now();
    cp = await startControlPlane({ dir: path.join(dir, 'cp'), quotaBackendBytes: NOSPACE_QUOTA_BYTES });
    const config = path.join(dir, 'kf.yaml');
    fs.writeFileSync(config, JSON.stringify({
      clusters: [{ context: 'kf-test', name: 'nospace', etcd: { url: cp.etcdUrl, metricsUrl: cp.etcdMetricsUrl, caFile: cp.certs.caCert, certFile: cp.certs.etcdClientCert, keyFile: cp.certs.etcdClientKey } }],
    }));
    // KF_BUNDLES empty: only this control plane is shown.
    dash = await startDashboard({
      KUBECONFIG: cp.viewerKubeconfig, KF_CONFIG: config, KF_DATA_DIR: path.join(dir, 'data'), KF_BUNDLES: '',
      KF_INTERVAL_SECONDS: '3', KF_CENSUS_SECONDS: '10',
    });
    recordingSince = Date.now();
    console.log(`control plane and dashboard up in ${Math.round((Date.now() - t0) / 1000)} s: ${dash.url}`);
    await installReportsCrd(cp, 'kyverno-reports');
    // A quiet baseline first, so the charts show the climb.
    await new Promise((r) => setTimeout(r, 12_000));
    flood = await floodUntilNoSpace(cp, 'kyverno-reports', { concurrency: 6 });
    console.log('flood:', flood);
    expect(flood.firstNoSpaceAt, 'the flood must end in NOSPACE').not.toBeNull();
    expect(flood.lastError).toContain(NOSPACE_MESSAGE);
    // A controller that keeps retrying: the apiserver keeps answering 500, which the recorder sees.
    stopRetrying = keepRetrying(cp, 'kyverno-reports');
  });

  test.afterAll(async () => {
    stopRetrying?.();
    await dash?.stop();
    await cp?.stop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  test('the timeline shows the DB at its quota, the NOSPACE finding and the fastest grower', async ({ page }) => {
    test.setTimeout(300_000);
    const tl = new TimelinePage(page);
    await tl.open(CLUSTER, 'from=now-15m', dash!.url);
    await tl.waitForHydration();
    // Live: the page refreshes itself every 15 s; the recorder needs a scrape or two.
    await expect(tl.refreshSelect).toHaveValue('15s');

    // The etcd DB chart: the dashed quota line at 128 MiB, and the DB size reaching it.
    const db = tl.panel('etcd-db-size');
    await expect(tl.stat('etcd-db-size', 'of quota')).toHaveText(/of quota\s*(99|100)\.\d% of 128 MiB/, { timeout: 120_000 });
    await expect(tl.stat('etcd-db-size', 'of quota')).toHaveClass(/stat-crit/);
    await expect(tl.legendItem('etcd-db-size', 'quota')).toContainText('128 MiB');
    await expect(tl.legendItem('etcd-db-size', 'DB size')).toContainText(/12[7-9](\.\d)? MiB/);
    await expect(db.locator('.recharts-line path.recharts-curve[stroke-dasharray]')).toHaveCount(1);
    // 128 MiB is a tick of the value axis (the quota sits on a grid line, with headroom above it).
    await expect(db.getByTestId('chart').locator('text').filter({ hasText: /^128 MiB$/ })).toHaveCount(1);

    // The NOSPACE finding, first in the strip: critical, "database space exceeded".
    const nospace = tl.finding('etcd-nospace');
    await expect(nospace).toBeVisible({ timeout: 120_000 });
    await expect(nospace).toHaveAttribute('data-severity', 'critical');
    await expect(nospace).toContainText('CRITICAL');
    await expect(nospace).toContainText('database space exceeded', { timeout: 60_000 });
    await expect(tl.findingsStrip.getByTestId('finding').first()).toHaveAttribute('data-severity', 'critical');

    // The objects panel names the Kyverno reports as the fastest grower, and draws it highlighted.
    await expect(tl.stat('objects', 'fastest growing')).toHaveText(/fastest growing\s*ephemeralreports\.reports\.kyverno\.io \+/, { timeout: 60_000 });
    await expect(tl.legendItem('objects', 'ephemeralreports')).toHaveAttribute('data-highlight', 'true');

    // Finding markers are on every chart that draws.
    const charts = await tl.charts.count();
    expect(await page.locator('[data-testid="chart"]:has([data-testid="marker-finding"])').count()).toBe(charts);

    // The screenshots: the recorded history (this recorder is minutes old, so most of the last
    // 15 minutes is empty), on a war-room screen and on a laptop.
    await tl.open(CLUSTER, `from=${recordingSince - 15_000}&to=now&refresh=off`, dash!.url);
    await expect(tl.finding('etcd-nospace')).toBeVisible();
    await expect(tl.linePaths('etcd-db-size').first()).toBeVisible();
    await tl.screenshot(shot('nospace-timeline.png'));
    await page.setViewportSize({ width: 1280, height: 800 });
    await expect.poll(() => tl.fitsWidth()).toBe(true);
    await tl.screenshot(shot('nospace-timeline-1280.png'));
    await page.setViewportSize({ width: 1920, height: 1080 });

    // A click on the finding zooms to its evidence and brings its panel into view.
    await nospace.getByRole('button', { name: /show the evidence/ }).click();
    await expect.poll(() => tl.searchParam('panel')).toBe('etcd-db-size');
    expect(tl.searchParam('from')).toMatch(/^\d{13}$/);
    await expect(db).toBeInViewport();

    // The overview leads with the same finding, linked into the timeline.
    await page.goto(`${dash!.url}/clusters/${CLUSTER}/overview`);
    const card = page.getByTestId('findings');
    await expect(card.locator('[data-detector="etcd-nospace"]')).toContainText('database space exceeded', { timeout: 30_000 });
    const href = await card.locator('[data-detector="etcd-nospace"]').getByRole('link', { name: /Open in timeline/ }).getAttribute('href');
    expect(href).toMatch(new RegExp(`^/clusters/${CLUSTER}/timeline\\?from=\\d{13}&to=(now|\\d{13})&panel=etcd-db-size$`));
    await tl.screenshot(shot('nospace-overview.png'));
  });
});
