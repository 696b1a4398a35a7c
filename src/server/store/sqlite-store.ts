/**
 * The Store on SQLite (better-sqlite3 12.x), the embedded default of a single centre. WAL journal with
 * synchronous=FULL: a commit is on disk before the server acknowledges it, so a kill -9 or a power cut never
 * loses an acknowledged answer or event.
 */
import { chmodSync, existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { SQLITE_MIGRATIONS } from './migrations';
import { registerSessionListFunctions } from './session-list-query';
import { sqliteDatabase } from './sqlite-database';
import { createSqlStore } from './sql-store';
import type { Store } from './store';

function migrate(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SQLITE_MIGRATIONS.length) {
    throw new Error(`database schema version ${current} is newer than this build knows (${SQLITE_MIGRATIONS.length}); upgrade Tanu`);
  }
  for (let v = current; v < SQLITE_MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(SQLITE_MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}

/** logKey: the centre's log secret (see createSqlStore). */
export function openSqliteStore(file: string, options: { logKey?: Uint8Array } = {}): Store {
  const raw = new Database(file);
  raw.pragma('journal_mode = WAL');
  // IINs and faces: owner-only, also for a database made by an earlier version (and its WAL files).
  for (const f of [file, `${file}-wal`, `${file}-shm`]) if (existsSync(f)) chmodSync(f, 0o600);
  raw.pragma('synchronous = FULL');
  raw.pragma('foreign_keys = ON');
  raw.pragma('busy_timeout = 5000');
  migrate(raw);
  registerSessionListFunctions(raw); // tanu_fold(): names in any case, Kazakh and Russian letters, ё as е
  return createSqlStore(sqliteDatabase(raw), options);
}
