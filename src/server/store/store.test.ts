import Database from 'better-sqlite3';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isValidIin } from '../../shared/iin';
import { hashToken, newToken, verifyPassword } from '../auth';
import { DEMO_CANDIDATE, readDemoCredentials, seedDemo } from '../seed';
import {
  clientEvent,
  close,
  newSession,
  open,
  PASSWORD,
  RESULT,
  seeded,
  serverEvent,
  T0,
  tempDir,
  useStoreFixtures,
} from '../../testing/store-fixtures';
import { testDatabase } from '../../testing/test-database';
import { SQLITE_MIGRATIONS } from './migrations';
import { POSTGRES_MIGRATIONS } from './postgres-migrations';

const TABLES = [
  'answers',
  'appeal_files',
  'appeals',
  'candidate_accommodations',
  'candidate_references',
  'candidates',
  'centre_audit',
  'centre_counters',
  'centres',
  'document_files',
  'events',
  'evidence',
  'exam_sessions',
  'incident_reviews',
  'issued_documents',
  'procedures',
  'proctor_notes',
  'programmes',
  'protocol_signatures',
  'questions',
  'recording_chunks',
  'reschedule_tasks',
  'session_verdicts',
  'staff_sessions',
  'staff_users',
];
const INDEXES = [
  'events_client_seq',
  'events_server_at',
  'exam_sessions_status',
  'exam_sessions_assigned',
  'events_type_time',
  'exam_sessions_list_at',
  'exam_sessions_status_at',
  'candidates_iin',
];

useStoreFixtures();

describe('migrations', () => {
  it('create the schema in a new database and record the version', async () => {
    const dir = tempDir();
    await close(await open(dir));
    const db = testDatabase(dir);
    if (db.engine === 'sqlite') {
      const raw = new Database(path.join(dir, 'tanu.sqlite'), { readonly: true });
      try {
        const tables = (
          raw.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as Array<{ name: string }>
        ).map((r) => r.name);
        expect(tables).toEqual(TABLES);
        expect(raw.pragma('user_version', { simple: true })).toBe(SQLITE_MIGRATIONS.length);
        const indexes = (
          raw.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%'").all() as Array<{ name: string }>
        ).map((r) => r.name);
        expect(indexes).toEqual(expect.arrayContaining(INDEXES));
      } finally {
        raw.close();
      }
    } else {
      const store = await open(dir);
      expect(await store.getCentre()).toBeNull(); // opened again: nothing migrated twice
      const names = async (sql: string) => (await db.query(sql)).map((r) => String(r.name));
      expect(
        await names(
          "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema() AND table_name <> 'tanu_schema_version' ORDER BY 1",
        ),
      ).toEqual(TABLES);
      expect(await db.query('SELECT version FROM tanu_schema_version')).toEqual([{ version: POSTGRES_MIGRATIONS.length }]);
      expect(await names('SELECT indexname AS name FROM pg_indexes WHERE schemaname = current_schema()')).toEqual(
        expect.arrayContaining(INDEXES),
      );
    }
  });

  it('reopening the same database works and keeps the data', async () => {
    const s = await seeded();
    const session = await newSession(s);
    await s.store.saveAnswer(session, { questionId: 'q01', optionIds: ['c'], rev: 1, savedAt: T0 });
    await s.store.appendEvent(session, serverEvent());
    await close(s.store);

    const again = await open(s.dir);
    expect(await again.getCentre()).not.toBeNull();
    expect((await again.getSession(session))?.status).toBe('issued');
    expect(await again.getAnswers(session)).toEqual([{ questionId: 'q01', optionIds: ['c'], rev: 1, savedAt: T0 }]);
    expect(await again.listEvents(session)).toHaveLength(1);
  });

  it('refuses a database from a newer build', async () => {
    const dir = tempDir();
    const db = testDatabase(dir);
    if (db.engine === 'sqlite') {
      const raw = new Database(path.join(dir, 'tanu.sqlite'));
      raw.pragma(`user_version = ${SQLITE_MIGRATIONS.length + 1}`);
      raw.close();
    } else {
      await close(await open(dir));
      expect(await db.exec('UPDATE tanu_schema_version SET version = ?', POSTGRES_MIGRATIONS.length + 1)).toBe(1);
    }
    await expect(open(dir)).rejects.toThrow(/newer than this build/);
  });

  it('keeps the numbers a browser may send, up to Number.MAX_SAFE_INTEGER (PostgreSQL: migrated from version 1 with data)', async () => {
    const s = await seeded();
    const session = await newSession(s);
    await s.store.saveAnswer(session, { questionId: 'q01', optionIds: ['c'], rev: 1, savedAt: T0 });
    const db = s.db;
    if (db.engine === 'postgres') {
      // A database left at migration 1, where these columns were 32-bit, with a row in each.
      await close(s.store);
      await db.exec('ALTER TABLE answers ALTER COLUMN rev TYPE INTEGER');
      await db.exec('ALTER TABLE events ALTER COLUMN seq TYPE INTEGER');
      await db.exec('ALTER TABLE recording_chunks ALTER COLUMN seq TYPE INTEGER');
      await db.exec('UPDATE tanu_schema_version SET version = 1');
      s.store = await open(s.dir);
      expect(await db.query('SELECT version FROM tanu_schema_version')).toEqual([{ version: POSTGRES_MIGRATIONS.length }]);
    }
    const big = Number.MAX_SAFE_INTEGER;
    await s.store.saveAnswer(session, { questionId: 'q01', optionIds: ['a'], rev: big, savedAt: T0 + 1 });
    expect(await s.store.getAnswers(session)).toEqual([{ questionId: 'q01', optionIds: ['a'], rev: big, savedAt: T0 + 1 }]);
    await s.store.appendEvent(session, clientEvent(big, 'evt-00000001'));
    expect((await s.store.listEvents(session)).map((e) => e.seq)).toEqual([big]);
    expect(await s.store.getRecordingChunk(session, big)).toBeNull();
  });
});

