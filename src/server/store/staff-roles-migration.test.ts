/**
 * The migration that rebuilds staff_users for the commission roles keeps every account, and the
 * log-ins and assignments that point at them, on a database that already holds them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { SQLITE_MIGRATIONS } from './migrations';
import { openSqliteStore } from './sqlite-store';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

describe('staff roles migration', () => {
  it('keeps accounts, log-ins and assignments; the new roles are accepted and others still refused', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'tanu-roles-'));
    dirs.push(dir);
    const file = path.join(dir, 'tanu.sqlite');
    const rebuild = SQLITE_MIGRATIONS.findIndex((m) => m.includes('staff_users_copy'));
    expect(rebuild).toBeGreaterThan(0);
    const old = new Database(file);
    old.pragma('foreign_keys = ON');
    for (let v = 0; v < rebuild; v++) old.exec(SQLITE_MIGRATIONS[v]!);
    old.pragma(`user_version = ${rebuild}`);
    old.exec(`
      INSERT INTO centres (id, name_json, accreditation_no) VALUES ('c1', '{}', 'A');
      INSERT INTO programmes (id, centre_id, code, profession_json, oked, occupation_code, nqf_level, duration_minutes, questions_per_exam) VALUES ('p1', 'c1', 'P', '{}', '1', '1', 4, 40, 30);
      INSERT INTO candidates (id, centre_id, surname, given_name, iin) VALUES ('k1', 'c1', 'S', 'G', '900101300017');
      INSERT INTO staff_users (id, username, display_name, role, password_hash) VALUES ('u1', 'proctor', 'P', 'proctor', 'h'), ('u2', 'admin', 'A', 'admin', 'h');
      INSERT INTO staff_sessions (token_hash, user_id, expires_at) VALUES ('t1', 'u1', 9999999999999);
      INSERT INTO exam_sessions (id, candidate_id, programme_id, token_hash, token_expires_at, status, created_at, assigned_to) VALUES ('s1', 'k1', 'p1', 'x', 1, 'issued', 1, 'u1');
    `);
    old.close();

    const store = openSqliteStore(file);
    expect((await store.findStaffSession('t1', 0))?.username).toBe('proctor');
    expect((await store.getSession('s1'))?.assignedTo).toBe('u1');
    await store.createStaffUser({ id: 'u3', username: 'chair', displayName: 'C', role: 'commission_chair', passwordHash: 'h' });
    await expect(
      store.createStaffUser({ id: 'u4', username: 'boss', displayName: 'B', role: 'boss' as never, passwordHash: 'h' }),
    ).rejects.toThrow(/CHECK/);
    await expect(
      store.createStaffUser({ id: 'u5', username: 'chair', displayName: 'C', role: 'proctor', passwordHash: 'h' }),
    ).rejects.toThrow(/UNIQUE/);
    await store.close();
    const check = new Database(file, { readonly: true });
    expect(check.pragma('foreign_key_check')).toEqual([]);
    expect(check.pragma('user_version', { simple: true })).toBe(SQLITE_MIGRATIONS.length);
    check.close();
  });
});
