import type { Page } from '@playwright/test';

/**
 * Adds a style rule under the app's real CSP (no bypassCSP): the <style> carries the page's nonce,
 * read from one of Next's scripts, as the app's own inline styles do.
 */
export async function addStyleWithNonce(page: Page, css: string): Promise<void> {
  await page.evaluate((content) => {
    const nonce = (document.querySelector('script[nonce]') as HTMLScriptElement | null)?.nonce ?? '';
    const s = document.createElement('style');
    if (nonce) s.nonce = nonce;
    s.textContent = content;
    document.head.appendChild(s);
  }, css);
}
