/**
 * The SqlDatabase on PostgreSQL (node-postgres `pg`, a pool of connections), for a centre on several nodes
 * (issue 16). Transactions run SERIALIZABLE, so the store keeps SQLite's guarantee that a transaction sees
 * the world as if it ran alone (the next log index, an answer's revision, a document counter); one that
 * loses a race to another node is run again, as PostgreSQL's manual asks (serialization failure 40001,
 * deadlock 40P01). Writes for one exam session (a key) take an advisory lock before they begin, so the many
 * writes of one session (its log, its answers, its chunks) queue instead of failing each other over and over:
 * measured, 62 appends to one session from two nodes at once ran out of ten retries without it.
 */
import pg from 'pg';
import type { SqlDatabase, SqlRow, SqlRunner } from './sql-database';

const INT8_OID = 20;
const NUMERIC_OID = 1700;
/** Times in milliseconds, sizes and counts are BIGINT (COUNT and SUM give int8 and numeric): all fit a double. */
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === INT8_OID || oid === NUMERIC_OID ? (value: string) => Number(value) : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/** `?` placeholders (outside quoted text) as PostgreSQL's `$1, $2…`. */
export function numberedPlaceholders(text: string): string {
  let n = 0;
  let quoted = false;
  let out = '';
  for (const ch of text) {
    if (ch === "'") quoted = !quoted;
    out += ch === '?' && !quoted ? `$${++n}` : ch;
  }
  return out;
}

const RETRYABLE = new Set(['40001', '40P01']);
const MAX_ATTEMPTS = 20;

export interface PostgresOptions {
  /** The schema the store's tables live in (search_path); `public` unless set. Tests use one schema each. */
  schema?: string;
  maxConnections?: number;
  /** An idle connection the server dropped (a restart): the pool replaces it; this is told (default: the console). */
  onIdleError?: (error: Error) => void;
}

export function postgresDatabase(url: string, options: PostgresOptions = {}): SqlDatabase & { pool: pg.Pool } {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.maxConnections ?? 10,
    types,
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
  });
  // An idle connection that the server drops (a restart) is an error on the pool: it is replaced, not fatal.
  pool.on('error', options.onIdleError ?? ((error) => console.error('[tanu] database connection lost (the pool opens another):', error.message)));

  const texts = new Map<string, string>();
  const numbered = (text: string): string => {
    let converted = texts.get(text);
    if (converted === undefined) {
      if (texts.size >= 1000) texts.clear();
      converted = numberedPlaceholders(text);
      texts.set(text, converted);
    }
    return converted;
  };
  const values = (args: unknown[]) => args.map((a) => (a === undefined ? null : a instanceof Uint8Array && !Buffer.isBuffer(a) ? Buffer.from(a) : a));
  const runner = (query: (text: string, args: unknown[]) => Promise<pg.QueryResult>): SqlRunner => ({
    get: async (text, ...args) => (await query(numbered(text), values(args))).rows[0] as SqlRow | undefined,
    all: async (text, ...args) => (await query(numbered(text), values(args))).rows as SqlRow[],
    run: async (text, ...args) => (await query(numbered(text), values(args))).rowCount ?? 0,
  });
  const onPool = runner((text, args) => pool.query(text, args));

  return {
    dialect: 'postgres',
    pool,
    ...onPool,
    transaction: async (work, transactionOptions = {}) => {
      const key = transactionOptions.key === undefined ? null : `tanu:${transactionOptions.key}`;
      for (let attempt = 1; ; attempt++) {
        const client = await pool.connect();
        let broken: Error | undefined;
        let locked = false;
        try {
          // Taken before BEGIN: the transaction's snapshot is then newer than the last write it waited for.
          if (key !== null) {
            await client.query('SELECT pg_advisory_lock(hashtext($1))', [key]);
            locked = true;
          }
          await client.query('BEGIN ISOLATION LEVEL SERIALIZABLE');
          const result = await work(runner((text, args) => client.query(text, args)));
          await client.query('COMMIT');
          return result;
        } catch (error) {
          try {
            await client.query('ROLLBACK');
          } catch (rollbackError) {
            broken = rollbackError as Error; // the connection is gone: the pool must not hand it out again
          }
          const code = (error as { code?: string }).code;
          if (!code || !RETRYABLE.has(code) || attempt >= MAX_ATTEMPTS) throw error;
        } finally {
          if (locked && !broken) {
            try {
              await client.query('SELECT pg_advisory_unlock(hashtext($1))', [key]);
            } catch (unlockError) {
              broken = unlockError as Error; // a lost connection released the lock itself
            }
          }
          client.release(broken);
        }
        // Another transaction won the race: wait a little (growing, with jitter) and run again.
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 5 * attempt));
      }
    },
    close: () => pool.end(),
  };
}
