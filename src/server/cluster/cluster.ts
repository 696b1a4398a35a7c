/**
 * A centre on several nodes. socket.io's broadcasts (the proctors' live feed, a proctor's act for a
 * candidate, the live-camera signalling) cross nodes through Redis with socket.io's Redis Streams adapter: unlike
 * the pub/sub adapter it reads a stream from where it left off, so a Redis restart or a short loss of Redis
 * delays messages instead of losing them. Centre-wide timers run on one node at a time (leadership.ts).
 * Without TANU_REDIS_URL the centre is one node: no adapter, always the leader.
 */
import { createAdapter } from '@socket.io/redis-streams-adapter';
import { createClient } from 'redis';
import { postgresLeadership, SOLE_LEADER, type Leadership } from './leadership';

export interface CentreCluster {
  /** socket.io's adapter factory for `io.adapter()`; null on one node. */
  adapter: ReturnType<typeof createAdapter> | null;
  leadership: Leadership;
  close(): Promise<void>;
}

export const SINGLE_NODE: CentreCluster = { adapter: null, leadership: SOLE_LEADER, close: async () => undefined };

export interface ClusterOptions {
  redisUrl: string;
  databaseUrl: string;
  /** Names this deployment in Redis and in the leader's lock (two centres may share the servers). */
  scope: string;
  onError: (message: string, error: unknown) => void;
}

/** A node's heartbeat to the others, and how long silence means a node is gone (socket.io's cluster adapter). */
export const HEARTBEAT_MS = 2_000;
export const NODE_GONE_MS = 6_000;

export async function connectCluster(options: ClusterOptions): Promise<CentreCluster> {
  const redis = createClient({ url: options.redisUrl });
  // Without a listener a lost Redis connection would end the process; the client reconnects by itself.
  redis.on('error', (error: unknown) => options.onError('redis', error));
  await redis.connect();
  const leadership = postgresLeadership(options.databaseUrl, options.scope, (error) => options.onError('leader lock', error));
  return {
    adapter: createAdapter(redis, {
      streamName: `tanu:${options.scope}:socket.io`,
      channelPrefix: `tanu:${options.scope}`,
      heartbeatInterval: HEARTBEAT_MS,
      heartbeatTimeout: NODE_GONE_MS,
    }),
    leadership,
    async close() {
      await leadership.close();
      await redis.quit().catch((error: unknown) => options.onError('redis quit', error));
    },
  };
}
