/**
 * `npm start`: the centre with its embedded default (SQLite and recordings in the data
 * folder), seeded on first start with a demo centre, programme, staff and candidate.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { formatModelProblems, loadManifest, verifyModelFiles } from './models/manifest';
import { createCentreServer, DEFAULT_CONFIG } from './centre-server';
import { systemClock } from './clock';
import { PROJECT_ROOT, readEnv, readIceServers } from './config';
import { readDemoCredentials, seedDemo } from './seed';
import { openSqliteStore } from './store/sqlite-store';

async function main(): Promise<void> {
  const env = readEnv();
  const dataDir = path.resolve(env.TANU_DATA_DIR);
  mkdirSync(dataDir, { recursive: true });

  const modelsDir = path.resolve(env.TANU_MODELS_DIR ?? path.join(PROJECT_ROOT, 'models', 'files'));
  const problems = await verifyModelFiles(loadManifest(path.join(PROJECT_ROOT, 'models', 'manifest.json')), modelsDir);
  if (problems.length > 0) throw new Error(formatModelProblems(problems));

  const store = openSqliteStore(path.join(dataDir, 'tanu.sqlite'));
  const seeded = await seedDemo(store, dataDir, env.TANU_DEMO_PASSWORD);
  let publicUrl = (env.TANU_PUBLIC_URL ?? `http://localhost:${env.PORT}`).replace(/\/$/, '');
  const centre = createCentreServer({
    store,
    clock: systemClock,
    config: {
      ...DEFAULT_CONFIG,
      examTokenTtlMs: env.TANU_EXAM_LINK_DAYS * 24 * 3600_000,
      get publicUrl() {
        return publicUrl;
      },
      staticDir: path.resolve(env.TANU_STATIC_DIR ?? path.join(PROJECT_ROOT, 'dist')),
      modelsDir,
      recordingsDir: path.resolve(env.TANU_RECORDINGS_DIR ?? path.join(dataDir, 'recordings')),
      iceServers: readIceServers(env.TANU_ICE_SERVERS),
      proctorLimit: env.TANU_PROCTOR_LIMIT,
    },
    log: (level, message, detail) => console[level === 'info' ? 'log' : level](`[tanu] ${message}`, detail ?? ''),
  });
  const { port } = await centre.listen(env.PORT, env.HOST);
  if (!env.TANU_PUBLIC_URL) publicUrl = `http://localhost:${port}`; // PORT=0 picks a free port

  const [candidate] = await store.listCandidates();
  const [programme] = await store.listProgrammes();
  const link = candidate && programme ? await centre.issueExamLink(candidate.id, programme.id) : null;
  console.log(`\nTanu centre is running on ${publicUrl}  (data: ${dataDir}${seeded ? ', seeded just now' : ''})`);
  console.log(`  staff log-in:   ${publicUrl}/staff`);
  for (const c of readDemoCredentials(dataDir)) console.log(`    ${c.role.padEnd(9)} ${c.username} / ${c.password}`);
  if (link) console.log(`  candidate exam link (one-time, for ${candidate!.surname} ${candidate!.givenName}):\n    ${link.url}`);
  console.log('');

  const stop = async (signal: string) => {
    console.log(`[tanu] ${signal}: closing`);
    await centre.close();
    store.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err: unknown) => {
  const inUse = (err as { code?: string }).code === 'EADDRINUSE';
  const message = err instanceof Error ? err.message : String(err);
  console.error(`\nTanu could not start:\n${message}${inUse ? '\nAnother program uses that port: stop it, or start Tanu with another, e.g. PORT=8081 npm start.' : ''}\n`);
  process.exit(1);
});
