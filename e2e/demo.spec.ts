// `npm run demo` on a fresh clone: the start page lists every demo bundle with its one-line story,
// and each tells that story in the UI. Its overview names the incident (the detector that recognises
// it, at its severity), and its timeline, at its default range, has that finding in the strip and
// the panel that shows it drawn. The healthy baseline tells the opposite story: nothing above info.
// The e2e server is `npm run demo`'s: every bundle in testdata/bundles (playwright.config.ts).
import fs from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { OverviewPage } from './pages/overview-page';
import { TimelinePage } from './pages/timeline-page';

const shot = (name: string) => path.join(test.info().project.outputDir, name);

interface Story {
  /** The detector that names the incident, and its severity at the end of the recording. */
  detector?: string;
  severity?: 'warning' | 'critical';
  /** The timeline panel that shows it. */
  panel?: string;
  /** What the finding's summary says. */
  summary?: RegExp;
}

const STORIES: Record<string, Story> = {
  'etcd-nospace': { detector: 'etcd-nospace', severity: 'critical', panel: 'etcd-db-size', summary: /database space exceeded/ },
  'apiserver-goroutine-leak': { detector: 'apiserver-goroutine-growth', severity: 'warning', panel: 'apiserver-goroutines', summary: /goroutines rose from [\d,]+ to [\d,]+/ },
  'apiserver-memory-growth': { detector: 'apiserver-memory-growth', severity: 'warning', panel: 'apiserver-memory', summary: /resident memory rose from [\d,]+ MiB to [\d,]+ MiB/ },
  'etcd-slow-disk': { detector: 'etcd-fsync-slow', severity: 'critical', panel: 'etcd-wal-fsync', summary: /WAL fsync p99 \d+ ms/ },
  'etcd-quorum': { detector: 'etcd-leader-changes', severity: 'warning', panel: 'etcd-leader', summary: /etcd leader changes/ },
  'event-storm': { detector: 'event-storm', severity: 'warning', panel: 'apiserver-requests', summary: /Event storm: \d+ events\/min, mostly ReconcileFailed on Deployment/ },
  'node-eviction': { detector: 'node-heartbeats', severity: 'critical', summary: /2 of 4 nodes down: evictions started/ },
  'healthy-baseline': {},
};

const bundleFiles = fs.readdirSync(path.join(import.meta.dirname, '..', 'testdata', 'bundles')).filter((f) => f.endsWith('.tar.gz')).map((f) => f.replace(/\.tar\.gz$/, '')).sort();

test.describe('demo bundles', () => {
  test.skip(!!process.env.E2E_BASE_URL, 'the demo bundles are the default server\'s (no E2E_BASE_URL)');

  test('the start page lists every demo bundle with its story', async ({ page, request }) => {
    // Every bundle shipped has a story test below: a new one without gets noticed here.
    expect(bundleFiles).toEqual(Object.keys(STORIES).sort());
    const clusters = (await (await request.get('/api/clusters')).json()) as Array<{ id: string; name: string; kind: string; story?: string }>;
    const po = new OverviewPage(page);
    await po.openStart();
    for (const name of bundleFiles) {
      const c = clusters.find((x) => x.id === `bundle-${name}`);
      expect(c, name).toBeDefined();
      expect(c!.story?.length ?? 0, `${name} has a story`).toBeGreaterThan(60);
      const card = po.clusterCard(c!.id);
      await expect(card).toContainText(c!.name);
      // The story is on the card whole, not cut to a line or two.
      const storyLine = card.getByTestId('cluster-story');
      await expect(storyLine).toHaveText(c!.story!);
      expect(await storyLine.evaluate((e) => e.scrollHeight <= e.clientHeight + 1), `${name}: the story is cut`).toBe(true);
      await expect(card).toContainText('Captured');
    }
    await po.screenshot(shot('demo-start.png'));
  });

  for (const [name, story] of Object.entries(STORIES)) {
    test(`${name} tells its story: overview and timeline`, async ({ page }) => {
      const id = `bundle-${name}`;
      const po = new OverviewPage(page);
      await po.openStart();
      await po.openClusterFromStart(id);
      const findings = page.getByTestId('finding');
      if (story.detector) {
        const f = page.locator(`[data-testid="finding"][data-detector="${story.detector}"]`).first();
        await expect(f).toBeVisible();
        await expect(f).toHaveAttribute('data-severity', story.severity!);
        await expect(f.getByTestId('finding-summary')).toHaveText(story.summary!);
      } else {
        await expect(page.getByTestId('findings')).toBeVisible();
        for (const sev of await findings.evaluateAll((els) => els.map((e) => e.getAttribute('data-severity')))) expect(sev).toBe('info');
      }
      await po.screenshot(shot(`demo-${name}-overview.png`));

      // As a person goes on: the finding's "Open in timeline" (the baseline: the timeline link).
      const tl = new TimelinePage(page);
      if (story.detector) {
        await page.locator(`[data-testid="finding"][data-detector="${story.detector}"]`).first().getByRole('link', { name: /Open in timeline/ }).click();
        await page.waitForURL(`**/clusters/${id}/timeline**`);
      } else {
        await tl.open(id);
      }
      await expect(tl.findingsStrip).toBeVisible();
      if (story.detector) {
        await expect(tl.finding(story.detector)).toBeVisible();
        if (story.panel) await expect(tl.drawn(story.panel).first()).toBeVisible();
      } else {
        await expect(tl.findingsStrip.locator('[data-testid="finding"][data-severity="warning"], [data-testid="finding"][data-severity="critical"]')).toHaveCount(0);
        await expect(tl.drawn('etcd-wal-fsync').first()).toBeVisible();
      }
      await tl.screenshot(shot(`demo-${name}-timeline.png`));
    });
  }
});
