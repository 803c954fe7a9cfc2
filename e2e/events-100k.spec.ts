// The events table at 100,000 rows (issue 5: "a virtualized table that stays smooth at 100k rows").
// A bundle of 100k archived Events (test/support/synthetic-events: shaped like the real v1.20.2 ones,
// two hours with a node-loss storm) is dropped on the dashboard through the upload API; the events
// page then shows all of them in one table. Checked as a person would feel it: only a screenful of
// rows in the DOM, frames while scrolling end to end (measured with requestAnimationFrame), and the
// oldest event at the bottom.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import * as tar from 'tar';
import { eventAt, lcg } from '../test/support/synthetic-events';

const N = 100_000;
const T0 = Date.parse('2026-11-23T00:00:00Z');
const SPAN = 2 * 3600_000;
const shot = (name: string) => path.join(test.info().project.outputDir, name);

async function writeBundle(dir: string): Promise<string> {
  fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({
    formatVersion: 1,
    cluster: { name: 'events-100k', version: 'v1.20.2' },
    timeRange: { from: new Date(T0).toISOString(), to: new Date(T0 + SPAN).toISOString() },
    sources: ['e2e:synthetic-events'],
    captured: { events: true },
  }));
  const rand = lcg(7);
  const out = fs.createWriteStream(path.join(dir, 'events.jsonl'));
  for (let i = 0; i < N; i++) {
    if (!out.write(`${JSON.stringify(eventAt(i, rand, { n: N, t0: T0, span: SPAN }))}\n`)) await new Promise<void>((r) => out.once('drain', () => r()));
  }
  await new Promise<void>((r, j) => out.end((e?: Error | null) => (e ? j(e) : r())));
  const file = path.join(dir, 'events-100k.tar.gz');
  await tar.c({ gzip: true, cwd: dir, file }, ['manifest.json', 'events.jsonl']);
  return file;
}

const quantile = (xs: number[], q: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(q * s.length))]!; };

