// A runbook's wizard beside the timeline (`?run=`): the operator follows the steps while watching the
// charts. From the wizard's own page, and from a finding on the timeline (start a run there, land
// back beside the same charts; open it again from the finding). Screenshots for review.
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { TimelinePage } from './pages/timeline-page';

const HEALTHY = 'bundle-healthy-baseline';
const NOSPACE = 'bundle-etcd-nospace';
const shot = (name: string) => path.join(test.info().project.outputDir, name);

async function startRun(page: Page, cluster: string, who: string): Promise<{ id: number; title: string }> {
  await page.goto(`/clusters/${cluster}/runbooks?runbook=etcd-out-of-space`);
  await page.getByLabel('You are').first().fill(who);
  await page.getByTestId('runbooks-index').locator('[data-runbook="etcd-out-of-space"]').getByRole('button', { name: /Start/ }).click();
  await page.waitForURL(/runbooks\?run=\d+/);
  await expect(page.getByTestId('runbook-run')).toBeVisible();
  return { id: Number(new URL(page.url()).searchParams.get('run')), title: (await page.getByRole('heading', { level: 1 }).textContent()) ?? '' };
}

test('a run beside the charts: both in one screen, a step marked from the panel, closed again', async ({ page, request }) => {
  test.setTimeout(240_000);
  const run = await startRun(page, HEALTHY, 'bob');

  // Entry point 1: the wizard's own page.
  await page.getByTestId('run-beside-timeline').click();
  await page.waitForURL(new RegExp(`/clusters/${HEALTHY}/timeline\\?run=${run.id}$`));
  const tl = new TimelinePage(page);
  await expect(tl.rangeButton).toBeVisible();
  await tl.waitForHydration();
  const panel = tl.runPanel;
  await expect(panel).toBeVisible();
  await expect(panel.locator('#run-panel-title')).toHaveText(run.title);
  await expect(panel.getByTestId('run-panel-full')).toHaveAttribute('href', `/clusters/${HEALTHY}/runbooks?run=${run.id}`);
  await expect(panel.getByTestId('runbook-run')).toHaveAttribute('data-embedded', '');
  // The checks are live in the panel as on the full page (the healthy recording passes NOSPACE).
  await expect(panel.locator('[data-step="at-quota"]')).toHaveAttribute('data-check', 'pass');

  // One screen: charts drawn on the left, the wizard's steps on the right, both in the viewport.
  await expect.poll(() => tl.linePaths().count(), { timeout: 30_000 }).toBeGreaterThan(3);
  const chart = tl.panels.first();
  const firstStep = panel.getByTestId('runbook-step').first();
  await expect(chart).toBeInViewport();
  await expect(firstStep).toBeInViewport();
  const [chartBox, panelBox] = [await chart.boundingBox(), await panel.boundingBox()];
  expect(panelBox!.x).toBeGreaterThanOrEqual(chartBox!.x + chartBox!.width);
  expect(panelBox!.width).toBeGreaterThanOrEqual(400);
  expect(panelBox!.width).toBeLessThanOrEqual(500);
  expect(await tl.fitsWidth()).toBe(true);
  await page.mouse.move(0, 0);
  await page.screenshot({ path: shot('timeline-runbook.png'), fullPage: false, animations: 'disabled' });

  // Mark a step from the panel: saved with who, on the server (a reload shows it).
  const alarm = panel.locator('[data-step="alarm"]');
  await alarm.getByRole('button', { name: 'Skip' }).click();
  await expect(alarm).toHaveAttribute('data-status', 'skipped');
  await expect(alarm).toContainText('by bob');
  const saved = await request.get(`/api/clusters/${HEALTHY}/runbooks/${run.id}`);
  expect(saved.ok()).toBeTruthy();
  expect(((await saved.json()) as { steps: Array<{ id: string; status: string; by?: string }> }).steps.find((s) => s.id === 'alarm'))
    .toMatchObject({ status: 'skipped', by: 'bob' });
  await page.reload();
  await expect(tl.runPanel.locator('[data-step="alarm"]')).toHaveAttribute('data-status', 'skipped');

  // The panel stays beside the charts while they scroll, and scrolls on its own.
  await tl.waitForHydration();
  await page.mouse.move(200, 600);
  await page.mouse.wheel(0, 2_000);
  await expect.poll(() => page.evaluate(() => window.scrollY)).toBeGreaterThan(1_000);
  await expect(tl.runPanel.getByRole('button', { name: 'Close the runbook panel' })).toBeInViewport();
  await page.screenshot({ path: shot('timeline-runbook-scrolled.png'), fullPage: false, animations: 'disabled' });
  await page.evaluate(() => window.scrollTo(0, 0));

  // A laptop: still side by side, the charts in one column.
  await page.setViewportSize({ width: 1366, height: 768 });
  await expect(tl.runPanel).toBeVisible();
  const [c, c2, p] = [await tl.panels.first().boundingBox(), await tl.panels.nth(1).boundingBox(), await tl.runPanel.boundingBox()];
  expect(p!.x).toBeGreaterThanOrEqual(c!.x + c!.width);
  expect(c2!.y).toBeGreaterThanOrEqual(c!.y + c!.height);
  expect(await tl.fitsWidth()).toBe(true);
  await page.screenshot({ path: shot('timeline-runbook-1366.png'), fullPage: false, animations: 'disabled' });
  await page.setViewportSize({ width: 1920, height: 1080 });

  // Close: `run` leaves the URL, the charts stay; Back brings the panel back.
  await tl.runPanel.getByRole('button', { name: 'Close the runbook panel' }).click();
  await expect(tl.runPanel).toHaveCount(0);
  expect(tl.searchParam('run')).toBeNull();
  await expect(tl.panels.first()).toBeVisible();
  await page.goBack();
  await expect(tl.runPanel).toBeVisible();
  expect(tl.searchParam('run')).toBe(String(run.id));

  // A run that does not exist: the timeline without a panel, not an error page.
  const res = await page.goto(`/clusters/${HEALTHY}/timeline?run=999999`);
  expect(res?.status()).toBe(200);
  await expect(tl.rangeButton).toBeVisible();
  await expect(tl.panels.first()).toBeVisible();
  await expect(tl.runPanel).toHaveCount(0);
});

