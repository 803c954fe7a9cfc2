import path from 'node:path';
import { expect, test } from '@playwright/test';
import { getTimeline, pickCluster, waitForFirstScrape } from './support/api';
import { TimelinePage } from './pages/timeline-page';

/** Screenshots go next to the run's other output (playwright.config.ts: artifacts/e2e). */
const shot = (name: string) => path.join(test.info().project.outputDir, name);
const MS = /^\d{13}$/;

test.describe('timeline', () => {
  test('panels on one time axis; the picker and a drag change the range in the URL', async ({ page, request }) => {
    // A dozen navigations and range changes, each drawing 14 charts.
    test.setTimeout(300_000);
    const cluster = await pickCluster(request);
    await waitForFirstScrape(request, cluster.id);
    const tl = new TimelinePage(page);

    // From the overview, through the (now enabled) tab.
    await page.goto(`/clusters/${encodeURIComponent(cluster.id)}/overview`);
    await page.getByRole('navigation', { name: 'Cluster pages' }).getByRole('link', { name: 'Timeline' }).click();
    await page.waitForURL(`**/clusters/${encodeURIComponent(cluster.id)}/timeline`);
    // A live cluster opens on the last hour; a bundle on its whole capture (an hour before its end is mostly empty).
    await expect(tl.rangeButton).toHaveText(cluster.kind === 'live' ? /Last 1 hour/ : /UTC/);
    await tl.waitForHydration();

    // The three groups and the API's panels: each one with data draws its lines, the others say why not.
    for (const g of ['etcd', 'objects', 'apiserver']) await expect(page.getByTestId(`group-${g}`)).toBeVisible();
    const api = await getTimeline(request, cluster.id);
    await expect(tl.panels).toHaveCount(api.panels.length);
    await expect.poll(() => tl.linePaths().count(), { timeout: 30_000 }).toBeGreaterThan(3);
    await expect(tl.linePaths('apiserver-goroutines').first()).toHaveAttribute('d', /^M[\d.]+,[\d.]+L/);
    for (const p of api.panels) {
      // Attached, not "visible": a flat line (has_leader = 1) has a bounding box of zero height.
      if (p.result.series.length) await expect(tl.drawn(p.id).first(), p.id).toBeAttached();
      else await expect(tl.panel(p.id).getByTestId('panel-empty'), p.id).toBeVisible();
    }

    // Quick range: the URL carries it, so a pasted link reproduces the view.
    await tl.chooseQuickRange('Last 6 hours');
    await expect.poll(() => tl.searchParam('from')).toBe('now-6h');
    expect(tl.searchParam('to')).toBe('now');
    await expect(tl.rangeButton).toHaveText(/Last 6 hours/);
    await tl.waitForSpan(6 * 3_600_000);
    await expect.poll(() => tl.linePaths().count(), { timeout: 30_000 }).toBeGreaterThan(3);

    // Auto-refresh is part of the URL too.
    await tl.refreshSelect.selectOption('1m');
    await expect.poll(() => tl.searchParam('refresh')).toBe('1m');

    // Drag across a chart: from and to become absolute epoch milliseconds, 30–60% of the old range.
    await tl.chooseQuickRange('Last 1 hour');
    await expect.poll(() => tl.searchParam('from')).toBe('now-1h');
    await tl.waitForSpan(3_600_000);
    const before = Date.now();
    const chart = tl.panel('apiserver-goroutines').getByTestId('chart');
    await tl.dragAcross(chart, 0.3, 0.6);
    await expect.poll(() => tl.searchParam('from')).toMatch(MS);
    const from = Number(tl.searchParam('from'));
    const to = Number(tl.searchParam('to'));
    expect(tl.searchParam('to')).toMatch(MS);
    expect(to - from).toBeGreaterThan(10 * 60_000);
    expect(to - from).toBeLessThan(25 * 60_000);
    if (cluster.kind === 'live') expect(to).toBeLessThan(before);
    await expect(tl.rangeButton).not.toHaveText(/Last/);

    // Zoom out doubles the span around the same centre.
    await tl.waitForSpan(to - from);
    await tl.zoomOutButton.click();
    await expect.poll(() => Number(tl.searchParam('to')) - Number(tl.searchParam('from'))).toBeGreaterThanOrEqual(2 * (to - from) - 1000);

    // Back undoes the zoom.
    await page.goBack();
    await expect.poll(() => tl.searchParam('from')).toBe(String(from));

    // Absolute range typed in UTC (the inputs take whole seconds).
    await tl.rangeButton.click();
    const start = Math.floor(from / 1000) * 1000;
    await page.getByTestId('range-from').fill(new Date(start).toISOString().slice(0, 19));
    await page.getByTestId('range-to').fill(new Date(start + 5 * 60_000).toISOString().slice(0, 19));
    await page.getByTestId('range-apply').click();
    await expect.poll(() => tl.searchParam('to')).toBe(String(start + 5 * 60_000));
    expect(tl.searchParam('from')).toBe(String(start));
    await tl.waitForSpan(5 * 60_000);

    // A click (no drag) picks a minute: one link to what the cluster said then, the range unchanged.
    await tl.clickAt(tl.panel('apiserver-goroutines').getByTestId('chart'), 0.5);
    await expect(page.getByTestId('picked-time')).toBeVisible();
    expect(tl.searchParam('from')).toBe(String(start));
    const picked = page.getByTestId('picked-events');
    await expect(picked).toHaveAttribute('href', /\/events\?.*sel=\d+-\d+/);
    await picked.click();
    await page.waitForURL(/\/events\?/);
    const sel = /sel=(\d+)-(\d+)/.exec(page.url())!;
    expect(Number(sel[2]) - Number(sel[1])).toBe(60_000);
    // The minute around the click, within the 5 minutes shown.
    expect(Number(sel[2])).toBeGreaterThan(start);
    expect(Number(sel[1])).toBeLessThan(start + 5 * 60_000);
    await expect(page.getByTestId('events-page')).toBeVisible();

    // The default view (a bundle: its capture), for the screenshot.
    await tl.open(cluster.id);
    await expect.poll(() => tl.linePaths().count(), { timeout: 30_000 }).toBeGreaterThan(3);
    expect(await tl.fitsWidth()).toBe(true);
    await tl.screenshot(shot('timeline.png'));
  });

  test('the timeline fits a 1280×800 laptop screen', async ({ page, request }) => {
    const cluster = await pickCluster(request);
    await page.setViewportSize({ width: 1280, height: 800 });
    const tl = new TimelinePage(page);
    await tl.open(cluster.id);
    await expect.poll(() => tl.linePaths().count(), { timeout: 30_000 }).toBeGreaterThan(3);
    expect(await tl.fitsWidth()).toBe(true);
    await tl.screenshot(shot('timeline-1280.png'));
  });

  test('objects as small multiples: one chart per resource on its own scale, kept in the URL', async ({ page }) => {
    test.skip(!!process.env.E2E_BASE_URL, 'uses the NOSPACE demo bundle');
    const tl = new TimelinePage(page);
    await tl.open('bundle-etcd-nospace', 'panel=objects');
    const objects = tl.panel('objects');
    const names = (await objects.getByTestId('legend-item').locator('[class*="legendName"]').allTextContents()).map((t) => t.trim());
    expect(names.length).toBeGreaterThan(3);
    await objects.getByRole('button', { name: 'Small multiples' }).click();
    await expect.poll(() => tl.searchParam('objects')).toBe('multiples');
    const multiples = objects.getByTestId('multiple');
    await expect(multiples).toHaveCount(names.length);
    await expect(objects.getByTestId('legend-item')).toHaveCount(0);
    // Each its own chart, drawn; the Kyverno reports, the fastest grower, marked as such.
    await expect.poll(() => objects.locator('[data-testid="multiple"] .recharts-line path.recharts-curve[d]').count()).toBe(names.length);
    const kyverno = objects.locator('[data-testid="multiple"][data-resource="ephemeralreports.reports.kyverno.io"]');
    await expect(kyverno).toHaveAttribute('data-highlight', 'true');
    await expect(kyverno).toContainText('fastest growing');
    // Own scales: the small resources' charts top out far below the reports' 2,000-odd.
    const topTick = async (resource: string) => {
      // Tick labels are drawn in a layer of their own above the plot, not inside the axis group.
      const ticks = await objects.locator(`[data-testid="multiple"][data-resource="${resource}"] .recharts-yAxis-tick-labels text`).allTextContents();
      // "2k", "1.5k", "400": the y axis' largest tick.
      return Math.max(...ticks.map((t) => { const m = /([\d.]+)\s*(k?)/i.exec(t.replace(/,/g, '')); return m ? Number(m[1]) * (m[2] ? 1000 : 1) : NaN; }).filter(Number.isFinite));
    };
    const other = names.find((n) => n !== 'ephemeralreports.reports.kyverno.io' && !n.includes('kyverno'))!;
    expect(await topTick('ephemeralreports.reports.kyverno.io')).toBeGreaterThan(await topTick(other));
    await expect(objects.getByRole('button', { name: 'Small multiples' })).toHaveAttribute('aria-pressed', 'true');
    await objects.scrollIntoViewIfNeeded();
    await page.screenshot({ path: shot('timeline-objects-multiples.png'), fullPage: false });
    // The link reproduces the view; Lines takes it back out of the URL.
    await page.reload();
    await expect(tl.panel('objects').getByTestId('multiple')).toHaveCount(names.length);
    await tl.panel('objects').getByRole('button', { name: 'Lines' }).click();
    await expect.poll(() => tl.searchParam('objects')).toBeNull();
    await expect(tl.panel('objects').getByTestId('legend-item')).toHaveCount(names.length);
  });

  test('a range the server cannot read says so, with a way back', async ({ page, request }) => {
    const cluster = await pickCluster(request);
    const tl = new TimelinePage(page);
    await tl.open(cluster.id, 'from=now&to=now-1h');
    await expect(tl.error).toContainText('the range must end after it starts');
    await tl.error.getByRole('button', { name: 'Show the last hour' }).click();
    await expect.poll(() => tl.searchParam('from')).toBe('now-1h');
    await expect(tl.error).toHaveCount(0, { timeout: 30_000 });
    await expect.poll(() => tl.linePaths().count(), { timeout: 30_000 }).toBeGreaterThan(3);
  });

  test('an unknown cluster answers 404', async ({ page }) => {
    const res = await page.goto('/clusters/no-such-cluster/timeline');
    expect(res?.status()).toBe(404);
    await expect(page.getByTestId('cluster-not-found')).toContainText('no-such-cluster');
  });
});
