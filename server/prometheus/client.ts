import 'server-only';
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { matrixResponseSchema, type PromMatrix } from '@/lib/prometheus/panels';
import type { PrometheusConfig } from '../config';

/**
 * The one client for a Prometheus-compatible HTTP API (Prometheus, Thanos Query, Mimir,
 * VictoriaMetrics): `/api/v1/query_range` only (GET; a query too long for a URL that proxies
 * accept is sent form-encoded by POST, which the API takes alike, read-only), with a timeout, a
 * bearer token read from its file on every request (projected service-account tokens rotate),
 * the configured CA or
 * `insecureSkipVerify`, and a cap on the answer's size so a runaway query cannot fill memory.
 * The URL's path is kept as a prefix (`https://host/prometheus` behind a reverse proxy).
 */
export const MAX_ANSWER_BYTES = 32 * 1024 * 1024;

export class PrometheusError extends Error {
  override readonly name = 'PrometheusError';
  constructor(message: string, readonly status?: number) { super(message); }
}

export interface RangeQuery { expr: string; start: number; end: number; step: number }

/** The base URL as pages and logs show it: without a user or password written into it. */
export function displayUrl(u: string): string {
  try {
    const url = new URL(u);
    url.username = '';
    url.password = '';
    return url.href.replace(/\/$/, '');
  } catch { return '(invalid URL)'; }
}

/** Longer URLs go by POST: nginx' default `large_client_header_buffers` is 8 KiB a line. */
export const MAX_GET_URL = 4000;

function requestOptions(cfg: PrometheusConfig): https.RequestOptions {
  const headers: Record<string, string> = { accept: 'application/json', 'user-agent': 'kube-forensics' };
  if (cfg.bearerTokenFile) {
    let token: string;
    try { token = fs.readFileSync(cfg.bearerTokenFile, 'utf8').trim(); } catch (e) { throw new PrometheusError(`cannot read bearerTokenFile: ${e instanceof Error ? e.message : String(e)}`); }
    headers.authorization = `Bearer ${token}`;
  }
  const o: https.RequestOptions = { method: 'GET', headers };
  if (cfg.caFile) o.ca = fs.readFileSync(cfg.caFile);
  if (cfg.insecureSkipVerify) o.rejectUnauthorized = false;
  return o;
}

/**
 * Asks `apiPath` under the base URL with `params` (in the URL, or as a form body when too long);
 * resolves with the body when 2xx, or rejects with Prometheus' own error text.
 */
function ask(cfg: PrometheusConfig, apiPath: string, params: URLSearchParams, signal?: AbortSignal): Promise<string> {
  const base = new URL(cfg.url);
  const url = new URL(base.pathname.replace(/\/$/, '') + apiPath, base);
  const form = params.toString();
  const post = url.href.length + 1 + form.length > MAX_GET_URL;
  if (!post) url.search = form;
  const timeoutMs = cfg.timeoutSeconds * 1000;
  return new Promise((resolve, reject) => {
    const mod = url.protocol === 'https:' ? https : http;
    const o = requestOptions(cfg);
    if (post) {
      o.method = 'POST';
      o.headers = { ...o.headers, 'content-type': 'application/x-www-form-urlencoded', 'content-length': String(Buffer.byteLength(form)) };
    }
    const req = mod.request(url, { ...o, timeout: timeoutMs, signal }, (res) => {
      const chunks: Buffer[] = [];
      let n = 0;
      res.on('data', (c: Buffer) => {
        n += c.length;
        if (n > MAX_ANSWER_BYTES) { req.destroy(new PrometheusError(`answer larger than ${MAX_ANSWER_BYTES} bytes: narrow the range`)); return; }
        chunks.push(c);
      });
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const status = res.statusCode ?? 0;
        if (status >= 200 && status < 300) { resolve(body); return; }
        // Prometheus answers errors as {"status":"error","errorType":…,"error":…}.
        let why = body.slice(0, 300);
        try { const j = JSON.parse(body) as { error?: string }; if (j.error) why = j.error; } catch { /* plain text */ }
        reject(new PrometheusError(`HTTP ${status}: ${why}`, status));
      });
      res.on('error', reject);
    });
    // Whole-request deadline (the socket timeout alone resets on every byte).
    const deadline = setTimeout(() => req.destroy(new PrometheusError(`no answer within ${cfg.timeoutSeconds} s`)), timeoutMs);
    req.on('close', () => clearTimeout(deadline));
    req.on('timeout', () => req.destroy(new PrometheusError(`no answer within ${cfg.timeoutSeconds} s`)));
    req.on('error', (e) => reject(e instanceof PrometheusError ? e : new PrometheusError(e.message)));
    req.end(post ? form : undefined);
  });
}

export async function queryRange(cfg: PrometheusConfig, q: RangeQuery, signal?: AbortSignal): Promise<PromMatrix> {
  const params = new URLSearchParams({ query: q.expr, start: (q.start / 1000).toFixed(3), end: (q.end / 1000).toFixed(3), step: `${q.step}s` });
  const body = await ask(cfg, '/api/v1/query_range', params, signal);
  let json: unknown;
  try { json = JSON.parse(body); } catch { throw new PrometheusError('answer is not JSON (is the URL a Prometheus API?)'); }
  const r = matrixResponseSchema.safeParse(json);
  if (!r.success) throw new PrometheusError(`unexpected answer: ${r.error.issues[0]?.path.join('.') ?? ''} ${r.error.issues[0]?.message ?? ''}`.trim());
  return r.data.data.result;
}

/** Runs `fn` over `items` with at most `limit` in flight (a timeline is ~20 queries; be gentle). */
export async function pool<T, R>(items: T[], limit: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) { const i = next++; out[i] = await fn(items[i]!); }
  }));
  return out;
}
