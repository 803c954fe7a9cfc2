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

  // TV mode: no composer, large type.
  await other.goto(`/incidents/${id}?kiosk=1`);
  await expect(other.getByTestId('war-room')).toHaveAttribute('data-kiosk', 'true');
  await expect(other.getByTestId('annotation-composer')).toHaveCount(0);
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
