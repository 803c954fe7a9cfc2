import { describe, expect, it } from 'vitest';
import { DETECTORS } from '../detectors/specs';
import type { Finding } from '../detectors/types';
import type { SeriesData } from '../timeline/types';
import { evaluateCheck } from './checks';
import { ETCD_OUT_OF_SPACE, ETCD_SLOW_DISK } from './etcd';
import { RUNBOOKS, runbookById, stepTitleOf } from './index';
import { placeholdersOf, renderCommand, shellQuote, withDerived } from './template';
import type { CheckContext, CheckStep, ValueName } from './types';

const KNOWN: ValueName[] = ['context', 'apiserver', 'etcdEndpoint', 'etcdCerts', 'revision', 'resource', 'group', 'version', 'namespace', 'namespaced', 'resourceName', 'batchSize', 'resourcePath', 'nodes', 'auditLogPath', 'etcdDataDir', 'auditPolicyPath', 'keepDir'];

describe('runbooks are well-formed', () => {
  it('every detector\'s runbook exists, ids are unique, decisions lead to steps, placeholders are known values', () => {
    for (const d of DETECTORS) if (d.runbook) expect(runbookById(d.runbook), d.id).toBeDefined();
    expect(new Set(RUNBOOKS.map((r) => r.id)).size).toBe(RUNBOOKS.length);
    for (const r of RUNBOOKS) {
      const ids = r.steps.map((s) => s.id);
      expect(new Set(ids).size, r.id).toBe(ids.length);
      for (const s of r.steps) {
        if (s.kind === 'decide') for (const o of s.options) expect(ids, `${r.id}/${s.id} → ${o.goto}`).toContain(o.goto);
        const text = s.kind === 'command' ? s.command + s.title : s.title;
        for (const p of placeholdersOf(text)) expect(KNOWN, `${r.id}/${s.id}: {{${p}}}`).toContain(p);
      }
    }
  });
  it('out of space: delete with limit, then compact, defrag, disarm, in that order', () => {
    const order = ETCD_OUT_OF_SPACE.steps.map((s) => s.id);
    const i = (id: string) => order.indexOf(id);
    expect(i('delete')).toBeLessThan(i('compact'));
    expect(i('compact')).toBeLessThan(i('defrag'));
    expect(i('defrag')).toBeLessThan(i('disarm'));
  });
});

describe('step titles without their placeholders (feeds, postmortems)', () => {
  it('drop a parenthetical that holds one, and bare ones', () => {
    expect(stepTitleOf('etcd-out-of-space', 'delete')).toBe('Delete in batches with limit');
    expect(stepTitleOf('etcd-out-of-space', 'compact')).toBe('Compact at the current revision');
    expect(stepTitleOf('etcd-out-of-space', 'top-consumer')).toBe('Find where the top consumer lives');
    expect(stepTitleOf('etcd-out-of-space', 'no-such-step')).toBe('no-such-step');
  });
});

describe('templating', () => {
  it('fills values, quotes them for the shell, and leaves what is missing visible', () => {
    const r = renderCommand('etcdctl --endpoints={{etcdEndpoint}} {{etcdCerts}} compact {{revision}} -n {{namespace}}', {
      etcdEndpoint: 'https://10.0.0.5:2379', etcdCerts: '--cacert=/etc/kf/ca.crt --cert=/etc/kf/etcd.crt', revision: '48213',
    });
    expect(r.text).toBe('etcdctl --endpoints=https://10.0.0.5:2379 --cacert=/etc/kf/ca.crt --cert=/etc/kf/etcd.crt compact 48213 -n <namespace>');
    expect(r.missing).toEqual(['namespace']);
    expect(shellQuote("a b'c")).toBe("'a b'\\''c'");
    expect(renderCommand('kubectl -n {{namespace}}', { namespace: 'x; rm -rf /' }).text).toBe("kubectl -n 'x; rm -rf /'");
  });
  it('derives the collection path once the namespace is known', () => {
    const v = { resource: 'ephemeralreports', group: 'reports.kyverno.io', version: 'v1', namespaced: 'true' };
    expect(withDerived(v).resourcePath).toBeUndefined();
    expect(withDerived({ ...v, namespace: 'trading' }).resourcePath).toBe('/apis/reports.kyverno.io/v1/namespaces/trading/ephemeralreports');
    expect(withDerived({ resource: 'configmaps', group: '', version: 'v1', namespaced: 'true', namespace: 'a' }).resourcePath).toBe('/api/v1/namespaces/a/configmaps');
    const cmd = ETCD_OUT_OF_SPACE.steps.find((s) => s.id === 'delete');
    expect(cmd?.kind === 'command' && renderCommand(cmd.command, withDerived({ ...v, namespace: 'trading', context: 'prod', batchSize: '500' })).text)
      .toContain("delete --raw '/apis/reports.kyverno.io/v1/namespaces/trading/ephemeralreports?limit=500'");
  });
});

