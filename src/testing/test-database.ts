/**
 * Which engine the store tests and the centre harness run on: SQLite unless TANU_TEST_STORE=postgres,
 * which the `postgres` test project sets, so the same test files run on both engines. A PostgreSQL store gets a
 * schema of its own in the test database (TANU_TEST_POSTGRES_URL, by default the local server's `test`), dropped
 * when the test is done. PostgreSQL must be running: a test that needs it fails, it is never skipped.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import pg from 'pg';
import { numberedPlaceholders } from '../server/store/postgres-database';
import { openPostgresStore } from '../server/store/postgres-store';
import { openSqliteStore } from '../server/store/sqlite-store';
import type { Store } from '../server/store/store';
import { SCRATCH_POSTGRES_URL } from './scratch-cluster';

export type StoreEngine = 'sqlite' | 'postgres';

export const TEST_POSTGRES_URL = SCRATCH_POSTGRES_URL;

export const TEST_STORE_ENGINE: StoreEngine = process.env.TANU_TEST_STORE === 'postgres' ? 'postgres' : 'sqlite';

/** The file in a data folder that names the folder's PostgreSQL schema, so that a restarted centre finds its data. */
const SCHEMA_FILE = 'postgres-schema';

export interface TestDatabase {
  engine: StoreEngine;
  /** Opens (again) the store on this database. */
  open(options?: { logKey?: Uint8Array }): Promise<Store>;
  /** Runs one statement beside the store, as a person with database access would (tampering tests). */
  exec(text: string, ...args: unknown[]): Promise<number>;
  /** Runs one statement for each row of arguments, in one transaction. */
  execMany(text: string, rows: readonly unknown[][]): Promise<void>;
  /** Reads beside the store. */
  query(text: string, ...args: unknown[]): Promise<Array<Record<string, unknown>>>;
  /** A digest of every row of every table (binary as hex): equal digests mean no row changed. */
  digest(): Promise<string>;
  /** Removes the database (a PostgreSQL schema; the SQLite file goes with its folder). */
  drop(): Promise<void>;
}

const SQLITE_TABLES = "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name";
const POSTGRES_TABLES = 'SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY 1';

/** Hashes every table's rows, each table's read in a fixed order. */
function digestOf(tables: ReadonlyArray<{ name: string; rows: unknown[] }>): string {
  const hash = createHash('sha256');
  const bytesAsHex = (_key: string, v: unknown) =>
    v && typeof v === 'object' && (v as { type?: unknown }).type === 'Buffer'
      ? Buffer.from((v as { data: number[] }).data).toString('hex')
      : v;
  for (const { name, rows } of tables) {
    hash.update(name);
    for (const row of rows) hash.update(JSON.stringify(row, bytesAsHex));
  }
  return hash.digest('hex');
}

/** The test database kept in `dir` (created on first use; the same one when `dir` is reused). */
export function testDatabase(dir: string, engine: StoreEngine = TEST_STORE_ENGINE): TestDatabase {
  if (engine === 'sqlite') {
    const file = path.join(dir, 'tanu.sqlite');
    return {
      engine,
      open: async (options) => openSqliteStore(file, options),
      exec: async (text, ...args) => {
        const raw = new Database(file);
        try {
          return raw.prepare(text).run(...args).changes;
        } finally {
          raw.close();
        }
      },
      execMany: async (text, rows) => {
        const raw = new Database(file);
        try {
          raw.pragma('busy_timeout = 5000');
          const statement = raw.prepare(text);
          raw.transaction(() => rows.forEach((row) => statement.run(...row)))();
        } finally {
          raw.close();
        }
      },
      query: async (text, ...args) => {
        const raw = new Database(file, { readonly: true });
        try {
          return raw.prepare(text).all(...args) as Array<Record<string, unknown>>;
        } finally {
          raw.close();
        }
      },
      digest: async () => {
        const raw = new Database(file, { readonly: true });
        try {
          const names = (raw.prepare(SQLITE_TABLES).all() as Array<{ name: string }>).map((t) => t.name);
          return digestOf(names.map((name) => ({ name, rows: raw.prepare(`SELECT * FROM "${name}" ORDER BY 1, 2`).all() })));
        } finally {
          raw.close();
        }
      },
      drop: async () => undefined,
    };
  }
  const schemaFile = path.join(dir, SCHEMA_FILE);
  if (!existsSync(schemaFile)) writeFileSync(schemaFile, `t_${randomBytes(6).toString('hex')}`);
  const schema = readFileSync(schemaFile, 'utf8').trim();
  const admin = async <T>(work: (client: pg.Client) => Promise<T>): Promise<T> => {
    const client = new pg.Client({ connectionString: TEST_POSTGRES_URL, options: `-c search_path=${schema}` });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  };
  let reader: Promise<pg.Client> | null = null;
  return {
    engine,
    open: (options) => openPostgresStore(TEST_POSTGRES_URL, { ...options, schema, maxConnections: 4 }),
    exec: (text, ...args) => admin(async (client) => (await client.query(numberedPlaceholders(text), args)).rowCount ?? 0),
    execMany: (text, rows) =>
      admin(async (client) => {
        await client.query('BEGIN');
        for (const row of rows) await client.query(numberedPlaceholders(text), row);
        await client.query('COMMIT');
      }),
    query: (text, ...args) =>
      admin(async (client) => (await client.query(numberedPlaceholders(text), args)).rows as Array<Record<string, unknown>>),
    async digest() {
      // One kept connection and one query: the fuzz test takes a digest before and after each of ~500 batches.
      reader ??= (async () => {
        const client = new pg.Client({ connectionString: TEST_POSTGRES_URL, options: `-c search_path=${schema}` });
        await client.connect();
        return client;
      })();
      const client = await reader;
      const names = ((await client.query(POSTGRES_TABLES)).rows as Array<{ name: string }>).map((t) => t.name);
      // PostgreSQL hashes each table's rows, ordered as text, itself.
      const perTable = names.map(
        (name) => `SELECT '${name}' AS name, md5(coalesce(string_agg(t::text, E'\\n' ORDER BY t::text), '')) AS rows FROM "${name}" AS t`,
      );
      const rows = (await client.query(perTable.join(' UNION ALL '))).rows as Array<{ name: string; rows: string }>;
      return digestOf(names.map((name) => ({ name, rows: [rows.find((r) => r.name === name)!.rows] })));
    },
    async drop() {
      if (reader) await (await reader).end();
      reader = null;
      await admin(async (client) => void (await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`)));
    },
  };
}
