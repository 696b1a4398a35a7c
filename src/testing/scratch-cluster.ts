/**
 * What a test or a load run of several nodes leaves in the shared services, removed after it: its
 * PostgreSQL schema and its Redis keys (the adapter's stream, named after the schema: src/server/cluster/cluster.ts).
 */
import pg from 'pg';
import { createClient } from 'redis';

export const SCRATCH_POSTGRES_URL = process.env.TANU_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const SCRATCH_REDIS_URL = process.env.TANU_TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';

export async function dropScratch(schema: string): Promise<void> {
  if (!/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`not a scratch schema: ${schema}`);
  const db = new pg.Client({ connectionString: SCRATCH_POSTGRES_URL });
  await db.connect();
  try {
    await db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await db.end();
  }
  const redis = createClient({ url: SCRATCH_REDIS_URL });
  await redis.connect();
  try {
    const keys = await redis.keys(`tanu:${schema}:*`);
    if (keys.length > 0) await redis.del(keys);
  } finally {
    await redis.quit();
  }
}
