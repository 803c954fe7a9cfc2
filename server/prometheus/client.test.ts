import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { displayUrl, MAX_GET_URL, queryRange } from './client';

// A stand-in Prometheus that records how it was asked and answers an empty matrix.
const seen: Array<{ method: string; url: string; type?: string; body: string; auth?: string }> = [];
let base = '';
const server = http.createServer((req, res) => {
  let body = '';
  req.on('data', (c: Buffer) => { body += c.toString(); });
  req.on('end', () => {
    seen.push({ method: req.method!, url: req.url!, type: req.headers['content-type'], body, auth: req.headers.authorization });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: 'success', data: { resultType: 'matrix', result: [] } }));
  });
});
beforeAll(async () => { await new Promise<void>((r) => server.listen(0, '127.0.0.1', r)); base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`; });
afterAll(() => server.close());

const cfg = (url: string) => ({ url, insecureSkipVerify: false, scrapeIntervalSeconds: 30, timeoutSeconds: 5, labels: { apiserver: '{job="apiserver"}', etcd: '{job="etcd"}' }, recorder: 'fill' as const, backfillMinutes: 60 });

describe('queryRange', () => {
  it('asks by GET under the URL\'s path prefix, and by a form POST when the query is too long for a URL', async () => {
    await queryRange(cfg(`${base}/prom/`), { expr: 'up', start: 1_000_000, end: 1_030_000, step: 30 });
    expect(seen.at(-1)).toMatchObject({ method: 'GET', body: '' });
    expect(seen.at(-1)!.url).toBe('/prom/api/v1/query_range?query=up&start=1000.000&end=1030.000&step=30s');
    const long = `sum(${'up or '.repeat(MAX_GET_URL / 5)}up)`;
    await queryRange(cfg(`${base}/prom`), { expr: long, start: 1_000_000, end: 1_030_000, step: 30 });
    const post = seen.at(-1)!;
    expect(post).toMatchObject({ method: 'POST', url: '/prom/api/v1/query_range', type: 'application/x-www-form-urlencoded' });
    expect(new URLSearchParams(post.body).get('query')).toBe(long);
    expect(new URLSearchParams(post.body).get('step')).toBe('30s');
  });

  it('sends a user and password written into the URL as basic auth, and never shows them', async () => {
    const withUser = base.replace('http://', 'http://kf:s3cret@');
    await queryRange(cfg(withUser), { expr: 'up', start: 0, end: 30_000, step: 30 });
    expect(seen.at(-1)!.auth).toBe(`Basic ${Buffer.from('kf:s3cret').toString('base64')}`);
    expect(displayUrl(withUser)).toBe(base);
    expect(displayUrl(`${withUser}/prometheus/`)).toBe(`${base}/prometheus`);
  });
});
