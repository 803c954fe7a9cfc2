// The recorder survives SIGKILL: every sample it reported as committed is in the store afterwards,
// the store opens cleanly (integrity_check), and a restarted recorder resumes appending.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, expect, it } from 'vitest';
import { controlPlane } from './env';
import { waitFor } from './helpers';

const cp = controlPlane();
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kf-crash-'));
const procs: ChildProcess[] = [];

interface Commit { cluster: string; component: string; t: number; rows: number }

function startRecorder(): { proc: ChildProcess; commits: Commit[] } {
  const commits: Commit[] = [];
  const proc = spawn(process.execPath, [
    'cli/bin.mjs', 'record', '--kubeconfig', cp.viewerKubeconfig, '--data-dir', dataDir, '--interval', '1s', '--print-commits',
    '--etcd-url', cp.etcdUrl, '--etcd-metrics-url', cp.etcdMetricsUrl, '--etcd-ca', cp.certs.caCert, '--etcd-cert', cp.certs.etcdClientCert, '--etcd-key', cp.certs.etcdClientKey,
  ], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, KF_CENSUS_SECONDS: '3600' } });
  procs.push(proc);
  let buf = '';
  proc.stdout!.on('data', (c: Buffer) => {
    buf += c.toString();
    let nl: number;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const [word, cluster, component, t, rows] = buf.slice(0, nl).split(' ');
      buf = buf.slice(nl + 1);
      if (word === 'committed') commits.push({ cluster: cluster!, component: component!, t: Number(t), rows: Number(rows) });
    }
  });
  return { proc, commits };
}

afterAll(() => {
  for (const p of procs) { try { p.kill('SIGKILL'); } catch { /* gone */ } }
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function samplesAt(db: Database.Database, component: string, t: number): number {
  const etcdSeries = "(s.name LIKE 'etcd%' AND s.name NOT LIKE 'etcd_request_duration%')";
  const where = component === 'etcd' ? etcdSeries : `NOT ${etcdSeries}`;
  return (db.prepare(`SELECT COUNT(*) AS n FROM samples x JOIN series s ON s.id = x.series_id WHERE x.t = ? AND ${where}`).get(t) as { n: number }).n;
}

it('loses no committed sample when killed with SIGKILL mid-run, and resumes', async () => {
  const first = startRecorder();
  await waitFor('12 committed scrapes', () => first.commits.length >= 12, 60_000, 100);
  // Kill mid-run: with 1 s ticks a scrape is usually in flight right now.
  await new Promise((r) => setTimeout(r, 370));
  first.proc.kill('SIGKILL');
  await new Promise((r) => first.proc.once('exit', r));
  const committed = [...first.commits];
  expect(committed.length).toBeGreaterThanOrEqual(12);

  const db = new Database(path.join(dataDir, 'kube-forensics.db'));
  expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
  for (const c of committed) {
    expect(samplesAt(db, c.component, c.t), `${c.component} scrape at ${c.t}`).toBe(c.rows);
  }
  const before = db.prepare('SELECT COUNT(*) AS n FROM samples').get() as { n: number };
  db.close();

  const second = startRecorder();
  await waitFor('the restarted recorder to commit', () => second.commits.length >= 4, 60_000, 100);
  second.proc.kill('SIGTERM');
  await new Promise((r) => second.proc.once('exit', r));
  const db2 = new Database(path.join(dataDir, 'kube-forensics.db'));
  expect(db2.pragma('integrity_check', { simple: true })).toBe('ok');
  for (const c of committed) expect(samplesAt(db2, c.component, c.t)).toBe(c.rows);
  const after = db2.prepare('SELECT COUNT(*) AS n FROM samples').get() as { n: number };
  expect(after.n).toBeGreaterThan(before.n);
  // Resuming reuses the series: no duplicate (name, labels) rows appeared.
  const dups = db2.prepare('SELECT COUNT(*) AS n FROM (SELECT name, labels FROM series GROUP BY cluster_id, name, labels HAVING COUNT(*) > 1)').get() as { n: number };
  expect(dups.n).toBe(0);
  db2.close();
}, 180_000);
