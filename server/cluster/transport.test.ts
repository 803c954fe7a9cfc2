// The runtime half of "read-only toward clusters": the transport sends GET only, on allow-listed
// paths only, whatever a caller casts or slips into the TLS options.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAllowedPath, paths, type AllowedPath } from './paths';
import { get, openGet, type TransportTarget } from './transport';
import { isClusterError } from './types';

const seen: Array<{ method: string; url: string; headers: http.IncomingHttpHeaders }> = [];
let connections = 0;
let server: http.Server;
let target: TransportTarget;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers });
    res.setHeader('content-type', 'application/json');
    res.end('{}');
  });
  server.on('connection', () => { connections++; });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  target = {
    cluster: 'c', baseUrl: `http://127.0.0.1:${port}`, agent: new http.Agent({ keepAlive: false }), userAgent: 'kube-forensics/test',
    // What a hostile or buggy credential plugin could leave in the options: none of it may reach the wire.
    tls: { method: 'DELETE', path: '/api/v1/namespaces/default', host: 'evil.example', headers: { authorization: 'Bearer t0k', 'x-http-method-override': 'DELETE', 'content-type': 'application/merge-patch+json' } } as never,
  };
});
afterAll(async () => { await new Promise((r) => server.close(r)); });

/** Every builder, with arguments of every shape it accepts. */
const built: AllowedPath[] = [
  paths.version(), paths.metrics(), paths.readyz(), paths.livez(), paths.goroutines(1), paths.goroutines(2), paths.heap(),
  paths.coreDiscovery(), paths.groupsDiscovery(), paths.groupVersionDiscovery('apps', 'v1'), paths.groupVersionDiscovery('flowcontrol.apiserver.k8s.io', 'v1beta1'),
  paths.censusList('', 'v1', 'pods'), paths.censusList('apiextensions.k8s.io', 'v1', 'customresourcedefinitions'),
  paths.events('core/v1', { limit: 500 }), paths.events('events.k8s.io/v1', { limit: 500, continue: 'eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6MTIzfQ==' }),
  paths.watchEvents('core/v1', '12345', 300), paths.watchEvents('events.k8s.io/v1', 'not-a-number', 300),
  paths.kubernetesEndpoints(), paths.nodes({ limit: 500 }), paths.nodes({ limit: 500, continue: 'a+b/c=' }), paths.nodeLeases({ limit: 500, continue: 'x' }), paths.podsOnNode('kf-node-3.example', { limit: 500 }), paths.podsOnNode('n', { limit: 500, continue: 'a+b' }),
];

const hostile = [
  '/api/v1/secrets', '/api/v1/namespaces/kube-system/secrets/token', '/api/v1/pods?limit=1&watch=1', '/api/v1/pods',
  '/api/v1/namespaces/default/pods/p/exec?command=sh', '/api/v1/nodes/n/proxy/metrics', '/api/v1/namespaces/default/services/s:80/proxy/',
  '/apis/apps/v1/namespaces/default/deployments/d/scale', '/metrics/../api/v1/secrets', '/apis/../api/v1/secrets?limit=1',
  '//evil.example/metrics', 'http://evil.example/metrics', 'https://127.0.0.1:6443/metrics', '/metrics#x', '/metrics?x=1',
  '/readyz', '/debug/pprof/profile?seconds=30', '/debug/pprof/goroutine?debug=3', '/api/v1/nodes?limit=500&fieldSelector=x', '/api/v1/pods?fieldSelector=spec.nodeName%3Dn', '/api/v1/pods?fieldSelector=spec.nodeName%3Dn,status.phase%3DRunning&limit=5', '/api/v1/pods?limit=500',
  '/api/v1/events?limit=0', '/api/v1/events?limit=10&continue=a&b=c', '/version\n', ' /version', '', '/API/V1',
];

describe('the read-only allow-list', () => {
  it('accepts every path the builders produce', () => {
    for (const p of built) expect(isAllowedPath(p), p).toBe(true);
  });

  it('refuses paths no builder produces', () => {
    for (const p of hostile) expect(isAllowedPath(p), p).toBe(false);
  });

  it('builders refuse names that would leave their path segment', () => {
    expect(() => paths.censusList('', 'v1', 'pods/exec')).toThrow(/refused/);
    expect(() => paths.groupVersionDiscovery('../api', 'v1')).toThrow(/refused/);
    expect(() => paths.censusList('apps', 'v1?watch=1', 'deployments')).toThrow(/refused/);
    expect(() => paths.podsOnNode('n&fieldSelector=x', { limit: 5 })).toThrow(/refused/);
    expect(() => paths.podsOnNode('N1', { limit: 5 })).toThrow(/refused/);
  });
});

describe('the transport', () => {
  it('sends a GET on the exact path, with only the credentials header of the caller\'s options', async () => {
    seen.length = 0;
    const r = await get(target, paths.metrics(), { timeoutMs: 2000, maxBytes: 1024 });
    expect(r.status).toBe(200);
    expect(seen).toHaveLength(1);
    expect(seen[0]!.method).toBe('GET');
    expect(seen[0]!.url).toBe('/metrics');
    expect(seen[0]!.headers.authorization).toBe('Bearer t0k');
    expect(seen[0]!.headers['user-agent']).toBe('kube-forensics/test');
    expect(seen[0]!.headers['x-http-method-override']).toBeUndefined();
    expect(seen[0]!.headers['content-type']).toBeUndefined();
    expect(seen[0]!.headers.host).toBe(new URL(target.baseUrl).host);
  });

  it('refuses a path off the allow-list before connecting, even when cast to AllowedPath', async () => {
    seen.length = 0;
    const before = connections;
    for (const p of hostile) {
      const e = await get(target, p as AllowedPath, { timeoutMs: 2000, maxBytes: 1024 }).then(() => null, (x: unknown) => x);
      expect(isClusterError(e) && e.kind === 'invalid' && /allow-list/.test(e.message), `${JSON.stringify(p)}: ${String(e)}`).toBe(true);
      const o = await openGet(target, p as AllowedPath, { timeoutMs: 2000 }).then(() => null, (x: unknown) => x);
      expect(isClusterError(o) && o.kind === 'invalid', JSON.stringify(p)).toBe(true);
    }
    expect(connections).toBe(before);
    expect(seen).toEqual([]);
  });
});
