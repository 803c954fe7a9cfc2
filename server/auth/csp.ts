// The Content Security Policy. Pages get a fresh nonce per request (proxy.ts): Next.js reads it from
// the request's CSP header and puts it on its own inline and bundle scripts, so no script runs
// without it ('strict-dynamic' lets those scripts load the chunks they import). Styles: <style> and
// <link> need the nonce or 'self'; `style` *attributes* (React's style prop: chart sizes, meters)
// cannot carry a nonce, so style-src-attr stays 'unsafe-inline' — attributes cannot run script.
export function pageCsp(nonce: string, dev = process.env.NODE_ENV === 'development'): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ''}`,
    `style-src 'self' 'nonce-${nonce}'`,
    "style-src-attr 'unsafe-inline'",
    "img-src 'self' blob: data:",
    "font-src 'self'",
    `connect-src 'self'${dev ? ' ws: wss:' : ''}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    // Never framed, kiosk/TV screens included: they open the page itself (clickjacking otherwise).
    "frame-ancestors 'none'",
  ].join('; ');
}

/** API answers are data, never documents: nothing may run or be framed. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

export function newNonce(): string {
  return Buffer.from(crypto.getRandomValues(new Uint8Array(18))).toString('base64');
}

/** Headers on every answer (next.config.ts), static files included. */
export const STATIC_SECURITY_HEADERS: Array<{ key: string; value: string }> = [
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'Referrer-Policy', value: 'same-origin' },
  { key: 'X-Frame-Options', value: 'DENY' },
  { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
  { key: 'Cross-Origin-Resource-Policy', value: 'same-origin' },
  { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(), payment=(), usb=()' },
];
