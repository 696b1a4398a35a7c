/** Configuration from the environment, validated once at start with clear messages. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { iceServersSchema, type IceServer } from '../shared/control-room';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().min(1).default('0.0.0.0'),
  TANU_DATA_DIR: z.string().min(1).default('./data'),
  /** The address candidates and staff use, when it differs (a TLS proxy, another host name). */
  TANU_PUBLIC_URL: z.string().url().optional(),
  /** Set a known password for the seeded demo accounts (otherwise random, saved in the data folder). */
  TANU_DEMO_PASSWORD: z.string().min(8).optional(),
  /** Where the verified model files are served from (default: models/files in the project). */
  TANU_MODELS_DIR: z.string().min(1).optional(),
  /** A PostgreSQL database (postgres://user@host:5432/db) in place of the embedded SQLite file, for several centre nodes. */
  TANU_DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'a postgres:// address')
    .optional(),
  /** The PostgreSQL schema Tanu's tables live in (default: public); several centres may share one database. */
  TANU_DATABASE_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]{0,62}$/, 'a lower-case schema name')
    .optional(),
  /** Redis (redis://host:6379) joins this node to the others of the centre; needs TANU_DATABASE_URL. */
  TANU_REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, 'a redis:// address')
    .optional(),
  /** This node's name among the centre's nodes (its temporary files in a shared recordings folder). */
  TANU_NODE_ID: z
    .string()
    .regex(/^[a-z0-9-]{1,40}$/, 'lower-case letters, digits and hyphens')
    .optional(),
  /** Where exam recordings are kept (default: recordings/ in the data folder). */
  TANU_RECORDINGS_DIR: z.string().min(1).optional(),
  TANU_EXAM_LINK_DAYS: z.coerce.number().min(0.001).max(365).default(14),
  /** The built app to serve (default: dist/ in the project). */
  TANU_STATIC_DIR: z.string().min(1).optional(),
  /** STUN/TURN servers for the proctor's live camera, a JSON array of RTCIceServer; none by default (LAN, localhost). */
  TANU_ICE_SERVERS: z.string().optional(),
  /** How many candidates one proctor may be assigned at most. */
  TANU_PROCTOR_LIMIT: z.coerce.number().int().min(1).max(1000).default(30),
  /** Print the staff passwords and issue a new demo exam link on this start (they are printed on the first start only). */
  TANU_PRINT_DEMO_LINKS: z
    .enum(['0', '1'])
    .default('0')
    .transform((v) => v === '1'),
  /** A request whose headers and body have not all arrived in this many seconds is cut off (408). */
  TANU_REQUEST_TIMEOUT_S: z.coerce.number().min(1).max(3600).default(30),
  /** Sustained candidate events per second per exam session (the burst is three times this). */
  TANU_EVENTS_PER_SECOND: z.coerce.number().min(1).max(1000).default(20),
  /** Password checks (scrypt) running at once. */
  TANU_LOGIN_CONCURRENCY: z.coerce.number().int().min(1).max(16).default(2),
  /** The TLS proxy's address (e.g. 127.0.0.1) whose X-Forwarded-For names the client; unset: none is trusted. */
  TANU_TRUST_PROXY: z.string().min(1).optional(),
  /** What a document's QR code holds, with {number} for its serial number; default: this centre's /verify/{number}. */
  TANU_VERIFY_URL_TEMPLATE: z
    .string()
    .regex(/^https?:\/\/\S+$/, 'an http(s) address')
    .refine((t) => t.includes('{number}'), 'must contain {number}, where the serial number goes')
    .optional(),
});
export type Env = z.infer<typeof envSchema>;

export function readEnv(env: NodeJS.ProcessEnv = process.env): Env {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`invalid configuration:\n${lines.join('\n')}`);
  }
  // The nodes share the database and its leader lock; SQLite is one machine's file.
  if (parsed.data.TANU_REDIS_URL && !parsed.data.TANU_DATABASE_URL) {
    throw new Error(
      'invalid configuration:\n  TANU_REDIS_URL: several nodes need a shared database: set TANU_DATABASE_URL (PostgreSQL) too',
    );
  }
  return parsed.data;
}

/** TANU_ICE_SERVERS, e.g. [{"urls":"stun:stun.centre.kz:3478"},{"urls":"turn:turn.centre.kz:3478","username":"u","credential":"p"}]. */
export function readIceServers(text: string | undefined): IceServer[] {
  if (!text) return [];
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error(
      'invalid configuration:\n  TANU_ICE_SERVERS: not JSON (a list of { "urls": "stun:…" | "turn:…", "username"?, "credential"? })',
    );
  }
  const parsed = iceServersSchema.safeParse(value);
  if (!parsed.success)
    throw new Error(
      `invalid configuration:\n  TANU_ICE_SERVERS: ${parsed.error.issues.map((i) => `${i.path.join('.')} ${i.message}`).join('; ')}`,
    );
  return parsed.data;
}
