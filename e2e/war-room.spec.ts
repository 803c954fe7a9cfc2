// The war room on the demo's etcd-nospace bundle: an incident declared from the NOSPACE finding in
// one click, two screens on it, an annotation from one shown on the other within 2 s (SSE), the TV
// mode, and the postmortem with its PDF. Screenshots for review.
import path from 'node:path';
import { expect, test } from '@playwright/test';

const CLUSTER = 'bundle-etcd-nospace';
const shot = (name: string) => path.join(test.info().project.outputDir, name);

test('declare from a finding, annotate on one screen, see it on another; kiosk; postmortem PDF', async ({ page, browser, request }) => {
  await page.goto(`/clusters/${CLUSTER}/overview`);
  await page.locator('[data-detector="etcd-nospace"]').first().getByTestId('declare-incident').click();
  await page.waitForURL(/\/incidents\/[a-z0-9]+$/);
  const id = new URL(page.url()).pathname.split('/').pop()!;
  await expect(page.getByTestId('war-room')).toBeVisible();
  await expect(page.getByTestId('live-state')).toHaveAttribute('data-state', 'live');
  await expect(page.getByTestId('incident-feed')).toContainText('finding');

  // A second screen, in its own browser context (another person).
  const other = await (await browser.newContext()).newPage();
  await other.goto(`/incidents/${id}`);
  await expect(other.getByTestId('live-state')).toHaveAttribute('data-state', 'live');

  const composer = page.getByTestId('annotation-composer');
  await composer.getByPlaceholder('your name').fill('alice');
  await composer.getByRole('textbox', { name: /What you saw/ }).fill('writes fail with database space exceeded');
  await page.getByTestId('add-annotation').click();
  await expect(other.getByTestId('incident-feed').getByTestId('feed-item').filter({ hasText: 'writes fail with database space exceeded' })).toContainText('alice', { timeout: 2_000 });
  await other.screenshot({ path: shot('war-room-second-screen.png'), fullPage: false });

  // The note is on every chart of the other screen too (from its live dossier, no reload).
  const panels = other.getByTestId('incident-charts').getByTestId('panel');
  await expect(async () => {
    let drawn = 0;
    for (let k = 0; k < await panels.count(); k++) {
      const p = panels.nth(k);
      if (await p.getByTestId('panel-empty').count()) continue;
      drawn++;
      expect(await p.getByTestId('marker-annotation').count(), await p.getAttribute('data-panel') ?? '').toBeGreaterThan(0);
    }
    expect(drawn).toBeGreaterThanOrEqual(4);
  }).toPass({ timeout: 5_000 });

  // The share link reproduces the exact view: zoom the charts, copy the link, open it elsewhere.
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  const firstChart = page.getByTestId('incident-charts').getByTestId('panel').first().locator('.recharts-surface').first();
  const box = (await firstChart.boundingBox())!;
  await page.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2);
  await page.mouse.down();
  await page.mouse.move(box.x + box.width * 0.6, box.y + box.height / 2, { steps: 8 });
  await page.mouse.up();
  await expect(page).toHaveURL(/[?&]from=/);
  await page.getByTestId('copy-link').click();
  const shared = await page.evaluate(() => navigator.clipboard.readText());
  const want = new URL(page.url());
  const got = new URL(shared);
  expect(got.pathname).toBe(`/incidents/${id}`);
  expect([got.searchParams.get('from'), got.searchParams.get('to')]).toEqual([want.searchParams.get('from'), want.searchParams.get('to')]);
  const third = await (await browser.newContext()).newPage();
  await third.goto(shared);
  const range = async (p: typeof page) => p.getByTestId('incident-charts').locator('h2 .num').first().textContent();
  await expect.poll(() => range(third)).toBe(await range(page));

  // TV mode on a 1920-pixel screen: no app chrome, no composer, large type.
  await other.setViewportSize({ width: 1920, height: 1080 });
  const sizes = async () => other.evaluate(() => ({
    root: parseFloat(getComputedStyle(document.documentElement).fontSize),
    feed: parseFloat(getComputedStyle(document.querySelector('[data-testid="feed-item"]')!).fontSize),
    title: parseFloat(getComputedStyle(document.querySelector('h1')!).fontSize),
  }));
  const normal = await sizes();
  await other.goto(`/incidents/${id}?kiosk=1`);
  await expect(other.getByTestId('war-room')).toHaveAttribute('data-kiosk', 'true');
  await expect(other.getByTestId('annotation-composer')).toHaveCount(0);
  await expect(other.getByTestId('incidents-link')).toBeHidden(); // the top bar is gone
  const tv = await sizes();
  expect(tv.root).toBeGreaterThanOrEqual(24);
  expect(tv.feed / normal.feed).toBeGreaterThanOrEqual(1.4);
  expect(tv.title).toBeGreaterThanOrEqual(40);
  await other.screenshot({ path: shot('war-room-kiosk.png'), fullPage: false });

  // The postmortem: the draft names the incident; the PDF is a real PDF.
  await page.getByTestId('postmortem-link').click();
  await page.waitForURL(new RegExp(`/incidents/${id}/postmortem$`));
  await expect(page.locator('body')).toContainText('writes fail with database space exceeded');
  await page.screenshot({ path: shot('postmortem-page.png'), fullPage: true });
  const pdf = await request.get(`/api/incidents/${id}/postmortem/pdf`, { timeout: 90_000 });
  expect(pdf.status()).toBe(200);
  expect(pdf.headers()['content-type']).toContain('application/pdf');
  expect((await pdf.body()).subarray(0, 5).toString('latin1')).toBe('%PDF-');
});
