import path from 'node:path';
import { expect, test, type APIRequestContext } from '@playwright/test';
import { pickCluster } from './support/api';

const shot = (name: string) => path.join(test.info().project.outputDir, name);

interface ApiEvents { total: number; rows: Array<{ uid: string; reason: string }>; strip: { step: number; buckets: Array<{ t: number; normal: number; warning: number; other: number }> }; facets: { reason: Array<{ value: string; n: number }> } }

async function apiEvents(request: APIRequestContext, id: string, q: Record<string, string>): Promise<ApiEvents> {
  const res = await request.get(`/api/clusters/${encodeURIComponent(id)}/events?${new URLSearchParams(q)}`);
  expect(res.ok(), `GET events: ${res.status()}`).toBeTruthy();
  return (await res.json()) as ApiEvents;
}

test('events page: strip, table, facet filter, minute pick and grouping, all in the URL', async ({ page, request }) => {
  const cluster = await pickCluster(request);
  await page.goto(`/clusters/${encodeURIComponent(cluster.id)}/overview`);
  await page.getByRole('navigation', { name: 'Cluster pages' }).getByRole('link', { name: 'Events' }).click();
  await page.waitForURL(`**/clusters/${encodeURIComponent(cluster.id)}/events`);
  await expect(page.locator('[data-testid="utc-clock"][data-ready]')).toBeVisible({ timeout: 60_000 });

  const from = await page.getByTestId('range-line').getAttribute('data-from');
  const to = await page.getByTestId('range-line').getAttribute('data-to');
  const all = await apiEvents(request, cluster.id, { from: from!, to: to! });
  expect(all.total, 'the demo bundle has events').toBeGreaterThan(0);
  await expect(page.getByTestId('event-strip')).toBeVisible();
  await expect(page.getByTestId('events-count')).toContainText(`${all.total} events`);
  // Virtualized: a small archive is all on screen; a large one renders only what fits.
  if (all.total <= 12) await expect(page.getByTestId('event-row')).toHaveCount(all.total);
  else await expect.poll(() => page.getByTestId('event-row').count()).toBeGreaterThan(5);
  await expect(page.getByTestId('event-row').first()).toHaveAttribute('data-uid', all.rows[0]!.uid);
  await page.mouse.move(0, 0);
  await page.screenshot({ path: shot('events.png'), fullPage: true });

  // A facet filter: the URL carries it and the table follows the API.
  const reason = all.facets.reason[all.facets.reason.length - 1]!;
  await page.getByTestId('filter-reason').selectOption(reason.value);
  await expect.poll(() => new URL(page.url()).searchParams.get('reason')).toBe(reason.value);
  await expect(page.getByTestId('events-count')).toContainText(`${reason.n} event`);
  await expect(page.getByTestId('event-row')).toHaveCount(reason.n);
  await page.getByTestId('clear-filters').click();
  await expect.poll(() => new URL(page.url()).searchParams.get('reason')).toBeNull();

  // Click the busiest bar of the strip: the table lists that minute only.
  const busiest = [...all.strip.buckets].sort((a, b) => (b.normal + b.warning + b.other) - (a.normal + a.warning + a.other))[0]!;
  const box = (await page.getByTestId('event-strip').locator('svg').boundingBox())!;
  const x = box.x + ((busiest.t + all.strip.step / 2 - Number(from)) / (Number(to) - Number(from))) * box.width;
  await page.mouse.click(x, box.y + box.height / 2);
  await expect.poll(() => new URL(page.url()).searchParams.get('sel')).toBe(`${busiest.t}-${busiest.t + all.strip.step}`);
  await expect(page.getByTestId('strip-selection')).toBeVisible();
  const picked = busiest.normal + busiest.warning + busiest.other;
  await expect(page.getByTestId('event-row')).toHaveCount(picked);
  await page.mouse.move(0, 0);
  await page.screenshot({ path: shot('events-minute.png') });

  // Group by involved object, then back to one object's events.
  // A controlled checkbox: it flips once the URL (the state) has changed.
  await page.getByTestId('group-toggle').click();
  await expect.poll(() => new URL(page.url()).searchParams.get('group')).toBe('object');
  await expect(page.getByTestId('groups-table')).toBeVisible();
  await page.getByTestId('group-row').first().click();
  await expect.poll(() => new URL(page.url()).searchParams.get('name')).not.toBeNull();
  await expect(page.getByTestId('filter-name')).toBeVisible();

  // Back undoes it: the URL is the state.
  await page.goBack();
  await expect(page.getByTestId('groups-table')).toBeVisible();
});
