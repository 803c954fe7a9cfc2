// The runbook wizard on the demo's healthy-baseline bundle: the menu, a run started from it, steps
// with their live checks, templated commands and the who/when of a step. Screenshots for review.
import path from 'node:path';
import { expect, test } from '@playwright/test';

const CLUSTER = 'bundle-healthy-baseline';
const shot = (name: string) => path.join(test.info().project.outputDir, name);

test('start the out-of-space runbook, mark a step done, see who did it', async ({ page }) => {
  await page.goto(`/clusters/${CLUSTER}/runbooks?runbook=etcd-out-of-space&finding=etcd-nospace`);
  const index = page.getByTestId('runbooks-index');
  await expect(index).toBeVisible();
  await expect(index.locator('[data-runbook]').first()).toHaveAttribute('data-runbook', 'etcd-out-of-space');
  await page.getByLabel('You are').first().fill('alice');
  await page.screenshot({ path: shot('runbooks-index.png'), fullPage: true });
  await index.locator('[data-runbook="etcd-out-of-space"]').getByRole('button', { name: /Start/ }).click();
  await page.waitForURL(/runbooks\?run=\d+/);
  const run = page.getByTestId('runbook-run');
  await expect(run).toBeVisible();
  // On a healthy recording the NOSPACE check passes, with its evidence.
  const first = run.locator('[data-step="at-quota"]');
  await expect(first).toHaveAttribute('data-check', 'pass');
  // Commands are templated with the bundle's values where it has them; the rest stay visible.
  await expect(run.locator('[data-step="compact"] pre')).toContainText(/compact \d+/);
  await expect(run.locator('[data-step="delete"]')).toContainText('Fill in first');
  await run.locator('[data-step="alarm"]').getByRole('button', { name: 'Done' }).click();
  await expect(run.locator('[data-step="alarm"]')).toHaveAttribute('data-status', 'done');
  await expect(run.locator('[data-step="alarm"]')).toContainText('by alice');
  await page.screenshot({ path: shot('runbook-run.png'), fullPage: false });
  await page.screenshot({ path: shot('runbook-run-full.png'), fullPage: true });
});
