/**
 * Fixtures for the store tests, on the engine the test project names (test-database.ts): temp folders and
 * stores closed after each test. On SQLite a demo-seeded database is made once per file (seedDemo hashes
 * passwords with scrypt, slow on purpose) and copied for each test; on PostgreSQL each test seeds a schema.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { hashToken, newToken } from '../server/auth';
import { seedDemo } from '../server/seed';
import { openSqliteStore } from '../server/store/sqlite-store';
import type { NewEvent, Store } from '../server/store/store';
import type { ExamResult } from '../shared/protocol';
import { testDatabase, TEST_STORE_ENGINE, type TestDatabase } from './test-database';

export const PASSWORD = 'fixed-test-password';
export const T0 = 1_750_000_000_000;

const tempDirs: string[] = [];
const openStores: Store[] = [];
export function tempDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'tanu-store-'));
  tempDirs.push(dir);
  return dir;
}
/** Opens (again) the test database kept in `dir`. */
export async function open(dir: string): Promise<Store> {
  const store = await testDatabase(dir).open();
  openStores.push(store);
  return store;
}
export async function close(store: Store): Promise<void> {
  await store.close();
  openStores.splice(openStores.indexOf(store), 1);
}

// The demo-seeded template: one per test file, copied for each test.
let templateDir = '';
let templateFile = '';

/** The folder the template was seeded in (it holds the demo credentials file). */
export function templateFolder(): string {
  return templateDir;
}

/** Call once at the top of a test file: cleans up after each test and seeds the template once. */
export function useStoreFixtures(): void {
  afterEach(async () => {
    for (const s of openStores.splice(0)) await s.close();
    for (const dir of [...tempDirs]) await testDatabase(dir).drop();
    for (const d of tempDirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  beforeAll(async () => {
    if (TEST_STORE_ENGINE !== 'sqlite') return;
    templateDir = mkdtempSync(path.join(os.tmpdir(), 'tanu-store-template-'));
    templateFile = path.join(templateDir, 'tanu.sqlite');
    const store = openSqliteStore(templateFile);
    try {
      expect(await seedDemo(store, templateDir, PASSWORD)).toBe(true);
    } finally {
      await store.close(); // checkpoints the WAL into the main file
    }
  });
  afterAll(() => {
    if (templateDir) rmSync(templateDir, { recursive: true, force: true });
  });
}

export interface Seeded {
  store: Store;
  /** The database beside the store (tampering tests). */
  db: TestDatabase;
  dir: string;
  /** Where the demo credentials file of this store's seeding is. */
  credentialsDir: string;
  candidateId: string;
  programmeId: string;
}
export async function seeded(): Promise<Seeded> {
  const dir = tempDir();
  const db = testDatabase(dir);
  if (db.engine === 'sqlite') copyFileSync(templateFile, path.join(dir, 'tanu.sqlite'));
  const store = await open(dir);
  if (db.engine !== 'sqlite') expect(await seedDemo(store, dir, PASSWORD)).toBe(true);
  const [candidate] = await store.listCandidates();
  const [programme] = await store.listProgrammes();
  return {
    store,
    db,
    dir,
    credentialsDir: db.engine === 'sqlite' ? templateDir : dir,
    candidateId: candidate!.id,
    programmeId: programme!.id,
  };
}

let sessionCounter = 0;
export async function newSession(s: Seeded, createdAt = T0): Promise<string> {
  const id = `session-${++sessionCounter}`;
  await s.store.createExamSession({
    id,
    candidateId: s.candidateId,
    programmeId: s.programmeId,
    tokenHash: hashToken(newToken()),
    tokenExpiresAt: createdAt + 86_400_000,
    createdAt,
  });
  return id;
}

export const clientEvent = (seq: number, id: string, over: Partial<NewEvent> = {}): NewEvent => ({
  origin: 'client',
  seq,
  eventId: id,
  type: 'env.tab_hidden',
  clientAt: T0 + seq,
  serverAt: T0 + 10 * seq,
  data: null,
  ...over,
});
export const serverEvent = (over: Partial<NewEvent> = {}): NewEvent => ({
  origin: 'server',
  seq: null,
  eventId: null,
  type: 'session.connected',
  clientAt: null,
  serverAt: T0,
  data: null,
  ...over,
});

export const RESULT: ExamResult = { correct: 22, total: 30, percent: 73.3, admitted: true, finishedBy: 'candidate' };