describe('seedDemo', () => {
  it('seeds once: a second call returns false and adds nothing', async () => {
    const s = await seeded();
    expect(await seedDemo(s.store, s.dir, PASSWORD)).toBe(false);
    expect(await s.store.listProgrammes()).toHaveLength(1);
    expect(await s.store.listCandidates()).toHaveLength(1);
  });

  it('the programme has at least 30 questions, each with Kazakh and Russian text (rule 9)', async () => {
    const s = await seeded();
    const programme = await s.store.getProgramme(s.programmeId);
    expect(programme).not.toBeNull();
    const questions = await s.store.getQuestions(s.programmeId);
    expect(questions.length).toBeGreaterThanOrEqual(30);
    expect(questions.length).toBeGreaterThanOrEqual(programme!.questionsPerExam);
    for (const q of questions) {
      expect(q.text.kk.trim(), q.id).not.toBe('');
      expect(q.text.ru.trim(), q.id).not.toBe('');
      expect(q.text.kk, `${q.id}: kk and ru must differ`).not.toBe(q.text.ru);
      for (const o of q.options) {
        expect(o.text.kk.trim(), `${q.id}/${o.id}`).not.toBe('');
        expect(o.text.ru.trim(), `${q.id}/${o.id}`).not.toBe('');
      }
    }
  });

  it('the demo candidate has a valid IIN (Appendix 1)', async () => {
    const s = await seeded();
    const [candidate] = await s.store.listCandidates();
    expect(candidate!.iin).toBe(DEMO_CANDIDATE.iin);
    expect(isValidIin(candidate!.iin)).toBe(true);
  });

  it('staff passwords are stored as scrypt hashes that verify the fixed password, and the credentials file lists them', async () => {
    const s = await seeded();
    const proctor = await s.store.findStaffByUsername('proctor');
    expect(proctor?.role).toBe('proctor');
    expect(proctor!.passwordHash).not.toContain(PASSWORD);
    expect(await verifyPassword(PASSWORD, proctor!.passwordHash)).toBe(true);
    expect(await verifyPassword(`${PASSWORD}x`, proctor!.passwordHash)).toBe(false);
    expect(readDemoCredentials(s.credentialsDir).map((c) => [c.username, c.role, c.password])).toEqual([
      ['proctor', 'proctor', PASSWORD],
      ['reviewer', 'reviewer', PASSWORD],
      ['admin', 'admin', PASSWORD],
      // The commissions, so a new user can try the procedure after the exam.
      ['chair', 'commission_chair', PASSWORD],
      ['member', 'commission_member', PASSWORD],
      ['appeal', 'appeal_commission', PASSWORD],
    ]);
  });
});

