import path from 'node:path';
import { addStyleWithNonce } from '../support/csp-style';
import { expect, type Locator, type Page } from '@playwright/test';

/** Page object for a cluster's runtime page: captures, upload, goroutine groups, heap flame graph. */
export class RuntimePage {
  readonly heading: Locator;
  readonly uploadInput: Locator;
  readonly uploadError: Locator;
  readonly captureRows: Locator;
  readonly groups: Locator;
  readonly groupRows: Locator;
  readonly idleRow: Locator;
  readonly groupFilter: Locator;
  readonly flame: Locator;
  readonly flameCanvas: Locator;
  readonly flameSearch: Locator;
  readonly sampleType: Locator;
  readonly topTable: Locator;
  readonly findings: Locator;

  constructor(readonly page: Page) {
    this.heading = page.getByRole('heading', { level: 1 });
    this.uploadInput = page.getByTestId('upload-input');
    this.uploadError = page.getByTestId('upload-error');
    this.captureRows = page.getByTestId('capture-row');
    this.groups = page.getByTestId('goroutine-groups');
    this.groupRows = this.groups.getByTestId('group-row');
    this.idleRow = this.groups.getByTestId('idle-row');
    this.groupFilter = page.getByTestId('group-filter');
    this.flame = page.getByTestId('heap-flame');
    this.flameCanvas = page.getByTestId('flame-canvas');
    this.flameSearch = page.getByTestId('flame-search');
    this.sampleType = page.getByTestId('sample-type');
    this.topTable = page.getByRole('table', { name: 'Top functions' });
    this.findings = page.getByTestId('runtime-findings').or(page.getByTestId('runtime-all-clear'));
  }

  async open(clusterId: string): Promise<void> {
    await this.page.goto(`/clusters/${encodeURIComponent(clusterId)}/runtime`);
    await expect(this.page.getByTestId('runtime-page')).toBeVisible();
    await expect(this.page.locator('[data-testid="utc-clock"][data-ready]')).toBeVisible({ timeout: 60_000 });
  }

  /**
   * Uploads a repository file through the drop zone's file input and waits until it is the shown
   * capture of its kind (its row selected, its panel no longer the previous capture's).
   */
  async upload(repoPath: string, kind: 'goroutine' | 'heap'): Promise<string> {
    const before = await this.captureRows.count();
    await this.uploadInput.setInputFiles(path.resolve(repoPath));
    await expect(this.captureRows).toHaveCount(before + 1);
    const row = this.page.locator(`[data-testid="capture-row"][data-kind="${kind}"][data-selected="true"]`);
    const id = await row.getAttribute('data-id');
    expect(id).toBeTruthy();
    // A cold dev server compiles the analysis route on first use: allow it a minute.
    const panel = this.page.getByTestId(kind === 'heap' ? 'heap-panel' : 'goroutine-panel');
    await expect(panel).toHaveAttribute('data-capture-id', id!, { timeout: 60_000 });
    await expect(panel).toHaveAttribute('data-stale', 'false', { timeout: 60_000 });
    return id!;
  }

  async screenshot(file: string): Promise<void> {
    await addStyleWithNonce(this.page, 'nextjs-portal { display: none !important; }');
    await this.page.evaluate(() => window.scrollTo(0, 0)); // the sticky top bar stays on top of a full-page shot
    await this.page.screenshot({ path: file, fullPage: true, animations: 'disabled' });
  }
}
