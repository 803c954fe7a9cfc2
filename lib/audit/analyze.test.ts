import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { AuditAnalyzer } from './analyze';
import { AuditLineReader } from './lines';
import { CappedCounter } from './topk';
import { LatencySketch } from './sketch';

const raw = gunzipSync(readFileSync(path.resolve(__dirname, '../../testdata/audit/v1.20.2/catchall-requestresponse.jsonl.gz')));
const lines = raw.toString('utf8').split('\n').filter(Boolean);
const parsed = lines.map((l) => JSON.parse(l) as Record<string, any>); // eslint-disable-line @typescript-eslint/no-explicit-any

function analyze(opts = {}) {
  const a = new AuditAnalyzer(opts);
  const r = new AuditLineReader((e, b, l) => a.add(e, b, l));
  r.write(raw);
  r.end();
  return a.summary();
}

describe('AuditAnalyzer on the real log', () => {
  const s = analyze({ touches: { resource: 'secrets', namespace: 'audit-demo', name: 'db-credentials' } });

  it('counts events, bytes, requests and stages like a direct count of the file', () => {
    expect(s.events).toBe(lines.length);
    expect(s.bytes).toBe(raw.length);
    expect(s.requests).toBe(parsed.filter((e) => e.stage === 'ResponseComplete' || e.stage === 'Panic').length);
    expect(s.stages.RequestReceived.count).toBe(parsed.filter((e) => e.stage === 'RequestReceived').length);
    expect(s.stages.ResponseStarted.count).toBeGreaterThan(0); // the watch
    expect(s.perHour.reduce((n, h) => n + h.events, 0)).toBe(lines.length);
    expect(s.perHour.reduce((n, h) => n + h.bytes, 0)).toBe(raw.length);
  });

  it('top user agents and users match an independent count, by count and by bytes', () => {
    const count = new Map<string, number>();
    const bytes = new Map<string, number>();
    lines.forEach((l, i) => {
      const ua = (parsed[i]!.userAgent as string | undefined) || '(none)';
      count.set(ua, (count.get(ua) ?? 0) + 1);
      bytes.set(ua, (bytes.get(ua) ?? 0) + Buffer.byteLength(l) + 1);
    });
    const byCount = [...count].sort((a, b) => b[1] - a[1]);
    const byBytes = [...bytes].sort((a, b) => b[1] - a[1]);
    expect(s.byUserAgent.byCount.entries[0]).toMatchObject({ key: byCount[0]![0], count: byCount[0]![1] });
    expect(s.byUserAgent.byBytes.entries[0]).toMatchObject({ key: byBytes[0]![0], bytes: byBytes[0]![1] });
    // The configmap flood makes kubectl the largest by bytes while the apiserver is the busiest.
    expect(s.byUserAgent.byBytes.entries[0]!.key).toMatch(/^kubectl\//);
    const total = s.byUserAgent.byCount.entries.reduce((n, e) => n + e.count, 0) + s.byUserAgent.byCount.other.count;
    expect(total).toBe(lines.length);
    expect(s.byUser.byCount.entries.find((e) => e.key === 'kube-forensics')).toBeDefined();
  });

  it('resources carry group and subresource; namespaces and verbs are counted', () => {
    const keys = s.byResource.byCount.entries.map((e) => e.key);
    expect(keys).toContain('core/configmaps');
    expect(keys).toContain('rbac.authorization.k8s.io/clusterroles');
    expect(s.byResource.byBytes.entries[0]!.key).toBe('core/configmaps');
    expect(s.byNamespace.byBytes.entries[0]!.key).toBe('audit-demo');
    expect(s.byVerb.byCount.entries.map((e) => e.key)).toEqual(expect.arrayContaining(['get', 'list', 'create', 'patch', 'delete', 'watch']));
  });

  it('errors: codes, messages from the Status body, per-minute buckets', () => {
    const codes = Object.fromEntries(s.errorsByCode.map((e) => [e.code, e.count]));
    const direct = (c: number) => parsed.filter((e) => e.stage === 'ResponseComplete' && e.responseStatus?.code === c).length;
    expect(codes[500]).toBe(direct(500));
    expect(codes[403]).toBe(direct(403));
    expect(codes[404]).toBe(direct(404));
    expect(s.errors.find((e) => e.code === 500)).toMatchObject({ message: 'etcdserver: mvcc: database space exceeded', count: direct(500) });
    expect(s.errors.find((e) => e.code === 403)!.message).toContain('forbidden');
    expect(s.errors.find((e) => e.code === 409)!.message).toContain('already exists');
    const perMinute = s.errorsPerMinute.reduce((n, m) => n + Object.values(m.codes).reduce((a, b) => a + b, 0), 0);
    expect(perMinute).toBe(s.errorsByCode.reduce((n, e) => n + e.count, 0));
  });

  it('latency from ResponseComplete: the watch is the slowest verb', () => {
    const watch = s.latency.byVerb.find((v) => v.key === 'watch')!;
    expect(watch.p50).toBeGreaterThan(900_000);
    const get = s.latency.byVerb.find((v) => v.key === 'get')!;
    expect(get.p50).toBeLessThan(watch.p50);
    expect(s.latency.overall.count).toBe(parsed.filter((e) => e.stage === 'ResponseComplete').length);
  });

  it('who touched the secret: every final request, in order, bodies redacted', () => {
    const t = s.touches!;
    const direct = parsed.filter((e) => e.stage === 'ResponseComplete' && e.objectRef?.resource === 'secrets' && e.objectRef?.name === 'db-credentials');
    expect(t.total).toBe(direct.length);
    expect(t.latest.map((x) => x.verb)).toEqual(direct.map((e) => e.verb));
    expect(t.latest.some((x) => x.code === 403 && x.user === 'kube-forensics')).toBe(true);
    const create = t.latest.find((x) => x.verb === 'create')!;
    expect(create.request).toContain('[redacted by kube-forensics]');
    expect(create.request).not.toContain(Buffer.from('hunter2-do-not-print').toString('base64'));
  });
});

describe('bounded structures', () => {
  it('CappedCounter keeps heavy hitters exact and totals exact under a flood of distinct keys', () => {
    const c = new CappedCounter(64);
    for (let i = 0; i < 10_000; i++) {
      c.add(`attacker-${i}`, 10);
      if (i % 10 === 0) c.add('kubelet', 100);
    }
    expect(c.size).toBeLessThanOrEqual(64);
    const t = c.top(5);
    expect(t.entries[0]).toEqual({ key: 'kubelet', count: 1000, bytes: 100_000 });
    expect(t.approximate).toBe(true);
    expect(t.entries.reduce((n, e) => n + e.count, 0) + t.other.count).toBe(11_000);
    expect(t.entries.reduce((n, e) => n + e.bytes, 0) + t.other.bytes).toBe(200_000);
  });

  it('LatencySketch quantiles are within 2 % of the exact ones', () => {
    const s = new LatencySketch();
    const values = Array.from({ length: 10_000 }, (_, i) => 100 + ((i * 7919) % 10_000) * 37);
    for (const v of values) s.add(v);
    const sorted = [...values].sort((a, b) => a - b);
    for (const q of [0.5, 0.9, 0.99]) {
      const exact = sorted[Math.ceil(q * sorted.length) - 1]!;
      expect(Math.abs(s.quantile(q) - exact) / exact).toBeLessThan(0.02);
    }
    expect(s.stats().max).toBe(sorted[sorted.length - 1]);
  });
});

describe('AuditAnalyzer on a real audit.k8s.io/v1beta1 log (--audit-log-version, 1.20.2)', () => {
  const rawB = gunzipSync(readFileSync(path.resolve(__dirname, '../../testdata/audit/v1.20.2/metadata-v1beta1.jsonl.gz')));
  const linesB = rawB.toString('utf8').split('\n').filter(Boolean);
  const parsedB = linesB.map((l) => JSON.parse(l) as Record<string, any>); // eslint-disable-line @typescript-eslint/no-explicit-any
  const a = new AuditAnalyzer({});
  const r = new AuditLineReader((e, b, l) => a.add(e, b, l));
  r.write(rawB);
  const damage = r.end();
  const s = a.summary();
  it('every line is a v1beta1 event, and every one is read (none damaged)', () => {
    expect(parsedB.every((e) => e.apiVersion === 'audit.k8s.io/v1beta1' && typeof e.timestamp === 'string')).toBe(true);
    expect(damage.count).toBe(0);
    expect(s.events).toBe(linesB.length);
    expect(s.bytes).toBe(rawB.length);
    expect(s.requests).toBe(parsedB.filter((e) => e.stage === 'ResponseComplete' || e.stage === 'Panic').length);
  });
  it('users and resources as a direct count of the file says', () => {
    const byUser = new Map<string, number>();
    for (const e of parsedB) byUser.set(e.user.username, (byUser.get(e.user.username) ?? 0) + 1);
    const top = [...byUser.entries()].sort((x, y) => y[1] - x[1])[0]!;
    expect(s.byUser.byCount.entries[0]).toMatchObject({ key: top[0], count: top[1] });
    const cms = parsedB.filter((e) => e.objectRef?.resource === 'configmaps' && !e.objectRef?.apiGroup).length;
    expect(cms).toBeGreaterThan(0);
    expect(s.byResource.byCount.entries.find((x) => x.key === 'core/configmaps')?.count).toBe(cms);
  });
});