describe('saveAnswer (a late, older write never overwrites a newer one)', () => {
  it('applies a newer rev and ignores an older or equal one', async () => {
    const s = await seeded();
    const session = await newSession(s);
    expect(await s.store.saveAnswer(session, { questionId: 'q01', optionIds: ['a'], rev: 1, savedAt: T0 })).toBe(true);
    expect(await s.store.saveAnswer(session, { questionId: 'q01', optionIds: ['c'], rev: 3, savedAt: T0 + 3 })).toBe(true);
    expect(await s.store.saveAnswer(session, { questionId: 'q01', optionIds: ['b'], rev: 2, savedAt: T0 + 4 })).toBe(false);
    expect(await s.store.saveAnswer(session, { questionId: 'q01', optionIds: ['d'], rev: 3, savedAt: T0 + 5 })).toBe(false);
    expect(await s.store.saveAnswer(session, { questionId: 'q02', optionIds: [], rev: 1, savedAt: T0 + 6 })).toBe(true);
    const answers = await s.store.getAnswers(session);
    expect(answers.sort((a, b) => a.questionId.localeCompare(b.questionId))).toEqual([
      { questionId: 'q01', optionIds: ['c'], rev: 3, savedAt: T0 + 3 },
      { questionId: 'q02', optionIds: [], rev: 1, savedAt: T0 + 6 },
    ]);
  });

  it('keeps sessions apart', async () => {
    const s = await seeded();
    const a = await newSession(s);
    const b = await newSession(s);
    await s.store.saveAnswer(a, { questionId: 'q01', optionIds: ['a'], rev: 5, savedAt: T0 });
    expect(await s.store.saveAnswer(b, { questionId: 'q01', optionIds: ['b'], rev: 1, savedAt: T0 })).toBe(true);
    expect((await s.store.getAnswers(a))[0]!.optionIds).toEqual(['a']);
  });
});

describe('exam session lifecycle', () => {
  it('startSession moves issued → in_progress only once', async () => {
    const s = await seeded();
    const session = await newSession(s);
    expect(await s.store.startSession(session, T0, T0 + 40 * 60_000, ['q01', 'q02'])).toBe(true);
    expect(await s.store.startSession(session, T0 + 5, T0 + 99, ['q03'])).toBe(false);
    expect(await s.store.getSession(session)).toMatchObject({
      status: 'in_progress',
      startedAt: T0,
      deadlineAt: T0 + 40 * 60_000,
      questionIds: ['q01', 'q02'],
      currentIndex: 0,
    });
    expect(await s.store.startSession('no-such-session', T0, T0, [])).toBe(false);
  });

  it('finishSession finishes only once and keeps the first result', async () => {
    const s = await seeded();
    const session = await newSession(s);
    await s.store.startSession(session, T0, T0 + 1000, ['q01']);
    expect(await s.store.finishSession(session, 'submitted', T0 + 500, RESULT)).toBe(true);
    expect(await s.store.finishSession(session, 'expired', T0 + 2000, { ...RESULT, finishedBy: 'timeout' })).toBe(false);
    expect(await s.store.startSession(session, T0, T0 + 1000, ['q01'])).toBe(false);
    expect(await s.store.getSession(session)).toMatchObject({ status: 'submitted', finishedAt: T0 + 500, result: RESULT });
  });

  it('an issued session can be finished (e.g. suspended, rule 11) without a result', async () => {
    const s = await seeded();
    const session = await newSession(s);
    expect(await s.store.finishSession(session, 'suspended', T0, null)).toBe(true);
    expect(await s.store.getSession(session)).toMatchObject({ status: 'suspended', result: null });
  });

  it('setLanguage (rule 9) is only possible before the exam starts', async () => {
    const s = await seeded();
    const session = await newSession(s);
    await s.store.setLanguage(session, 'kk');
    await s.store.startSession(session, T0, T0 + 1000, ['q01']);
    await s.store.setLanguage(session, 'ru');
    expect((await s.store.getSession(session))?.language).toBe('kk');
  });

  it('listExpiredInProgress lists in-progress sessions at or past their deadline only', async () => {
    const s = await seeded();
    const early = await newSession(s);
    const late = await newSession(s);
    const done = await newSession(s);
    const issued = await newSession(s);
    await s.store.startSession(early, T0, T0 + 1000, ['q01']);
    await s.store.startSession(late, T0, T0 + 5000, ['q01']);
    await s.store.startSession(done, T0, T0 + 1000, ['q01']);
    await s.store.finishSession(done, 'submitted', T0 + 10, RESULT);
    const ids = async (now: number) => (await s.store.listExpiredInProgress(now)).map((r) => r.id).sort();
    expect(await ids(T0 + 999)).toEqual([]);
    expect(await ids(T0 + 1000)).toEqual([early]);
    expect(await ids(T0 + 5000)).toEqual([early, late].sort());
    expect(await ids(T0 + 5000)).not.toContain(issued);
  });

  it('findSessionByTokenHash finds by the token hash only', async () => {
    const s = await seeded();
    const token = newToken();
    await s.store.createExamSession({
      id: 'by-token',
      candidateId: s.candidateId,
      programmeId: s.programmeId,
      tokenHash: hashToken(token),
      tokenExpiresAt: T0 + 1,
      createdAt: T0,
    });
    expect((await s.store.findSessionByTokenHash(hashToken(token)))?.id).toBe('by-token');
    expect(await s.store.findSessionByTokenHash(token)).toBeNull();
  });
});

