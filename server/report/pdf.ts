import 'server-only';
// Prints a postmortem to PDF with Chromium (playwright-core): A4, backgrounds, a footer with the
// incident title and "N / M" page numbers.
//
// Auth: the document is handed to Chromium with page.setContent, not fetched from our own URL. The
// HTML is the pure print render of the draft the route already authorised (lib/postmortem/html),
// so the browser never calls back into the server: there is no token to mint and no internal
// route to protect, hence no unauthenticated hole. JavaScript is off and every network request is
// refused, so nothing in the document (user-written text included, all escaped anyway) can reach
// the network or the server.
//
// One browser is shared and closed after a minute idle; at most MAX_PAGES documents print at once
// (the rest wait their turn), identical requests share one render (single-flight), and a render
// that takes longer than RENDER_TIMEOUT_MS fails with 504.
import fs from 'node:fs';
import type { Browser } from 'playwright-core';
import { HttpError } from '../api/http-error';

/** Where Chromium is: KF_CHROMIUM, else the Debian package's path. */
export function chromiumPath(): string { return process.env.KF_CHROMIUM || '/usr/bin/chromium'; }
export const RENDER_TIMEOUT_MS = 60_000;
const MAX_PAGES = 2;
const IDLE_CLOSE_MS = 60_000;

let browser: Promise<Browser> | null = null;
let idleTimer: NodeJS.Timeout | null = null;
let active = 0;
const waiting: Array<() => void> = [];
const inFlight = new Map<string, Promise<Buffer>>();

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function chromiumAvailable(path = chromiumPath()): boolean {
  try { fs.accessSync(path, fs.constants.X_OK); return true; } catch { return false; }
}

async function getBrowser(): Promise<Browser> {
  const exe = chromiumPath();
  if (!chromiumAvailable(exe)) throw new HttpError(503, `PDF export needs Chromium at ${exe} (set KF_CHROMIUM to its path); the Markdown export works without it`);
  if (!browser) {
    const { chromium } = await import('playwright-core');
    const b = chromium.launch({ executablePath: exe, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
    browser = b;
    b.then((x) => x.on('disconnected', () => { if (browser === b) browser = null; }), () => { if (browser === b) browser = null; });
  }
  return browser;
}

async function slot(): Promise<() => void> {
  if (active >= MAX_PAGES) await new Promise<void>((r) => waiting.push(r));
  active++;
  if (idleTimer) { clearTimeout(idleTimer); idleTimer = null; }
  return () => {
    active--;
    waiting.shift()?.();
    if (active === 0 && !waiting.length) {
      idleTimer = setTimeout(() => { void closeBrowser(); }, IDLE_CLOSE_MS);
      idleTimer.unref();
    }
  };
}

export async function closeBrowser(): Promise<void> {
  const b = browser;
  browser = null;
  if (b) await (await b.catch(() => null))?.close().catch(() => undefined);
}

export function footerTemplate(title: string): string {
  // Header and footer templates render in their own context at 0 px default font size: sizes are explicit.
  return `<div style="font-family: Helvetica, Arial, sans-serif; font-size: 9px; color: #6b7280; width: 100%; padding: 0 16mm; display: flex; justify-content: space-between;">`
    + `<span>Postmortem: ${escapeHtml(title.length > 90 ? `${title.slice(0, 89)}…` : title)}</span>`
    + '<span><span class="pageNumber"></span> / <span class="totalPages"></span></span></div>';
}

async function print(html: string, title: string): Promise<Buffer> {
  const release = await slot();
  let timer: NodeJS.Timeout | undefined;
  try {
    const b = await getBrowser();
    const context = await b.newContext({ javaScriptEnabled: false, offline: true });
    try {
      const page = await context.newPage();
      await page.route('**/*', (route) => route.abort());
      const work = (async () => {
        await page.setContent(html, { waitUntil: 'load', timeout: RENDER_TIMEOUT_MS });
        return page.pdf({
          format: 'A4', printBackground: true, displayHeaderFooter: true,
          headerTemplate: '<span></span>', footerTemplate: footerTemplate(title),
          margin: { top: '16mm', bottom: '18mm', left: '16mm', right: '16mm' },
        });
      })();
      const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new HttpError(504, `the PDF took longer than ${RENDER_TIMEOUT_MS / 1000} s to render`)), RENDER_TIMEOUT_MS); });
      return await Promise.race([work, timeout]);
    } finally {
      await context.close().catch(() => undefined);
    }
  } finally {
    if (timer) clearTimeout(timer);
    release();
  }
}

/** The document printed to PDF; `key` identifies identical requests (they share one render). */
export function renderPdf(html: string, title: string, key: string): Promise<Buffer> {
  const hit = inFlight.get(key);
  if (hit) return hit;
  const p = print(html, title).finally(() => inFlight.delete(key));
  inFlight.set(key, p);
  return p;
}
