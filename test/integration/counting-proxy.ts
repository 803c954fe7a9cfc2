// A TLS-terminating proxy in front of the test apiserver that records every request it receives:
// the exact count of what reaches "the endpoint" (method, path, user agent, time), and of the TCP
// connections opened to it. It serves the apiserver's own certificate (valid for 127.0.0.1),
// requires a client certificate from the test CA (the dashboard's kubeconfig), and forwards as the
// read-only viewer identity, so the apiserver's RBAC and audit log see the dashboard's user.
import fs from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { SharedControlPlane } from './env';

export interface ProxiedRequest { t: number; method: string; url: string; userAgent: string }

export interface CountingProxy {
  url: string;
  requests: ProxiedRequest[];
  /** TCP connections accepted, by time. */
  connections: number[];
  /** Requests (and connections) received in [from, to). */
  between(from: number, to: number): { requests: ProxiedRequest[]; connections: number };
  close(): Promise<void>;
}

export async function startCountingProxy(cp: SharedControlPlane): Promise<CountingProxy> {
  const upstream = new URL(cp.apiserverUrl);
  const read = (f: string) => fs.readFileSync(f);
  const requests: ProxiedRequest[] = [];
  const connections: number[] = [];
  const agent = new https.Agent({ keepAlive: false, ca: read(cp.certs.caCert), cert: read(cp.certs.viewerCert), key: read(cp.certs.viewerKey) });
  const server = https.createServer({
    cert: read(cp.certs.apiserverCert), key: read(cp.certs.apiserverKey), ca: read(cp.certs.caCert), requestCert: true, rejectUnauthorized: true,
  }, (req, res) => {
    requests.push({ t: Date.now(), method: req.method ?? '', url: req.url ?? '', userAgent: String(req.headers['user-agent'] ?? '') });
    const headers = { ...req.headers, host: upstream.host };
    const up = https.request({ hostname: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers, agent }, (ur) => {
      res.writeHead(ur.statusCode ?? 502, ur.headers);
      ur.pipe(res);
    });
    up.on('error', () => res.destroy());
    // The client gave up (its timeout): drop the upstream request too, as a direct connection would.
    res.on('close', () => { if (!res.writableFinished) up.destroy(); });
    req.pipe(up);
  });
  server.on('connection', () => { connections.push(Date.now()); });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `https://127.0.0.1:${port}`,
    requests,
    connections,
    between: (from, to) => ({
      requests: requests.filter((r) => r.t >= from && r.t < to),
      connections: connections.filter((t) => t >= from && t < to).length,
    }),
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
      agent.destroy();
    }),
  };
}
