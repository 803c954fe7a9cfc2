import 'server-only';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { MIGRATIONS } from './migrations';

export type DB = Database.Database;

/**
 * Opens (creating if needed) the embedded store: one SQLite file under the data directory.
 *
 * Durability: WAL journal with synchronous=NORMAL. A committed transaction is in the WAL file
 * before `COMMIT` returns, so a killed process (SIGKILL, OOM) loses nothing committed; only an OS
 * crash or power loss can lose the last transactions (SQLite docs, "WAL mode: synchronous=NORMAL").
 * On open, SQLite replays the WAL: recovery after kill -9 needs no step of ours.
 */
export function openDatabase(dataDir: string, file = 'kube-forensics.db'): DB {
  fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  restrict(dataDir, 0o700);
  const p = path.join(dataDir, file);
  // The store holds uploaded dumps and everything recorded: owner-only, including the WAL and
  // shared-memory files SQLite creates next to it (with the process umask otherwise).
  const umask = process.umask(0o077);
  let db: DB;
  try {
    db = new Database(p);
    db.pragma('journal_mode = WAL');
  } finally { process.umask(umask); }
  for (const f of [p, `${p}-wal`, `${p}-shm`]) restrict(f, 0o600);
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return db;
}

/** Removes group and other permissions from a path we own (an existing 0755 data dir, 0644 db). */
function restrict(p: string, mode: number): void {
  try {
    const st = fs.statSync(p);
    if ((st.mode & 0o077) !== 0 && (typeof process.getuid !== 'function' || st.uid === process.getuid())) fs.chmodSync(p, mode);
  } catch { /* absent (no WAL yet) or not ours: nothing to do */ }
}

export function openMemoryDatabase(): DB {
  const db = new Database(':memory:');
  db.pragma('foreign_keys = ON');
  migrate(db);
  return db;
}

/** Applies pending migrations in one transaction each; `PRAGMA user_version` is the schema version. */
export function migrate(db: DB): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new Error(`store schema version ${current} is newer than this kube-forensics (knows ${MIGRATIONS.length}); upgrade kube-forensics`);
  }
  for (let v = current; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}
