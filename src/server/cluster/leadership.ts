/**
 * Which node runs the centre-wide timers: exam time-outs, rule 11's outage limit, breaks that ran
 * out, watched incidents of candidates connected nowhere. Exactly one node at a time: the one holding a
 * PostgreSQL advisory lock on a connection of its own. The lock lives as long as that connection, so when the
 * node dies (kill -9, a lost network) PostgreSQL drops it and another node takes it on its next sweep.
 */
import pg from 'pg';

export interface Leadership {
  /** Whether this node is the leader now; tries to become it when no node is. */
  isLeader(): Promise<boolean>;
  close(): Promise<void>;
}

/** One node: always the leader. */
export const SOLE_LEADER: Leadership = { isLeader: async () => true, close: async () => undefined };

/** `scope` names the deployment (its schema), so that two centres sharing a database server do not share a leader. */
export function postgresLeadership(url: string, scope: string, onError: (error: unknown) => void): Leadership {
  let client: pg.Client | null = null;
  let leader = false;
  let closed = false;
  const drop = (error?: unknown) => {
    if (error) onError(error);
    leader = false;
    const old = client;
    client = null;
    old?.end().catch(onError);
  };
  return {
    async isLeader() {
      if (closed) return false;
      if (leader && client) return true;
      try {
        if (!client) {
          const fresh = new pg.Client({ connectionString: url, keepAlive: true });
          fresh.on('error', (error) => {
            if (client === fresh) drop(error); // the connection is gone, and the lock with it
          });
          client = fresh;
          await fresh.connect();
        }
        const row = (await client.query('SELECT pg_try_advisory_lock(hashtext($1)) AS got', [`tanu-leader:${scope}`])).rows[0] as {
          got: boolean;
        };
        leader = row.got;
        return leader;
      } catch (error) {
        drop(error);
        return false;
      }
    },
    async close() {
      closed = true;
      drop();
    },
  };
}
