import 'server-only';
import http from 'node:http';
import https from 'node:https';
import { isAllowedPath, type AllowedPath } from './paths';
import { ClusterError } from './types';

/**
 * The one HTTP transport of cluster sources. It enforces what every upstream call must have:
 * GET only, on a path of the allow-list (`paths.ts`, checked at run time too), a timeout, a
 * response-size cap, an abort signal, and errors mapped to `ClusterError`.
 * Authentication comes from the caller as ready-made TLS/header options (client-node fills them).
 */
export interface TransportTarget {
  cluster: string;
  baseUrl: string;
  tls: https.RequestOptions;
  agent: http.Agent | https.Agent;
  userAgent: string;
}

export interface GetOptions {
  accept?: string;
  timeoutMs: number;
  maxBytes: number;
  signal?: AbortSignal;
}

export interface GetResult { status: number; body: Buffer; contentType: string }

function mapNetworkError(t: TransportTarget, path: string, e: unknown): ClusterError {
  const err = e as NodeJS.ErrnoException;
  if (err && err.name === 'ClusterError') return err as unknown as ClusterError;
  if (err?.name === 'AbortError') return new ClusterError(t.cluster, 'timeout', `GET ${path} aborted`, undefined, path);
  const code = err?.code ?? '';
  const msg = err?.message ?? String(e);
  return new ClusterError(t.cluster, 'unreachable', `GET ${path}: ${code ? `${code} ` : ''}${msg}`, undefined, path);
}

export function statusError(cluster: string, path: string, status: number, body: string): ClusterError {
  let message = body.slice(0, 300).trim();
  try {
    const s = JSON.parse(body) as { message?: string };
    if (s.message) message = s.message;
  } catch { /* not a Status object */ }
  const kind = status === 401 ? 'unauthorized' : status === 403 ? 'forbidden' : status === 404 ? 'not-found' : status === 410 ? 'gone' : 'http';
  return new ClusterError(cluster, kind, `GET ${path}: HTTP ${status}${message ? `: ${message}` : ''}`, status, path);
}

/** The only method the transport sends. */
export const METHOD = 'GET';

/**
 * The runtime half of "read-only toward clusters": throws unless `path` is one the allow-list
 * builders can produce. Nothing is sent for a refused path. The request options are built here
 * from the base URL and this path only, so neither TLS options nor headers can carry another
 * method, host or path.
 */
export function requestOptions(t: TransportTarget, path: AllowedPath | string, o: { accept?: string; signal?: AbortSignal }): https.RequestOptions {
  if (!isAllowedPath(path)) {
    throw new ClusterError(t.cluster, 'invalid', `refused: ${JSON.stringify(String(path)).slice(0, 120)} is not on the read-only allow-list`, undefined, String(path).slice(0, 200));
  }
  const base = new URL(t.baseUrl);
  const url = new URL(path, base);
  if (url.origin !== base.origin) throw new ClusterError(t.cluster, 'invalid', `refused: ${path} leaves ${base.origin}`, undefined, path);
  // Only TLS material and the credentials' headers are taken from the caller's options.
  const { ca, cert, key, pfx, passphrase, servername, rejectUnauthorized, checkServerIdentity, auth: basic, headers } = t.tls;
  const tls = Object.fromEntries(Object.entries({ ca, cert, key, pfx, passphrase, servername, rejectUnauthorized, checkServerIdentity, auth: basic }).filter(([, v]) => v !== undefined));
  const auth = Object.fromEntries(Object.entries(headers ?? {}).filter(([k]) => /^(authorization|impersonate-)/i.test(k)));
  return {
    ...tls,
    protocol: url.protocol,
    hostname: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port || (url.protocol === 'https:' ? 443 : 80),
    path: `${url.pathname}${url.search}`,
    method: METHOD,
    agent: t.agent,
    headers: { ...auth, accept: o.accept ?? 'application/json', 'user-agent': t.userAgent },
    signal: o.signal,
  };
}

/** Opens a GET request; resolves with the response once headers arrive (the body is the caller's). */
export function openGet(t: TransportTarget, path: AllowedPath, o: { accept?: string; timeoutMs: number; signal?: AbortSignal }): Promise<{ req: http.ClientRequest; res: http.IncomingMessage }> {
  return new Promise((resolve, reject) => {
    let options: https.RequestOptions;
    try { options = requestOptions(t, path, o); } catch (e) { reject(e); return; }
    const mod = options.protocol === 'https:' ? https : http;
    const req = mod.request(options, (res) => {
      // The socket timeout below guards the wait for headers only. Left armed, it would also kill a
      // quiet watch after `timeoutMs` of silence; bodies are bounded by the caller's own timers.
      req.setTimeout(0);
      resolve({ req, res });
    });
    // Headers must arrive within the timeout.
    req.setTimeout(o.timeoutMs, () => req.destroy(new ClusterError(t.cluster, 'timeout', `GET ${path}: no response within ${o.timeoutMs} ms`, undefined, path)));
    req.on('error', (e) => reject(mapNetworkError(t, path, e)));
    req.end();
  });
}

/** GET with the whole body buffered, capped at `maxBytes`, the whole exchange within `timeoutMs`. */
export async function get(t: TransportTarget, path: AllowedPath, o: GetOptions): Promise<GetResult> {
  const ac = new AbortController();
  const timer = setTimeout(() => ac.abort(), o.timeoutMs);
  const onAbort = () => ac.abort();
  o.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const { res } = await openGet(t, path, { accept: o.accept, timeoutMs: o.timeoutMs, signal: ac.signal });
    const chunks: Buffer[] = [];
    let size = 0;
    await new Promise<void>((resolve, reject) => {
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > o.maxBytes) {
          res.destroy();
          reject(new ClusterError(t.cluster, 'invalid', `GET ${path}: response larger than ${o.maxBytes} bytes`, res.statusCode, path));
          return;
        }
        chunks.push(c);
      });
      res.on('end', resolve);
      res.on('error', (e) => reject(mapNetworkError(t, path, e)));
      res.on('aborted', () => reject(new ClusterError(t.cluster, 'timeout', `GET ${path}: response cut off`, undefined, path)));
    });
    const body = Buffer.concat(chunks);
    const status = res.statusCode ?? 0;
    if (status >= 400) throw statusError(t.cluster, path, status, body.toString('utf8'));
    return { status, body, contentType: String(res.headers['content-type'] ?? '') };
  } catch (e) {
    if (ac.signal.aborted && !(o.signal?.aborted)) {
      throw new ClusterError(t.cluster, 'timeout', `GET ${path}: no complete response within ${o.timeoutMs} ms`, undefined, path);
    }
    throw mapNetworkError(t, path, e);
  } finally {
    clearTimeout(timer);
    o.signal?.removeEventListener('abort', onAbort);
  }
}
