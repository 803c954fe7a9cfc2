import path from 'node:path';
import { expect, test } from '@playwright/test';
import { expectedFreshness, pickCluster, waitForFirstScrape } from './support/api';
import { OverviewPage } from './pages/overview-page';

/** Screenshots go next to the run's other output (playwright.config.ts: artifacts/e2e). */
const shot = (name: string) => path.join(test.info().project.outputDir, name);

test.describe('overview', () => {
  test('start page → cluster overview shows version, readiness and freshness', async ({ page, request }) => {
    const cluster = await pickCluster(request);
    const api = await waitForFirstScrape(request, cluster.id);
    const po = new OverviewPage(page);

    await po.openStart();
    await expect(po.clusterCard(cluster.id)).toBeVisible();
    await expect(po.clusterCard(cluster.id)).toContainText(cluster.name);
    await po.screenshot(shot('start.png'));

    await po.openClusterFromStart(cluster.id);
    await expect(po.heading).toHaveText(cluster.name);

    // Version, as the API reports it.
    await expect(po.version).toBeVisible();
    await expect(po.version).toHaveText(api.version ? api.version.gitVersion : /not recorded yet/);

    // Readiness: verdict, failing checks listed with reasons, passing ones folded.
    await expect(po.readiness).toBeVisible();
    if (!api.readyz) {
      await expect(po.readinessStatus).toHaveText('Unknown');
    } else {
      await expect(po.readinessStatus).toHaveText(api.readyz.ok ? 'Ready' : 'Not ready');
      const failed = api.readyz.checks.filter((c) => !c.ok);
      const passing = api.readyz.checks.length - failed.length;
      for (const c of failed) await expect(po.failedChecks).toContainText(c.name);
      if (!failed.length) await expect(po.failedChecks).toHaveCount(0);
      if (passing) await expect(po.passingSummary).toHaveText(new RegExp(`${passing} checks? passing`));
    }

    // Freshness banner matches the recorder's state.
    const want = expectedFreshness(api);
    await expect(po.freshnessBanner).toBeVisible();
    await expect(po.freshnessBanner).toHaveText(want.text);
    expect(want.states).toContain(await po.freshnessBanner.getAttribute('data-state'));

    // Either a quota bar or the reason it is missing.
    await expect(po.etcdTile).toContainText(/quota/);

    expect(await po.fitsWidth()).toBe(true);
    await po.screenshot(shot('overview.png'));
  });

  test('the overview fits a 1280×800 laptop screen', async ({ page, request }) => {
    const cluster = await pickCluster(request);
    await page.setViewportSize({ width: 1280, height: 800 });
    const po = new OverviewPage(page);
    await po.open(cluster.id);
    await expect(po.readiness).toBeVisible();
    expect(await po.fitsWidth()).toBe(true);
    await po.screenshot(shot('overview-1280.png'));
  });

  test('the top bar from 1920 down to 820 px: one line from 1000 px, the tabs on a row of their own below; nothing overlaps or leaves the screen', async ({ page, request }) => {
    const cluster = await pickCluster(request);
    const po = new OverviewPage(page);
    await po.open(cluster.id);
    await po.waitForHydration();
    const bar = page.locator('header').first();
    const items = [
      bar.getByRole('link', { name: 'kube-forensics: all clusters' }),
      bar.locator('button').first(), // the cluster switcher
      ...['Overview', 'Timeline', 'Runtime', 'Runbooks', 'Events', 'Audit'].map((n) => bar.getByRole('navigation', { name: 'Cluster pages' }).getByRole('link', { name: n, exact: true })),
      bar.getByTestId('incidents-link'),
      bar.getByTestId('utc-clock'),
    ];
    for (const width of [1920, 1440, 1280, 1100, 1000, 900, 820]) {
      await page.setViewportSize({ width, height: 900 });
      const boxes = (await Promise.all(items.map(async (l) => l.boundingBox()))).map((b, i) => {
        expect(b, `${width} px: item ${i} is not shown`).not.toBeNull();
        return b!;
      });
      for (const [i, b] of boxes.entries()) {
        expect(b.x, `${width} px: item ${i} starts off screen`).toBeGreaterThanOrEqual(0);
        expect(b.x + b.width, `${width} px: item ${i} ends off screen`).toBeLessThanOrEqual(width);
        for (const [j, o] of boxes.entries()) {
          if (j >= i) break;
          const apart = b.x >= o.x + o.width - 0.5 || o.x >= b.x + b.width - 0.5 || b.y >= o.y + o.height - 0.5 || o.y >= b.y + b.height - 0.5;
          expect(apart, `${width} px: item ${i} overlaps item ${j}`).toBe(true);
        }
        // From 1000 px up, one line; below, the tabs may take a row of their own.
        if (width >= 1000) expect(Math.abs(b.y + b.height / 2 - (boxes[0]!.y + boxes[0]!.height / 2)), `${width} px: item ${i} is not on the bar's line`).toBeLessThan(12);
      }
      if (width === 1000) await po.screenshot(shot('top-bar-1000.png'));
    }
  });

  test('an unknown cluster answers 404 with a way back', async ({ page }) => {
    const res = await page.goto('/clusters/no-such-cluster/overview');
    expect(res?.status()).toBe(404);
    await expect(page.getByTestId('cluster-not-found')).toContainText('no-such-cluster');
    await page.getByRole('link', { name: 'See all clusters' }).click();
    await expect(new OverviewPage(page).startHeading).toBeVisible();
  });
});