test('a finding\'s runbook, started from the timeline, opens beside the same charts', async ({ page }) => {
  test.setTimeout(240_000);
  const tl = new TimelinePage(page);
  await tl.open(NOSPACE);
  await tl.waitForHydration();
  const link = tl.finding('etcd-nospace').getByTestId('finding-runbook');
  await expect(link).toHaveText(/Open the runbook/);
  const carried = new URL(await link.getAttribute('href') ?? '', 'http://x').searchParams.get('timeline');
  expect(carried).toMatch(/^from=\d+&to=now$/);
  await link.click();

  // Entry point 2: the runbooks page, opened from the timeline, starts the run beside it.
  await page.waitForURL(/\/runbooks\?runbook=etcd-out-of-space/);
  await expect(page.getByTestId('starts-beside-timeline')).toBeVisible();
  await page.getByLabel('You are').first().fill('carol');
  await page.locator('[data-runbook="etcd-out-of-space"]').getByRole('button', { name: /Start/ }).click();
  await page.waitForURL(/\/timeline\?.*run=\d+/);
  const id = tl.searchParam('run');
  expect(`from=${tl.searchParam('from')}&to=${tl.searchParam('to')}`).toBe(carried);
  await expect(tl.runPanel).toBeVisible();
  await expect(tl.runPanel.getByTestId('runbook-run')).toContainText('from the finding etcd-nospace');
  // On this recording the NOSPACE check fails, beside the chart that shows why.
  await expect(tl.runPanel.locator('[data-step="at-quota"]')).toHaveAttribute('data-check', 'fail');

  // The finding now resumes that run rather than offering a second one.
  await expect(link).toHaveText(`Open the runbook (run #${id}) →`);
  await tl.runPanel.getByRole('button', { name: 'Close the runbook panel' }).click();
  await expect(tl.runPanel).toHaveCount(0);
  await link.click();
  await expect(tl.runPanel).toBeVisible();
  expect(tl.searchParam('run')).toBe(id);
  await tl.waitForHydration();
  await page.mouse.move(0, 0);
  await page.screenshot({ path: shot('timeline-runbook-finding.png'), fullPage: false, animations: 'disabled' });

  // Narrower: the panel between the findings and the charts.
  await page.setViewportSize({ width: 1000, height: 900 });
  const [strip, panel, etcd] = [await tl.findingsStrip.boundingBox(), await tl.runPanel.boundingBox(), await page.getByTestId('group-etcd').boundingBox()];
  expect(panel!.y).toBeGreaterThanOrEqual(strip!.y + strip!.height);
  expect(etcd!.y).toBeGreaterThanOrEqual(panel!.y + panel!.height);
  expect(await tl.fitsWidth()).toBe(true);
  // From the top of the page to the first charts under the panel.
  await page.mouse.move(0, 0);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: shot('timeline-runbook-narrow.png'), fullPage: true, clip: { x: 0, y: 0, width: 1000, height: Math.ceil(etcd!.y + 500) }, animations: 'disabled' });
});
