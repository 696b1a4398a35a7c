/**
 * The one seam between the Store and a SQL engine. The store's queries are written once, with `?`
 * placeholders and SQL that SQLite and PostgreSQL both read; the little that differs is asked of `dialect`.
 * Two drivers implement it: sqlite-database.ts (better-sqlite3, the embedded default) and
 * postgres-database.ts (pg, for several centre nodes).
 */

export type SqlRow = Record<string, unknown>;

export type SqlDialect = 'sqlite' | 'postgres';

/** Runs statements: the database itself, or one transaction. Bytes go in as Buffer/Uint8Array and come back as Buffer. */
export interface SqlRunner {
  get(text: string, ...args: unknown[]): Promise<SqlRow | undefined>;
  all(text: string, ...args: unknown[]): Promise<SqlRow[]>;
  /** Returns how many rows the statement changed. */
  run(text: string, ...args: unknown[]): Promise<number>;
  /**
   * Inside a transaction: holds a lock by this name until it ends, for a value several sessions' writes share (a
   * document counter). PostgreSQL: an advisory transaction lock; SQLite: nothing, one transaction runs at a time.
   */
  lock(name: string): Promise<void>;
}

export interface TransactionOptions {
  /**
   * A frequent small write for one exam session (an event, an answer, a chunk's index, a write with its log
   * entries) whose commit may be shared with others queued at the same moment (group commit); it still commits or
   * rolls back on its own. It must name its session as `key`, and take `lock()` before reading a value other
   * sessions' writes share: on PostgreSQL a group runs at READ COMMITTED under those locks, where a lone
   * transaction runs SERIALIZABLE.
   */
  grouped?: boolean;
  /**
   * What the transaction writes for (an exam session's id): transactions with the same key run one after another,
   * on every node, instead of racing and being run again (PostgreSQL; SQLite runs one at a time anyway).
   */
  key?: string;
}

export interface SqlDatabase extends SqlRunner {
  readonly dialect: SqlDialect;
  /**
   * Runs `work` in one serializable transaction: every change it makes commits together, or, when it throws,
   * none does (the error is rethrown). The work must use only `tx`, never the database, and must not wait on
   * anything but `tx`: PostgreSQL may run it again after a serialization failure.
   */
  transaction<T>(work: (tx: SqlRunner) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /** Commits what is queued, then closes. */
  close(): Promise<void>;
}

/** `?` placeholders in an IN list of n values. */
export const placeholders = (n: number): string => Array.from({ length: n }, () => '?').join(',');

/** Splits a list into parts small enough for one IN list. */
export function inChunks<T>(items: readonly T[], size = 500): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Where the two engines' SQL differs, the store asks here. */
export function sqlFor(dialect: SqlDialect) {
  const postgres = dialect === 'postgres';
  return {
    /** `a IS NOT b` with NULLs compared as values. */
    isDistinct: (a: string, b: string) => (postgres ? `${a} IS DISTINCT FROM ${b}` : `${a} IS NOT ${b}`),
    /** The smaller of two values (SQLite's two-argument MIN). */
    least: (a: string, b: string) => (postgres ? `LEAST(${a}, ${b})` : `MIN(${a}, ${b})`),
    /** Comma-joined values of a group. */
    joinGroup: (column: string) => (postgres ? `string_agg(${column}, ',')` : `GROUP_CONCAT(${column})`),
    /** Length of a binary column in bytes. */
    byteLength: (column: string) => (postgres ? `octet_length(${column})` : `LENGTH(${column})`),
  };
}

export type SqlText = ReturnType<typeof sqlFor>;