describe('check evaluation', () => {
  const T = Date.parse('2026-11-23T03:00:00Z');
  const ts = Array.from({ length: 11 }, (_, i) => T + i * 15_000);
  const at = ts[10]!;
  // WAL fsync histogram: every interval, 100 fsyncs; fast (≤ 1 ms) until t5, then 150 ms (as under the blkio throttle).
  const les = ['0.001', '0.002', '0.004', '0.008', '0.016', '0.032', '0.064', '0.128', '0.256', '+Inf'];
  let fast = 0; let slow = 0;
  const cum = ts.map((_, i) => { if (i > 5) slow += 100; else fast += 100; return { fast, slow }; });
  const fsync: SeriesData[] = les.map((le) => ({ labels: { le }, points: ts.map((t, i) => ({ t, v: cum[i]!.fast + (Number(le) >= 0.256 || le === '+Inf' ? cum[i]!.slow : 0) })) }));
  const dbSize = ts.map((t, i) => ({ t, v: (i < 6 ? 128 : 20) * 1024 ** 2 }));
  const series: Record<string, SeriesData[]> = {
    etcd_disk_wal_fsync_duration_seconds_bucket: fsync,
    etcd_mvcc_db_total_size_in_bytes: [{ labels: {}, points: dbSize }],
    etcd_server_quota_backend_bytes: [{ labels: {}, points: ts.map((t) => ({ t, v: 128 * 1024 ** 2 })) }],
    etcd_debugging_mvcc_compact_revision: [{ labels: {}, points: ts.map((t, i) => ({ t, v: i < 4 ? -1 : 5012 })) }],
  };
  const ctx: CheckContext = { at, load: (n) => series[n] ?? [], findings: [], runStartedAt: ts[2]!, captures: [] };
  const check = (id: string) => (ETCD_SLOW_DISK.steps.find((s) => s.id === id) as CheckStep).check;

  it('the fsync check fails with the p99 as evidence, and passes before the slowdown', () => {
    const r = evaluateCheck(check('fsync'), ctx);
    expect(r.status).toBe('fail');
    expect(r.evidence[0]).toMatch(/^WAL fsync p99: 2\d\d ms at 03:02:30 UTC \(want < 10 ms\)$/);
    expect(evaluateCheck(check('fsync'), { ...ctx, at: ts[5]! }).status).toBe('pass');
    expect(evaluateCheck(check('fsync'), { ...ctx, load: () => [] }).status).toBe('unknown');
  });
  it('a rate that must be zero says "want none"', () => {
    const load = (n: string) => (n === 'apiserver_request_total' ? [{ labels: { verb: 'POST', code: '500' }, points: ts.map((t) => ({ t, v: 7 })) }] : []);
    const step = ETCD_OUT_OF_SPACE.steps.find((s) => s.id === 'writes-ok') as CheckStep;
    expect(evaluateCheck(step.check, { ...ctx, load })).toMatchObject({ status: 'pass', evidence: ['writes failing with 500: 0.00/s at 03:02:30 UTC (want none)'] });
  });
  it('db usage, shrink since the run started, compaction', () => {
    expect(evaluateCheck({ type: 'db-usage', belowPercent: 80 }, ctx)).toMatchObject({ status: 'pass', evidence: ['DB 20.0 MiB of 128.0 MiB (15.6%; want < 80%)'] });
    expect(evaluateCheck({ type: 'db-usage', belowPercent: 80 }, { ...ctx, at: ts[5]! }).status).toBe('fail');
    expect(evaluateCheck({ type: 'db-shrunk', byFraction: 0.3 }, ctx).status).toBe('pass');
    expect(evaluateCheck({ type: 'db-shrunk', byFraction: 0.3 }, { ...ctx, at: ts[5]! }).status).toBe('fail');
    expect(evaluateCheck({ type: 'compacted' }, ctx).evidence[0]).toBe('compact revision 5012 at 03:02:30 UTC (was none when the run started)');
    expect(evaluateCheck({ type: 'compacted' }, { ...ctx, at: ts[3]! }).status).toBe('fail');
  });
  it('no-finding fails with the finding\'s facts; capture-taken counts captures since the start', () => {
    const f = { detector: 'etcd-nospace', severity: 'critical', summary: 'NOSPACE', evidence: { facts: ['DB at quota'], from: 0, to: 0 } } as unknown as Finding;
    expect(evaluateCheck({ type: 'no-finding', detectors: ['etcd-nospace'] }, { ...ctx, findings: [f] })).toMatchObject({ status: 'fail', evidence: ['critical: NOSPACE', 'DB at quota'] });
    expect(evaluateCheck({ type: 'capture-taken', capture: 'goroutine' }, { ...ctx, captures: [{ kind: 'goroutine', t: ts[1]! }] }).status).toBe('fail');
    expect(evaluateCheck({ type: 'capture-taken', capture: 'goroutine' }, { ...ctx, captures: [{ kind: 'goroutine', t: ts[3]!, id: 7 }] }).evidence).toEqual(['goroutine captured at 03:00:45 UTC (#7)']);
  });
});
