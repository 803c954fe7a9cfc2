import { expect, type Locator, type Page } from '@playwright/test';
import { addStyleWithNonce } from '../support/csp-style';

/** Page object for the start page and a cluster's overview. */
export class OverviewPage {
  readonly startHeading: Locator;
  readonly heading: Locator;
  readonly version: Locator;
  readonly readiness: Locator;
  readonly readinessStatus: Locator;
  readonly failedChecks: Locator;
  readonly passingSummary: Locator;
  readonly freshnessBanner: Locator;
  readonly etcdTile: Locator;

  constructor(readonly page: Page) {
    this.startHeading = page.getByRole('heading', { level: 1, name: 'Clusters' });
    this.heading = page.getByRole('heading', { level: 1 });
    this.version = page.getByTestId('k8s-version');
    this.readiness = page.getByRole('region', { name: 'Readiness' });
    this.readinessStatus = this.readiness.getByTestId('readiness-status');
    this.failedChecks = this.readiness.getByRole('list', { name: 'Failing checks' });
    this.passingSummary = this.readiness.locator('summary');
    this.freshnessBanner = page.getByTestId('freshness-banner');
    this.etcdTile = page.getByTestId('tile-etcd');
  }

  async openStart(): Promise<void> {
    await this.page.goto('/');
    await expect(this.startHeading).toBeVisible();
  }

  clusterCard(id: string): Locator {
    return this.page.getByTestId(`cluster-card-${id}`);
  }

  /** From the start page, follow the cluster's card to its overview. */
  async openClusterFromStart(id: string): Promise<void> {
    await this.clusterCard(id).click();
    await this.page.waitForURL(`**/clusters/${encodeURIComponent(id)}/overview`);
    await expect(this.freshnessBanner).toBeVisible();
  }

  async open(id: string): Promise<void> {
    await this.page.goto(`/clusters/${encodeURIComponent(id)}/overview`);
    await expect(this.freshnessBanner).toBeVisible();
  }

  /**
   * Client components are live once the top bar's clock has ticked (it renders "--:--:--" on the
   * server). A cold dev server compiles the client bundle on the first visit: allow it a minute.
   */
  async waitForHydration(): Promise<void> {
    await expect(this.page.locator('[data-testid="utc-clock"][data-ready]')).toBeVisible({ timeout: 60_000 });
  }

  /** Full-page screenshot of the hydrated page, animations (the live pulse) frozen, dev overlay hidden. */
  async screenshot(path: string): Promise<void> {
    await this.waitForHydration();
    await addStyleWithNonce(this.page, 'nextjs-portal { display: none !important; }');
    await this.page.screenshot({ path, fullPage: true, animations: 'disabled' });
  }

  /** True when nothing sticks out sideways (the page fits its viewport's width). */
  async fitsWidth(): Promise<boolean> {
    return this.page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
  }
}
