/**
 * The SqlDatabase on SQLite (better-sqlite3 12.x), the embedded default. better-sqlite3 runs each statement
 * synchronously on one connection, so a transaction that awaits between its statements holds the connection:
 * anything else asked meanwhile waits its turn, and never sees or joins a transaction that is not its own.
 */
import Database from 'better-sqlite3';
import type { SqlDatabase, SqlRow, SqlRunner, TransactionOptions } from './sql-database';

const bindable = (args: unknown[]): unknown[] => args.map((a) => (a instanceof Uint8Array && !Buffer.isBuffer(a) ? Buffer.from(a) : a));

export function sqliteDatabase(raw: Database.Database): SqlDatabase {
  // Each statement is compiled once and reused: better-sqlite3's prepare() costs about as much as a small
  // query, and was 1.7 s of the centre's 28 s of CPU in a minute of 300 candidates. Statements whose text is
  // built (IN lists) are cached too, within a bound.
  const statements = new Map<string, Database.Statement>();
  const prepared = (text: string): Database.Statement => {
    let statement = statements.get(text);
    if (!statement) {
      if (statements.size >= 500) statements.clear();
      statement = raw.prepare(text);
      statements.set(text, statement);
    }
    return statement;
  };
  const direct: SqlRunner = {
    get: async (text, ...args) => prepared(text).get(...bindable(args)) as SqlRow | undefined,
    all: async (text, ...args) => prepared(text).all(...bindable(args)) as SqlRow[],
    run: async (text, ...args) => prepared(text).run(...bindable(args)).changes,
    lock: async () => undefined, // one transaction at a time holds the connection
  };

  /* The connection's turn: held by one transaction at a time; statements outside one run at once when it is free. */
  let held = false;
  const waiting: Array<() => void> = [];
  const acquire = (): Promise<void> => {
    if (!held) {
      held = true;
      return Promise.resolve();
    }
    return new Promise((resolve) => waiting.push(resolve));
  };
  const release = (): void => {
    const next = waiting.shift();
    if (next) next();
    else held = false;
  };
  const inTurn = async <T>(work: () => Promise<T>): Promise<T> => {
    await acquire();
    try {
      return await work();
    } finally {
      release();
    }
  };
  const outside = <T>(statement: () => Promise<T>): Promise<T> => (held ? inTurn(statement) : statement());

  const transaction = async <T>(work: (tx: SqlRunner) => Promise<T>): Promise<T> =>
    inTurn(async () => {
      raw.exec('BEGIN IMMEDIATE');
      try {
        const result = await work(direct);
        raw.exec('COMMIT');
        return result;
      } catch (error) {
        if (raw.inTransaction) raw.exec('ROLLBACK');
        throw error;
      }
    });

  /*
   * Group commit. Every commit waits for the disk (synchronous = FULL: an acknowledged event, answer or
   * chunk survives a power cut), and under 300 candidates those waits, one per write, held the event loop
   * for about a third of its time and pushed the answers' round trip p99 to ~0.8 s. The frequent writes
   * are queued and committed together once per turn of the event loop: one transaction and one disk
   * wait for all of them, each in a savepoint of its own (one that fails rolls back alone and rejects
   * alone). Nothing is acknowledged before the commit that holds it.
   */
  type Queued = { work: (tx: SqlRunner) => Promise<unknown>; resolve: (value: never) => void; reject: (error: unknown) => void };
  let queued: Queued[] = [];
  const commitQueued = async (): Promise<void> => {
    const batch = queued;
    queued = [];
    if (batch.length === 0) return;
    const outcomes = await inTurn(async () => {
      const done: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
      try {
        raw.exec('BEGIN IMMEDIATE');
        for (const q of batch) {
          raw.exec('SAVEPOINT grouped');
          try {
            done.push({ ok: true, value: await q.work(direct) });
            raw.exec('RELEASE grouped');
          } catch (error) {
            raw.exec('ROLLBACK TO grouped');
            raw.exec('RELEASE grouped');
            done.push({ ok: false, error });
          }
        }
        raw.exec('COMMIT');
        return done;
      } catch (error) {
        if (raw.inTransaction) raw.exec('ROLLBACK');
        return batch.map(() => ({ ok: false as const, error })); // the commit itself failed: nothing of the batch is stored
      }
    });
    batch.forEach((q, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) q.resolve(outcome.value as never);
      else q.reject(outcome.error);
    });
  };

  return {
    dialect: 'sqlite',
    get: (text, ...args) => outside(() => direct.get(text, ...args)),
    all: (text, ...args) => outside(() => direct.all(text, ...args)),
    run: (text, ...args) => outside(() => direct.run(text, ...args)),
    lock: async () => undefined,
    transaction: <T>(work: (tx: SqlRunner) => Promise<T>, options: TransactionOptions = {}): Promise<T> => {
      if (!options.grouped) return transaction(work);
      return new Promise<T>((resolve, reject) => {
        if (queued.push({ work, resolve: resolve as (value: never) => void, reject }) === 1) setImmediate(() => void commitQueued());
      });
    },
    close: async () => {
      await commitQueued(); // writes waiting for their turn are committed, not dropped
      await inTurn(async () => raw.close());
    },
  };
}
