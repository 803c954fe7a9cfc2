// The war room's live feed: 50 screens on one incident, each a real SSE connection over HTTP to a
// node:http server that serves the same hub and SSE response as app/api/incidents/[incident]/stream
// (server/incidents/hub.ts) over a real SQLite store. Annotations are POSTed over HTTP one after
// another; each screen notes when the frame arrives. Reported: delivery latency from the POST being
// sent to each screen's receipt (p50, p99, max), and the cluster calls made (none: the hub has no
// cluster to call). Clients and server share one process (and its event loop): an upper bound.
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { IncidentHub, sseResponse } from '../../../server/incidents/hub';
import { IncidentStore } from '../../../server/incidents/store';
import { Store } from '../../../server/store/store';
import type { BenchResult } from '../types';

const SCREENS = Number(process.env.KF_BENCH_SCREENS ?? 50);
const NOTES = Number(process.env.KF_BENCH_NOTES ?? 200);

function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))] ?? NaN;
}

export default async function annotationFanout(): Promise<BenchResult[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kf-bench-fanout-'));
  const store = Store.open(dir);
  let hub: IncidentHub | null = null;
  const incidents = new IncidentStore(store.db, (id, c) => hub?.publish(id, c));
  hub = new IncidentHub({ changesSince: (id, seq) => incidents.changesSince(id, seq) });
  const inc = incidents.create({ title: 'bench', severity: 'sev2', clusters: ['c1'], from: Date.now(), by: 'bench', t: Date.now() });

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (req.method === 'GET' && url.pathname === '/stream') {
      const ac = new AbortController();
      req.on('close', () => ac.abort());
      const r = sseResponse(hub!, inc.id, Number(url.searchParams.get('since') ?? 0), ac.signal);
      res.writeHead(200, Object.fromEntries(r.headers));
      Readable.fromWeb(r.body as unknown as WebReadableStream<Uint8Array>).pipe(res);
      return;
    }
    let body = '';
    req.on('data', (c: Buffer) => { body += c.toString(); });
    req.on('end', () => {
      const b = JSON.parse(body) as { text: string };
      const a = incidents.addAnnotation({ incidentId: inc.id, cluster: 'c1', from: Date.now(), to: null, kind: 'observation', text: b.text, author: 'bench', createdAt: Date.now() });
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(a));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  const agent = new http.Agent({ keepAlive: true, maxSockets: SCREENS + 8 });

  const latencies: number[] = [];
  const received = new Map<number, number>();
  const clients: http.ClientRequest[] = [];
  await Promise.all(Array.from({ length: SCREENS }, () => new Promise<void>((ready) => {
    const req = http.get({ host: '127.0.0.1', port, path: `/stream?since=${incidents.seq(inc.id)}`, agent, headers: { accept: 'text/event-stream' } }, (res) => {
      let buf = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        if (buf === '' && chunk.startsWith('retry:')) ready();
        buf += chunk;
        let i: number;
        while ((i = buf.indexOf('\n\n')) >= 0) {
          const frame = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const data = frame.split('\n').find((l) => l.startsWith('data: '));
          if (!data) continue;
          const c = JSON.parse(data.slice(6)) as { type: string; annotation?: { text: string } };
          if (c.type !== 'annotation') continue;
          const sent = Number(c.annotation!.text);
          latencies.push(performance.now() - sent);
          received.set(sent, (received.get(sent) ?? 0) + 1);
        }
      });
    });
    clients.push(req);
  })));

  const t0 = performance.now();
  for (let n = 0; n < NOTES; n++) {
    const sent = performance.now();
    await new Promise<void>((done) => {
      const req = http.request({ host: '127.0.0.1', port, path: '/annotate', method: 'POST', agent, headers: { 'content-type': 'application/json' } }, (res) => { res.resume(); res.on('end', done); });
      req.end(JSON.stringify({ text: String(sent) }));
    });
    // Wait until every screen has it (or 2 s, the war room's promise) before the next one.
    const deadline = performance.now() + 2_000;
    while ((received.get(sent) ?? 0) < SCREENS && performance.now() < deadline) await new Promise((r) => setImmediate(r));
  }
  const wall = performance.now() - t0;
  for (const c of clients) c.destroy();
  agent.destroy();
  await new Promise((r) => server.close(r));
  hub.close();
  store.close();
  fs.rmSync(dir, { recursive: true, force: true });

  const expected = SCREENS * NOTES;
  const note = `${SCREENS} SSE screens × ${NOTES} annotations over HTTP; ${latencies.length}/${expected} deliveries; 0 cluster calls`;
  return [
    { metric: `annotation delivery p50 (${SCREENS} screens)`, value: quantile(latencies, 0.5), unit: 'ms', note },
    { metric: `annotation delivery p99 (${SCREENS} screens)`, value: quantile(latencies, 0.99), unit: 'ms' },
    { metric: `annotation delivery max (${SCREENS} screens)`, value: Math.max(...latencies), unit: 'ms' },
    { metric: 'deliveries per second', value: latencies.length / (wall / 1000), unit: '/s' },
    { metric: 'deliveries missing', value: expected - latencies.length, unit: '' },
  ];
}