test('100,000 archived events: one table, a screenful of rows in the DOM, smooth from top to bottom', async ({ page, request }) => {
  test.skip(!!process.env.E2E_BASE_URL, 'uploads a bundle: not against a shared dashboard');
  test.setTimeout(360_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kf-e2e-100k-'));
  try {
    const file = await writeBundle(dir);
    const up = await request.post('/api/bundles/upload?name=events-100k.tar.gz', { data: fs.readFileSync(file), headers: { 'content-type': 'application/gzip' }, timeout: 240_000 });
    expect(up.ok(), await up.text()).toBe(true);
    const { id } = (await up.json()) as { id: string };

    const range = { from: String(T0), to: String(T0 + SPAN) };
    const tApi = Date.now();
    const api = (await (await request.get(`/api/clusters/${encodeURIComponent(id)}/events?${new URLSearchParams({ ...range, limit: String(N) })}`, { timeout: 120_000 })).json()) as { total: number; rows: Array<{ uid: string }> };
    expect(api.total).toBe(N);
    expect(api.rows).toHaveLength(N);
    console.log(`events API, 100k rows: ${Date.now() - tApi} ms`);

    const t0 = Date.now();
    await page.goto(`/clusters/${encodeURIComponent(id)}/events?${new URLSearchParams({ ...range, limit: String(N) })}`);
    await expect(page.getByTestId('events-count')).toContainText('100,000 events', { timeout: 120_000 });
    const scroller = page.getByTestId('events-scroller');
    await expect(page.getByTestId('event-row').first()).toHaveAttribute('data-uid', api.rows[0]!.uid);
    console.log(`100k events on screen in ${Date.now() - t0} ms`);
    // Virtualized: a screenful plus overscan, not 100,000 elements.
    const inDom = await page.getByTestId('event-row').count();
    expect(inDom).toBeGreaterThan(10);
    expect(inDom).toBeLessThan(120);

    // Scroll from the top to the bottom in 150 frames (a fling across two hours of events), then
    // with the mouse wheel; every frame's length is recorded.
    const fling = await scroller.evaluate(async (el) => {
      const frames: number[] = [];
      let last = performance.now();
      let on = true;
      const tick = (t: number) => { frames.push(t - last); last = t; if (on) requestAnimationFrame(tick); };
      requestAnimationFrame(tick);
      const max = el.scrollHeight - el.clientHeight;
      for (let i = 1; i <= 150; i++) {
        el.scrollTop = (max * i) / 150;
        await new Promise((r) => requestAnimationFrame(() => r(null)));
      }
      await new Promise((r) => setTimeout(r, 200));
      on = false;
      return { frames: frames.slice(1), rows: el.querySelectorAll('[data-testid="event-row"]').length, height: el.scrollHeight };
    });
    console.log(`fling: ${fling.frames.length} frames, p50 ${quantile(fling.frames, 0.5).toFixed(1)} ms, p95 ${quantile(fling.frames, 0.95).toFixed(1)} ms, max ${Math.max(...fling.frames).toFixed(1)} ms; ${fling.rows} rows in the DOM; ${fling.height} px tall`);
    expect(fling.height).toBeGreaterThan(N * 30);
    expect(fling.rows).toBeLessThan(120);
    // Every frame of the fling renders a new screenful (each step jumps ~670 rows): 95% of them
    // within four 60 Hz frames (15 fps), none near the 200 ms a frame took when every row appearing
    // re-derived the offsets of all rows after it (before the fix: p95 200 ms, max 383 ms).
    expect(quantile(fling.frames, 0.95)).toBeLessThan(67);
    expect(Math.max(...fling.frames)).toBeLessThan(200);
    // At the bottom: the oldest event.
    await expect(page.getByTestId('event-row').last()).toHaveAttribute('data-uid', api.rows[N - 1]!.uid);

    // The mouse wheel, as the browser generates it: a wheel gesture synthesized inside Chromium
    // (DevTools Input.synthesizeScrollGesture, source "mouse"), 30,000 px at 4,000 px/s, with
    // every frame timed. Wheel events sent one by one over the DevTools protocol stall headless
    // Chromium itself (a plain 5,000-div list measured p95 67 ms that way): they timed the harness.
    await scroller.evaluate((el) => { el.scrollTop = 0; el.scrollIntoView({ block: 'center' }); });
    const box = (await scroller.boundingBox())!;
    const vp = page.viewportSize()!;
    const cdp = await page.context().newCDPSession(page);
    const framesWhile = async (act: () => Promise<unknown>) => {
      await page.evaluate(() => {
        const w = window as unknown as { __frames: number[]; __on: boolean };
        w.__frames = []; w.__on = true;
        let last = performance.now();
        const tick = (t: number) => { w.__frames.push(t - last); last = t; if (w.__on) requestAnimationFrame(tick); };
        requestAnimationFrame(tick);
      });
      await act();
      return page.evaluate(() => { const w = window as unknown as { __frames: number[]; __on: boolean }; w.__on = false; return w.__frames.slice(1); });
    };
    const wheelFrames = await framesWhile(() => cdp.send('Input.synthesizeScrollGesture', {
      x: Math.round(box.x + box.width / 2), y: Math.round(Math.min(vp.height - 10, Math.max(10, box.y + box.height / 2))), yDistance: -30_000, speed: 4000, gestureSourceType: 'mouse', preventFling: true,
    }));
    const top = await scroller.evaluate((el) => el.scrollTop);
    const slow = wheelFrames.filter((f) => f > 34).length;
    console.log(`wheel: scrolled ${top} px; ${wheelFrames.length} frames, p50 ${quantile(wheelFrames, 0.5).toFixed(1)} ms, p95 ${quantile(wheelFrames, 0.95).toFixed(1)} ms, max ${Math.max(...wheelFrames).toFixed(1)} ms, ${slow} over 34 ms`);
    expect(top).toBeGreaterThan(20_000);
    // Headless Chromium composites in software. A plain 5,000-div list scrolls this way at 16.7 ms
    // frames; this table ran at 83 ms (12 fps) until its virtualizer kept one getItemKey (a new one
    // rebuilt the offsets of all 100k rows on every scroll event: 1.2 s of script in 8 s) and the
    // sticky bars lost their backdrop blur (recomputed every frame: ~33 ms). It now runs at 50 ms
    // (p50); the rest, between this page and a plain list, is not found yet. Half the frames within
    // four vsyncs keeps either cost from coming back.
    expect(quantile(wheelFrames, 0.5)).toBeLessThan(75);
    // The rows shown are the rows at that offset (about 36 px each), not blanks.
    const shown = await page.getByTestId('event-row').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-index'))));
    const expected = Math.floor(top / (fling.height / N));
    expect(shown.some((i) => Math.abs(i - expected) < 40)).toBe(true);
    await page.screenshot({ path: shot('events-100k.png'), animations: 'disabled' });

    // An admin (open mode's local user is one) removes the upload from the start page: a second
    // click confirms; the card and its 100k events are gone.
    await page.goto('/');
    const actions = page.getByTestId(`remove-bundle-${id}`);
    await actions.getByRole('button', { name: 'Remove…' }).click();
    await expect(actions).toContainText('Remove events-100k and all its data, for everyone?');
    await page.screenshot({ path: shot('remove-bundle.png'), animations: 'disabled' });
    const tRemove = Date.now();
    await actions.getByRole('button', { name: 'Remove', exact: true }).click();
    await expect(page.getByTestId(`cluster-card-${id}`)).toHaveCount(0, { timeout: 60_000 });
    console.log(`removed 100k events in ${Date.now() - tRemove} ms`);
    expect((await request.get(`/api/clusters/${encodeURIComponent(id)}/events`)).status()).toBe(404);
    // Configured bundles (the demo set) offer no removal.
    await expect(page.getByTestId('cluster-card-bundle-healthy-baseline')).toBeVisible();
    await expect(page.getByTestId('remove-bundle-bundle-healthy-baseline')).toHaveCount(0);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
