/**
 * `npm start`: the centre with its embedded default (SQLite and recordings in the data
 * folder), seeded on first start with a demo centre, programme, staff and candidate.
 * TANU_DATABASE_URL puts the data in PostgreSQL instead.
 */
import { chmodSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { formatModelProblems, loadManifest, verifyModelFiles } from './models/manifest';
import { DEFAULT_CONFIG, DEFAULT_HTTP_TIMEOUTS } from './centre-config';
import { createCentreServer } from './centre-server';
import { DEFAULT_LOGIN_LIMITS } from './http-routes';
import { DEFAULT_CANDIDATE_RATE_LIMITS } from './rate-limit';
import { systemClock } from './clock';
import { PROJECT_ROOT, readEnv, readIceServers } from './config';
import { checkpointFile, LogAnchor, loadLogSecret } from './log-anchor';
import { credentialsFile, readDemoCredentials, seedDemo } from './seed';
import { SINGLE_NODE, connectCluster } from './cluster/cluster';
import { openPostgresStore, withDatabaseLock } from './store/postgres-store';
import { openSqliteStore } from './store/sqlite-store';

async function main(): Promise<void> {
  const env = readEnv();
  const dataDir = path.resolve(env.TANU_DATA_DIR);
  // The data folder holds IINs, faces and recordings: everything this process creates is owner-only,
  // and a folder made by an earlier version is tightened too.
  process.umask(0o077);
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  chmodSync(dataDir, 0o700);

  const modelsDir = path.resolve(env.TANU_MODELS_DIR ?? path.join(PROJECT_ROOT, 'models', 'files'));
  const problems = await verifyModelFiles(loadManifest(path.join(PROJECT_ROOT, 'models', 'manifest.json')), modelsDir);
  if (problems.length > 0) throw new Error(formatModelProblems(problems));

  // The log's secret, from TANU_LOG_SECRET or an owner-only file, never from the database.
  const logKey = loadLogSecret(dataDir, process.env.TANU_LOG_SECRET);
  const schema = env.TANU_DATABASE_SCHEMA;
  const store = env.TANU_DATABASE_URL
    ? await openPostgresStore(env.TANU_DATABASE_URL, { logKey, ...(schema ? { schema } : {}) })
    : openSqliteStore(path.join(dataDir, 'tanu.sqlite'), { logKey });
  // Nodes starting together seed the shared database once.
  const seeded = env.TANU_DATABASE_URL
    ? await withDatabaseLock(env.TANU_DATABASE_URL, `seed:${schema ?? 'public'}`, () => seedDemo(store, dataDir, env.TANU_DEMO_PASSWORD))
    : await seedDemo(store, dataDir, env.TANU_DEMO_PASSWORD);
  const nodeId = env.TANU_NODE_ID ?? 'local';
  const cluster = env.TANU_REDIS_URL
    ? await connectCluster({
        redisUrl: env.TANU_REDIS_URL,
        databaseUrl: env.TANU_DATABASE_URL!,
        scope: schema ?? 'public',
        onError: (what, error) => console.error(`[tanu] ${what}:`, error instanceof Error ? error.message : error),
      })
    : SINGLE_NODE;
  let publicUrl = (env.TANU_PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/$/, '');
  const centre = createCentreServer({
    store,
    clock: systemClock,
    anchor: new LogAnchor(logKey, checkpointFile(dataDir), systemClock.now),
    config: {
      ...DEFAULT_CONFIG,
      examTokenTtlMs: env.TANU_EXAM_LINK_DAYS * 24 * 3600_000,
      get publicUrl() {
        return publicUrl;
      },
      staticDir: path.resolve(env.TANU_STATIC_DIR ?? path.join(PROJECT_ROOT, 'dist')),
      modelsDir,
      recordingsDir: path.resolve(env.TANU_RECORDINGS_DIR ?? path.join(dataDir, 'recordings')),
      nodeId,
      iceServers: readIceServers(env.TANU_ICE_SERVERS),
      proctorLimit: env.TANU_PROCTOR_LIMIT,
      candidateRateLimits: {
        ...DEFAULT_CANDIDATE_RATE_LIMITS,
        events: { perSecond: env.TANU_EVENTS_PER_SECOND, burst: 3 * env.TANU_EVENTS_PER_SECOND },
      },
      loginLimits: { ...DEFAULT_LOGIN_LIMITS, concurrency: env.TANU_LOGIN_CONCURRENCY },
      httpTimeouts: { ...DEFAULT_HTTP_TIMEOUTS, requestMs: env.TANU_REQUEST_TIMEOUT_S * 1000 },
      trustProxy: env.TANU_TRUST_PROXY ?? false,
      verifyUrlTemplate: env.TANU_VERIFY_URL_TEMPLATE ?? null,
    },
    log: (level, message, detail) => console[level === 'info' ? 'log' : level](`[tanu] ${message}`, detail ?? ''),
    cluster,
  });
  const { port } = await centre.listen(env.PORT, env.HOST);
  if (!env.TANU_PUBLIC_URL) publicUrl = `http://localhost:${port}`; // PORT=0 picks a free port

  console.log(`\nTanu centre is running on ${publicUrl}  (data: ${dataDir}${seeded ? ', seeded just now' : ''})`);
  console.log(`  staff log-in:   ${publicUrl}/staff`);
  // Passwords and a demo exam link are printed on the first start only (or when asked):
  // a restart neither shows secrets in the service log again nor creates another exam session.
  if (seeded || env.TANU_PRINT_DEMO_LINKS) {
    for (const c of readDemoCredentials(dataDir)) console.log(`    ${c.role.padEnd(17)} ${c.username} / ${c.password}`);
    const [candidate] = await store.listCandidates();
    const [programme] = await store.listProgrammes();
    const link = candidate && programme ? await centre.issueExamLink(candidate.id, programme.id) : null;
    if (link) console.log(`  candidate exam link (one-time, for ${candidate!.surname} ${candidate!.givenName}):\n    ${link.url}`);
  } else {
    console.log(`  demo passwords: ${credentialsFile(dataDir)} (owner-only); TANU_PRINT_DEMO_LINKS=1 prints them and a new demo exam link`);
  }
  console.log('');

  const stop = async (signal: string) => {
    console.log(`[tanu] ${signal}: closing`);
    await centre.close();
    await cluster.close();
    await store.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err: unknown) => {
  const inUse = (err as { code?: string }).code === 'EADDRINUSE';
  const message = err instanceof Error ? err.message : String(err);
  console.error(
    `\nTanu could not start:\n${message}${inUse ? '\nAnother program uses that port: stop it, or start Tanu with another, e.g. PORT=8081 npm start.' : ''}\n`,
  );
  process.exit(1);
});
