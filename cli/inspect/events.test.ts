import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { MASKED_MESSAGE } from '../../lib/events/redact';
import { memoryIO } from '../io';
import { main } from '../main';
import { run } from './events';

const dir = path.resolve(__dirname, '../../testdata/events/v1.20.2');
const CORE = path.join(dir, 'core-v1-list.json');
const V1 = path.join(dir, 'events-k8s-io-v1-list.json');
const items = (f: string) => (JSON.parse(readFileSync(f, 'utf8')) as { items: unknown[] }).items;
const tmp = mkdtempSync(path.join(tmpdir(), 'kf-events-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('inspect events', () => {
  it('summarises a real `kubectl get events -o json` list: counts, objects, first/last, latest, Secrets masked', async () => {
    const io = memoryIO();
    expect(await run([CORE], io)).toBe(0);
    expect(io.err).toBe('');
    const n = items(CORE).length;
    expect(io.out).toContain(`core-v1-list.json: ${n} events (core/v1 ${n}); 0 duplicates merged by uid`);
    expect(io.out).toMatch(/^first \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC · last .* UTC \(/m);
    expect(io.out).toMatch(/by type: Warning \d+ \(\d+ occurrences\) · Normal \d+/);
    expect(io.out).toMatch(/^\s+\d+\s+\d+\s+Warning\s+FailedScheduling$/m);
    expect(io.out).toContain('storms: none');
    expect(io.out).toMatch(/Pod\/shop\/batch-0\s+\[FailedScheduling\]/);
    expect(io.out).toContain('Secret/shop/db-creds');
    expect(io.out).not.toContain('not-a-real-password');
    expect(io.out).toContain(MASKED_MESSAGE);
    // Newest last.
    const latest = io.out.slice(io.out.indexOf('latest')).split('\n').slice(1).filter(Boolean).map((l) => l.trim().slice(0, 23));
    expect([...latest].sort()).toEqual(latest);
  });

  it('merges both APIs\' copies of the same events (JSON lines, gzipped) by uid', async () => {
    const lines = [...items(CORE), ...items(V1)].map((e) => JSON.stringify(e)).join('\n');
    const gz = path.join(tmp, 'both.jsonl.gz');
    writeFileSync(gz, zlib.gzipSync(lines));
    const io = memoryIO();
    expect(await run([gz, '--json'], io)).toBe(0);
    const out = JSON.parse(io.out) as { total: number; duplicates: number; events: Array<{ uid: string; message: string; object: { kind: string } }>; byReason: Array<{ reason: string; events: number }> };
    expect(out.total).toBe(items(CORE).length);
    expect(out.duplicates).toBe(items(V1).length);
    expect(new Set(out.events.map((e) => e.uid)).size).toBe(out.total);
    expect(out.events.find((e) => e.object.kind === 'Secret')!.message).toBe(MASKED_MESSAGE);
    expect(io.out).not.toContain('not-a-real-password');
    expect(out.byReason[0]!.reason).toBe('FailedScheduling');
  });

  it('detects a storm in a list (NodeNotReady on many pods within minutes)', async () => {
    const t0 = Date.parse('2026-11-23T03:00:00Z');
    const list = { kind: 'EventList', apiVersion: 'v1', items: Array.from({ length: 8 }, (_, i) => ({
      metadata: { uid: `u${i}`, namespace: 'shop', name: `p${i}.1` }, involvedObject: { kind: 'Pod', namespace: 'shop', name: `p${i}` },
      reason: 'NodeNotReady', message: 'Node is not ready', type: 'Warning', source: { component: 'node-controller' },
      firstTimestamp: new Date(t0 + i * 20_000).toISOString(), lastTimestamp: new Date(t0 + i * 20_000).toISOString(), count: 1,
    })) };
    const f = path.join(tmp, 'storm.json');
    writeFileSync(f, JSON.stringify(list));
    const io = memoryIO();
    expect(await run([f], io)).toBe(0);
    expect(io.out).toMatch(/\[critical\] Nodes going NotReady: 8 objects, 8 NodeNotReady events, 2026-11-23 03:00:00 UTC–03:03 \(peak 8; threshold 5 or more objects in 5 minutes\)/);
    expect(io.out).toContain('next: ');
  });

  it('is wired into the command, and says clearly what it cannot read', async () => {
    const io = memoryIO();
    expect(await main(['inspect', 'events', CORE, '--top', '2', '--latest', '0'], io)).toBe(0);
    expect(io.out).not.toContain('latest');
    const bad = path.join(tmp, 'bad.txt');
    writeFileSync(bad, '{"kind":"EventList"}\nnot json\n');
    const e = memoryIO();
    expect(await run([bad], e)).toBe(1);
    expect(e.err).toContain('bad.txt: line 2: not JSON');
    const u = memoryIO();
    expect(await run([], u)).toBe(2);
    expect(u.err).toContain('usage: kube-forensics inspect events FILE');
    const help = memoryIO();
    await main(['--help'], help);
    expect(help.out).toContain('inspect events FILE');
  });
});
