import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { pickCluster } from './support/api';
import { AuditPage } from './pages/audit-page';

const shot = (name: string) => path.join(test.info().project.outputDir, name);
const LOG = 'testdata/audit/v1.20.2/catchall-requestresponse.jsonl.gz';
const POLICY = 'testdata/audit/v1.20.2/catchall-policy.yaml';

test.describe('audit', () => {
  test('upload a real audit log: top talkers, NOSPACE errors, who touched the secret, policy review', async ({ page, request }) => {
    const cluster = await pickCluster(request);
    const po = new AuditPage(page);
    await po.open(cluster.id);
    await expect(po.heading).toContainText('Audit');
    await po.upload(LOG);
    await expect(po.sources.filter({ hasText: 'catchall-requestresponse.jsonl.gz' }).first()).toContainText(/done|ingesting/);
    await expect(po.sources.filter({ hasText: 'catchall-requestresponse.jsonl.gz' }).first()).toContainText('done', { timeout: 60_000 });
    await page.reload();
    await expect(po.topTable).toContainText('kube-apiserver/v1.20.2');
    await expect(po.errors).toContainText('etcdserver: mvcc: database space exceeded');

    // By bytes: kubectl's configmap flood wins; the choice is in the URL.
    await page.getByTestId('audit-by-bytes').click();
    await expect(page).toHaveURL(/by=bytes/);
    await expect(po.topTable.locator('tbody tr').first()).toContainText('kubectl/v1.20.2');

    await po.objectForm.getByLabel('Resource', { exact: true }).fill('secrets');
    await po.objectForm.getByLabel('Namespace', { exact: true }).fill('audit-demo');
    await po.objectForm.getByLabel('Name', { exact: true }).fill('db-credentials');
    await po.objectForm.getByRole('button', { name: 'Search' }).click();
    await expect(po.objectTable).toContainText('kubernetes-admin');
    await expect(po.objectTable).toContainText('[redacted by kube-forensics]');
    await expect(page.locator('body')).not.toContainText(Buffer.from('hunter2-do-not-print').toString('base64'));

    // The time picker: a minute of the log (absolute, UTC) holds part of it; the last 15 minutes of
    // the bundle (before the log was written) hold none; "All data" is everything again.
    const events = async () => Number((await page.getByTestId('audit-figures').locator('strong').first().innerText()).replace(/[^\d]/g, ''));
    const all = await events();
    expect(all).toBeGreaterThan(0);
    await page.getByTestId('range-button').click();
    await page.getByTestId('range-from').fill('2026-11-23T04:39:00');
    await page.getByTestId('range-to').fill('2026-11-23T04:40:00');
    await page.getByTestId('range-apply').click();
    await expect(page).toHaveURL(/from=\d+&to=\d+/);
    await expect.poll(events).toBeLessThan(all);
    expect(await events()).toBeGreaterThan(0);
    await page.getByTestId('range-button').click();
    await page.getByRole('button', { name: 'Last 15 minutes' }).click();
    await expect(page).toHaveURL(/from=now-15m&to=now/);
    await expect.poll(events).toBe(0);
    await page.getByRole('button', { name: 'All data' }).click();
    await expect.poll(events).toBe(all);

    await po.policyInput.fill(fs.readFileSync(POLICY, 'utf8'));
    await po.policyAnalyze.click();
    await expect(po.risks.first()).toContainText('logs every request at RequestResponse');
    await expect(po.saving).toContainText('%');
    await expect(po.diff).toContainText('+ omitStages:');
    await page.screenshot({ path: shot('audit-page.png'), fullPage: true });
  });
});
