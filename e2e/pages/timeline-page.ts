import { expect, type Locator, type Page } from '@playwright/test';
import { addStyleWithNonce } from '../support/csp-style';

/** Page object for a cluster's timeline (`/clusters/<id>/timeline`). */
export class TimelinePage {
  readonly header: Locator;
  readonly rangeButton: Locator;
  readonly rangeLine: Locator;
  readonly zoomOutButton: Locator;
  readonly refreshSelect: Locator;
  readonly findingsStrip: Locator;
  readonly panels: Locator;
  readonly charts: Locator;
  readonly error: Locator;
  /** A runbook run's wizard beside the charts (`?run=`). */
  readonly runPanel: Locator;

  constructor(readonly page: Page) {
    this.header = page.getByRole('heading', { level: 1 });
    this.rangeButton = page.getByTestId('range-button');
    this.rangeLine = page.getByTestId('range-line');
    this.zoomOutButton = page.getByTestId('zoom-out');
    this.refreshSelect = page.getByTestId('refresh-select');
    this.findingsStrip = page.getByTestId('findings-strip');
    this.panels = page.getByTestId('panel');
    this.charts = page.getByTestId('chart');
    this.error = page.getByTestId('timeline-error');
    this.runPanel = page.getByTestId('run-panel');
  }

  /** `base` for a server other than the configured baseURL (the NOSPACE spec's own dashboard). */
  async open(clusterId: string, query = '', base = ''): Promise<void> {
    await this.page.goto(`${base}/clusters/${encodeURIComponent(clusterId)}/timeline${query ? `?${query}` : ''}`);
    await expect(this.rangeButton).toBeVisible();
  }

  panel(id: string): Locator {
    return this.page.locator(`[data-testid="panel"][data-panel="${id}"]`);
  }

  /** A panel's figure chip ("of quota", "fastest growing"…). */
  stat(panelId: string, label: string): Locator {
    return this.panel(panelId).locator(`[data-testid="panel-stat"][data-label="${label}"]`);
  }

  legendItem(panelId: string, name: string | RegExp): Locator {
    return this.panel(panelId).getByTestId('legend-item').filter({ hasText: name });
  }

  /** Data lines drawn (SVG paths with a `d`), across the page or in one panel. */
  linePaths(panelId?: string): Locator {
    return (panelId ? this.panel(panelId) : this.page).locator('.recharts-line path.recharts-curve[d]');
  }

  /** What a panel draws: line paths, or dots for a series of one or two points. */
  drawn(panelId: string): Locator {
    return this.panel(panelId).locator('.recharts-line path.recharts-curve[d], .recharts-line .recharts-dot');
  }

  finding(detector: string): Locator {
    return this.findingsStrip.locator(`[data-testid="finding"][data-detector="${detector}"]`);
  }

  /** The range on screen (ms), once the charts show the URL's range rather than the previous one. */
  async shownRange(): Promise<{ from: number; to: number } | null> {
    const el = this.rangeLine;
    if ((await el.count()) === 0 || (await el.getAttribute('data-stale')) !== null) return null;
    return { from: Number(await el.getAttribute('data-from')), to: Number(await el.getAttribute('data-to')) };
  }

  /** Waits until the charts show a range of about `spanMs` (the next range has loaded). */
  async waitForSpan(spanMs: number, timeout = 30_000): Promise<void> {
    await expect.poll(async () => { const r = await this.shownRange(); return r ? Math.round((r.to - r.from) / 1000) : null; }, { timeout })
      .toBeGreaterThanOrEqual(Math.round(spanMs / 1000) - 1);
    await expect.poll(async () => { const r = await this.shownRange(); return r ? Math.round((r.to - r.from) / 1000) : null; }, { timeout })
      .toBeLessThanOrEqual(Math.round(spanMs / 1000) + 1);
  }

  searchParam(name: string): string | null {
    return new URL(this.page.url()).searchParams.get(name);
  }

  async chooseQuickRange(label: string): Promise<void> {
    await this.rangeButton.click();
    await this.page.getByRole('dialog', { name: 'Time range' }).getByRole('button', { name: label, exact: true }).click();
  }

  /** Drags across a chart's plot from one fraction of its width to another. */
  /** A click (no drag) at fraction `at` of the plot's width. */
  async clickAt(chart: Locator, at: number): Promise<void> {
    await chart.scrollIntoViewIfNeeded();
    const box = await chart.boundingBox();
    if (!box) throw new Error('the chart has no box');
    await this.page.mouse.click(box.x + box.width * (0.15 + 0.8 * at), box.y + box.height * 0.45);
  }

  async dragAcross(chart: Locator, from: number, to: number): Promise<void> {
    await chart.scrollIntoViewIfNeeded();
    const box = await chart.boundingBox();
    if (!box) throw new Error('the chart has no box');
    // The y axis takes the left ~15%; drag within the plot.
    const x = (f: number) => box.x + box.width * (0.15 + 0.8 * f);
    const y = box.y + box.height * 0.45;
    await this.page.mouse.move(x(from), y);
    await this.page.mouse.down();
    await this.page.mouse.move((x(from) + x(to)) / 2, y, { steps: 5 });
    await this.page.mouse.move(x(to), y, { steps: 5 });
    await this.page.mouse.up();
  }

  /** Client components are live once the top bar's clock has ticked (it renders "--:--:--" on the server). */
  async waitForHydration(): Promise<void> {
    await expect(this.page.locator('[data-testid="utc-clock"][data-ready]')).toBeVisible({ timeout: 60_000 });
  }

  /** Full-page screenshot of the hydrated page, animations frozen, dev overlay hidden, pointer parked. */
  async screenshot(path: string): Promise<void> {
    await this.waitForHydration();
    await this.page.mouse.move(0, 0);
    // Sticky bars are drawn where the page is scrolled to: capture from the top.
    await this.page.evaluate(() => window.scrollTo(0, 0));
    await this.page.waitForTimeout(200);
    await addStyleWithNonce(this.page, 'nextjs-portal { display: none !important; }');
    await this.page.screenshot({ path, fullPage: true, animations: 'disabled' });
  }

  async fitsWidth(): Promise<boolean> {
    return this.page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
  }
}