describe('staff sessions', () => {
  it('are found until they expire, and not after', async () => {
    const s = await seeded();
    const admin = await s.store.findStaffByUsername('admin');
    const tokenHash = hashToken(newToken());
    await s.store.createStaffSession(tokenHash, admin!.id, T0 + 1000);
    expect((await s.store.findStaffSession(tokenHash, T0))?.username).toBe('admin');
    expect(await s.store.findStaffSession(tokenHash, T0 + 999)).not.toBeNull();
    expect(await s.store.findStaffSession(tokenHash, T0 + 1000)).toBeNull();
    expect(await s.store.findStaffSession(tokenHash, T0 + 5000)).toBeNull();
    expect(await s.store.findStaffSession(hashToken(newToken()), T0)).toBeNull();
  });

  it('are gone after logout', async () => {
    const s = await seeded();
    const proctor = await s.store.findStaffByUsername('proctor');
    const tokenHash = hashToken(newToken());
    await s.store.createStaffSession(tokenHash, proctor!.id, T0 + 1000);
    await s.store.deleteStaffSession(tokenHash);
    expect(await s.store.findStaffSession(tokenHash, T0)).toBeNull();
  });
});

describe('steps before the exam', () => {
  it('updatePrestart merges one step at a time and keeps the others', async () => {
    const s = await seeded();
    const session = await newSession(s);
    expect(await s.store.getPrestart(session)).toEqual({});
    await s.store.updatePrestart(session, { systemCheck: { ok: true, at: T0 } });
    const merged = await s.store.updatePrestart(session, {
      consent: { version: 'v1', textSha256: 'ab'.repeat(32), language: 'kk', at: T0 + 1 },
    });
    expect(merged).toEqual({
      systemCheck: { ok: true, at: T0 },
      consent: { version: 'v1', textSha256: 'ab'.repeat(32), language: 'kk', at: T0 + 1 },
    });
    expect(await s.store.getPrestart(session)).toEqual(merged);
    await expect(s.store.updatePrestart('no-such-session', { systemCheck: { ok: false, at: T0 } })).rejects.toThrow(/no session/);
  });

  it('keeps one reference face per candidate, the descriptor exact to the bit', async () => {
    const s = await seeded();
    const candidateId = (await s.store.listCandidates())[0]!.id;
    expect(await s.store.getCandidateReference(candidateId)).toBeNull();
    const descriptor = Float32Array.from({ length: 1024 }, (_, i) => Math.sin(i) / 3);
    const jpeg = new Uint8Array([0xff, 0xd8, 1, 2, 3]);
    await s.store.putCandidateReference({ candidateId, jpeg, sha256: 'cd'.repeat(32), descriptor, source: 'enrolled', storedAt: T0 });
    await s.store.putCandidateReference({ candidateId, jpeg, sha256: 'ef'.repeat(32), descriptor, source: 'file', storedAt: T0 + 1 });
    const row = await s.store.getCandidateReference(candidateId);
    expect(row).toMatchObject({ candidateId, sha256: 'ef'.repeat(32), source: 'file', storedAt: T0 + 1 });
    expect(Array.from(row!.jpeg)).toEqual(Array.from(jpeg));
    expect(Array.from(row!.descriptor)).toEqual(Array.from(descriptor));
  });
});
