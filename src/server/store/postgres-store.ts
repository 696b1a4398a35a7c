/**
 * The Store on PostgreSQL: TANU_DATABASE_URL=postgres://… for a centre on several nodes. The schema
 * is migrated on start like SQLite's (postgres-migrations.ts), under an advisory lock so that nodes starting
 * together migrate once; tanu_schema_version holds how many migrations are applied.
 */
import pg from 'pg';
import { POSTGRES_MIGRATIONS } from './postgres-migrations';
import { postgresDatabase, type PostgresOptions } from './postgres-database';
import { createSqlStore } from './sql-store';
import type { Store } from './store';

/** Any 64-bit number that is Tanu's own: the lock nodes take while one of them migrates. */
const MIGRATION_LOCK = 7_316_590_412;

export async function openPostgresStore(url: string, options: PostgresOptions & { logKey?: Uint8Array } = {}): Promise<Store> {
  const db = postgresDatabase(url, options);
  try {
    const client = await db.pool.connect();
    try {
      await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
      try {
        // Under the lock: CREATE SCHEMA IF NOT EXISTS from two nodes at once can still collide (measured: a unique violation).
        if (options.schema) await client.query(`CREATE SCHEMA IF NOT EXISTS "${options.schema.replace(/"/g, '""')}"`);
        await client.query('CREATE TABLE IF NOT EXISTS tanu_schema_version (version INTEGER NOT NULL)');
        const row = (await client.query('SELECT version FROM tanu_schema_version')).rows[0] as { version: number } | undefined;
        const current = row?.version ?? 0;
        if (current > POSTGRES_MIGRATIONS.length) {
          throw new Error(
            `database schema version ${current} is newer than this build knows (${POSTGRES_MIGRATIONS.length}); upgrade Tanu`,
          );
        }
        for (let v = current; v < POSTGRES_MIGRATIONS.length; v++) {
          await client.query('BEGIN');
          try {
            await client.query(POSTGRES_MIGRATIONS[v]!);
            await client.query('DELETE FROM tanu_schema_version');
            await client.query('INSERT INTO tanu_schema_version (version) VALUES ($1)', [v + 1]);
            await client.query('COMMIT');
          } catch (error) {
            await client.query('ROLLBACK');
            throw error;
          }
        }
      } finally {
        await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]);
      }
    } finally {
      client.release();
    }
  } catch (error) {
    await db.close();
    throw error;
  }
  return createSqlStore(db, options);
}

/** Runs `work` while holding a database-wide lock named `name` (e.g. seeding, which nodes starting together do once). */
export async function withDatabaseLock<T>(url: string, name: string, work: () => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [`tanu:${name}`]);
    return await work();
  } finally {
    await client.end(); // the lock ends with the connection
  }
}
