/**
 * SQLite implementation of the Store (better-sqlite3 12.x). WAL journal with
 * synchronous=FULL: a commit is on disk before the server acknowledges it, so a
 * kill -9 or a power cut never loses an acknowledged answer or event.
 */
import { chmodSync, existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { GENESIS_HASH } from '../../shared/canonical-json';
import type { ExamLanguage, SeedQuestion, TechMapItem } from '../../shared/programme';
import { CHART_ONLY_EVENT_TYPES, eventLevel, type EventType, type ExamResult, type SessionStatus, type StaffRole } from '../../shared/protocol';
import { chainHash } from '../event-chain';
import { SQLITE_MIGRATIONS } from './migrations';
import { sqliteAdminStore } from './sqlite-admin-store';
import { applyAppealWrite, sqliteAppealStore } from './sqlite-appeal-store';
import { sqliteAccommodationStore } from './sqlite-accommodation-store';
import { applyProcedureWrite, sqliteProcedureStore } from './sqlite-procedure-store';
import { listSessionPage, registerSessionListFunctions } from './session-list-query';
import type { ProctorNote, StaffActor } from '../../shared/control-room';
import type { SessionVerdict } from '../../shared/review-verdict';
import type {
  CandidateReferenceRow, IncidentReviewRow, PrestartRecord, ProctorNoteRow,
  AnswerRow, AppendResult, CandidateRow, LoggedWrite, RunningPatch, CentreRow, EventRow, EvidenceRow, ExamSessionRow, NewEvent, ProgrammeRow, RecordingChunkRow, SessionPolicy, StaffUserRow, Store,
} from './store';
import type { ProctoringOverrides } from '../../shared/proctoring-config';
import type { Accommodations } from '../../shared/accommodations';

type Row = Record<string, unknown>;

function migrate(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > SQLITE_MIGRATIONS.length) {
    throw new Error(`database schema version ${current} is newer than this build knows (${SQLITE_MIGRATIONS.length}); upgrade Tanu`);
  }
  for (let v = current; v < SQLITE_MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(SQLITE_MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}

const json = (value: unknown): string => JSON.stringify(value ?? null);
const isWriteList = (w: LoggedWrite | readonly LoggedWrite[]): w is readonly LoggedWrite[] => Array.isArray(w);
const parse = <T>(text: unknown): T => JSON.parse(String(text)) as T;

function toSession(r: Row): ExamSessionRow {
  return {
    id: String(r.id),
    candidateId: String(r.candidate_id),
    programmeId: String(r.programme_id),
    tokenExpiresAt: Number(r.token_expires_at),
    status: r.status as SessionStatus,
    language: (r.language as ExamLanguage | null) ?? null,
    createdAt: Number(r.created_at),
    startedAt: r.started_at == null ? null : Number(r.started_at),
    deadlineAt: r.deadline_at == null ? null : Number(r.deadline_at),
    finishedAt: r.finished_at == null ? null : Number(r.finished_at),
    currentIndex: Number(r.current_index),
    questionIds: parse<string[]>(r.question_ids_json),
    result: r.result_json == null ? null : parse<ExamResult>(r.result_json),
    policy: r.policy_json == null ? null : parse<SessionPolicy>(r.policy_json),
    paused: r.paused_json == null ? null : parse<{ at: number; reason: string; until?: number }>(r.paused_json),
    accommodations: r.accommodations_json == null ? null : parse<Accommodations>(r.accommodations_json),
    assignedTo: (r.assigned_to as string | null) ?? null,
  };
}

function toNote(r: Row): ProctorNoteRow {
  return { ...parse<ProctorNote>(r.body_json), acknowledgedAt: r.acknowledged_at == null ? null : Number(r.acknowledged_at), reply: (r.reply as string | null) ?? null };
}

function toReview(r: Row): IncidentReviewRow & { sessionId: string } {
  return {
    sessionId: String(r.session_id),
    incidentId: String(r.incident_id),
    decision: r.decision as IncidentReviewRow['decision'],
    comment: (r.comment as string | null) ?? null,
    by: parse(r.by_json),
    at: Number(r.at),
  };
}

function toEvent(r: Row): EventRow {
  return {
    sessionId: String(r.session_id),
    index: Number(r.idx),
    origin: r.origin as 'client' | 'server',
    seq: r.seq == null ? null : Number(r.seq),
    eventId: (r.event_id as string | null) ?? null,
    type: r.type as EventType,
    clientAt: r.client_at == null ? null : Number(r.client_at),
    serverAt: Number(r.server_at),
    data: parse<unknown>(r.data_json),
    prevHash: String(r.prev_hash),
    hash: String(r.hash),
    hashVersion: r.hash_version === 2 ? 2 : 1,
  };
}

function toProgramme(r: Row): ProgrammeRow {
  return {
    id: String(r.id),
    centreId: String(r.centre_id),
    code: String(r.code),
    profession: parse(r.profession_json),
    oked: String(r.oked),
    occupationCode: String(r.occupation_code),
    nqfLevel: Number(r.nqf_level),
    durationMinutes: Number(r.duration_minutes),
    questionsPerExam: Number(r.questions_per_exam),
    proctoring: parse<ProctoringOverrides>(r.proctoring_json),
    technologicalMap: parse<TechMapItem[]>(r.tech_map_json ?? '[]'),
  };
}

function toStaff(r: Row): StaffUserRow {
  return {
    id: String(r.id),
    username: String(r.username),
    displayName: String(r.display_name),
    role: r.role as StaffRole,
    passwordHash: String(r.password_hash),
  };
}

function toRecordingChunk(r: Row): RecordingChunkRow {
  return {
    seq: Number(r.seq),
    bytes: Number(r.bytes),
    sha256: String(r.sha256),
    durationMs: Number(r.duration_ms),
    startedAt: Number(r.started_at),
    storedAt: Number(r.stored_at),
    header: r.header === 1,
  };
}

function toCandidate(r: Row): CandidateRow {
  return {
    id: String(r.id),
    centreId: String(r.centre_id),
    surname: String(r.surname),
    givenName: String(r.given_name),
    patronymic: (r.patronymic as string | null) ?? null,
    iin: String(r.iin),
    email: (r.email as string | null) ?? null,
  };
}

/**
 * logKey: the centre's log secret (LogAnchor): entries are then HMAC-linked (version 2). Without it
 * (unit tests, tools) entries are plain SHA-256 (version 1), which a keyed centre does not trust.
 */
export function openSqliteStore(file: string, options: { logKey?: Uint8Array } = {}): Store {
  const logKey = options.logKey ?? null;
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  // Issue 11: IINs and faces: owner-only, also for a database made by an earlier version (and its WAL files).
  for (const f of [file, `${file}-wal`, `${file}-shm`]) if (existsSync(f)) chmodSync(f, 0o600);
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  registerSessionListFunctions(db);

  // Each statement is compiled once and reused: better-sqlite3's prepare() costs about as much as a small
  // query, and was 1.7 s of the centre's 28 s of CPU in a minute of 300 candidates. Statements whose text is
  // built (IN lists) are cached too, within a bound.
  const statements = new Map<string, Database.Statement>();
  const sql = (text: string): Database.Statement => {
    let statement = statements.get(text);
    if (!statement) {
      if (statements.size >= 500) statements.clear();
      statement = db.prepare(text);
      statements.set(text, statement);
    }
    return statement;
  };

  const q = {
    lastEvent: sql('SELECT idx, hash FROM events WHERE session_id = ? ORDER BY idx DESC LIMIT 1'),
    eventBySeq: sql("SELECT * FROM events WHERE session_id = ? AND origin = 'client' AND seq = ?"),
    insertEvent: sql(`INSERT INTO events (session_id, idx, origin, seq, event_id, type, client_at, server_at, data_json, level, prev_hash, hash, hash_version)
      VALUES (@sessionId, @index, @origin, @seq, @eventId, @type, @clientAt, @serverAt, @dataJson, @level, @prevHash, @hash, @hashVersion)`),
    answer: sql('SELECT rev FROM answers WHERE session_id = ? AND question_id = ?'),
    upsertAnswer: sql(`INSERT INTO answers (session_id, question_id, option_ids_json, rev, saved_at) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (session_id, question_id) DO UPDATE SET option_ids_json = excluded.option_ids_json, rev = excluded.rev, saved_at = excluded.saved_at`),
    session: sql('SELECT * FROM exam_sessions WHERE id = ?'),
  };

  const appendEvent = db.transaction((sessionId: string, e: NewEvent): AppendResult => {
    if (e.origin === 'client' && e.seq != null) {
      const existing = q.eventBySeq.get(sessionId, e.seq) as Row | undefined;
      if (existing) {
        return existing.event_id === e.eventId
          ? { kind: 'duplicate', event: toEvent(existing) }
          : { kind: 'conflict', message: `sequence ${e.seq} was already used by another event` };
      }
    }
    const last = q.lastEvent.get(sessionId) as { idx: number; hash: string } | undefined;
    const index = last ? last.idx + 1 : 0;
    const prevHash = last ? last.hash : GENESIS_HASH;
    const hash = chainHash(prevHash, sessionId, index, e, logKey);
    const row: EventRow = { ...e, data: e.data ?? null, sessionId, index, prevHash, hash, hashVersion: logKey ? 2 : 1 };
    q.insertEvent.run({ ...row, dataJson: json(row.data), level: eventLevel(row.type, row.data) });
    return { kind: 'appended', event: row };
  });

  const saveAnswer = db.transaction((sessionId: string, a: AnswerRow): boolean => {
    const existing = q.answer.get(sessionId, a.questionId) as { rev: number } | undefined;
    if (existing && existing.rev >= a.rev) return false;
    q.upsertAnswer.run(sessionId, a.questionId, json(a.optionIds), a.rev, a.savedAt);
    return true;
  });

  const updateRunning = (id: string, patch: RunningPatch): boolean => {
    const sets: string[] = [];
    const args: unknown[] = [];
    if (patch.deadlineAt !== undefined) {
      sets.push('deadline_at = ?');
      args.push(patch.deadlineAt);
    }
    if (patch.paused !== undefined) {
      sets.push('paused_json = ?');
      args.push(patch.paused === null ? null : json(patch.paused));
    }
    if (sets.length === 0) return true;
    return sql(`UPDATE exam_sessions SET ${sets.join(', ')} WHERE id = ? AND status = 'in_progress'`).run(...args, id).changes === 1;
  };
  const reinstateSession = (id: string, deadlineAt: number, policy: SessionPolicy): boolean =>
    sql(`UPDATE exam_sessions SET status = 'in_progress', deadline_at = ?, finished_at = NULL, result_json = NULL, paused_json = NULL, policy_json = ?
      WHERE id = ? AND status IN ('terminated', 'suspended')`).run(deadlineAt, json(policy), id).changes === 1;
  const putIncidentReview = (sessionId: string, r: IncidentReviewRow): void => {
    sql(`INSERT INTO incident_reviews (session_id, incident_id, decision, comment, by_json, at) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT (session_id, incident_id) DO UPDATE SET decision = excluded.decision, comment = excluded.comment, by_json = excluded.by_json, at = excluded.at`)
      .run(sessionId, r.incidentId, r.decision, r.comment, json(r.by), r.at);
  };
  const putNote = (sessionId: string, note: ProctorNote): void => {
    sql('INSERT INTO proctor_notes (session_id, id, body_json, at) VALUES (?, ?, ?, ?)').run(sessionId, note.id, json(note), note.at);
  };
  const ackNote = (sessionId: string, noteId: string, at: number, reply: string | null): boolean =>
    sql('UPDATE proctor_notes SET acknowledged_at = ?, reply = ? WHERE session_id = ? AND id = ? AND acknowledged_at IS NULL').run(at, reply, sessionId, noteId).changes === 1;

  const putVerdict = (sessionId: string, v: SessionVerdict): boolean => {
    // Rule 11 via issue 12: an overturned termination sends the session to the centre for rescheduling.
    if (v.kind === 'termination_overturned' && sql("UPDATE exam_sessions SET status = 'suspended' WHERE id = ? AND status = 'terminated'").run(sessionId).changes !== 1) return false;
    sql(`INSERT INTO session_verdicts (session_id, kind, incident_ids_json, comment, by_json, at) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT (session_id) DO UPDATE SET kind = excluded.kind, incident_ids_json = excluded.incident_ids_json, comment = excluded.comment, by_json = excluded.by_json, at = excluded.at`)
      .run(sessionId, v.kind, json(v.incidentIds), v.comment, json(v.by), v.at);
    return true;
  };
  const toVerdict = (r: Row): SessionVerdict => ({
    kind: r.kind as SessionVerdict['kind'], incidentIds: parse<string[]>(r.incident_ids_json), comment: r.comment as string, by: parse<StaffActor>(r.by_json), at: r.at as number,
  });

  const applyWrite = (id: string, w: LoggedWrite): boolean => {
    switch (w.kind) {
      case 'answer':
        return saveAnswer(id, w.answer);
      case 'language':
        return sql("UPDATE exam_sessions SET language = ? WHERE id = ? AND status = 'issued' AND language IS NOT ?").run(w.language, id, w.language).changes === 1;
      case 'finish':
        return sql(`UPDATE exam_sessions SET status = ?, finished_at = ?, result_json = ? WHERE id = ? AND status IN ('issued', 'in_progress')`)
          .run(w.status, w.finishedAt, w.result ? json(w.result) : null, id).changes === 1;
      case 'policy':
        return sql('UPDATE exam_sessions SET policy_json = ? WHERE id = ?').run(json(w.policy), id).changes === 1;
      case 'review':
        putIncidentReview(id, w.review);
        return true;
      case 'note':
        putNote(id, w.note);
        return true;
      case 'note-read':
        return ackNote(id, w.noteId, w.at, w.reply);
      case 'running':
        return updateRunning(id, w.patch);
      case 'reinstate':
        return reinstateSession(id, w.deadlineAt, w.policy);
      case 'prestart':
        updatePrestart(id, w.patch);
        return true;
      case 'verdict':
        return putVerdict(id, w.verdict);
      case 'appeal':
      case 'appeal-decided':
        return applyAppealWrite(sql, id, w);
      default:
        return applyProcedureWrite(sql, id, w);
    }
  };
  /** Thrown inside the transaction when a part of a write is not applied: everything rolls back. */
  class NotApplied extends Error {}
  // Nested better-sqlite3 transactions become savepoints: one commit for the writes and their entries.
  const writeAll = db.transaction((id: string, writes: readonly LoggedWrite[], events: readonly NewEvent[]) => {
    for (const w of writes) if (!applyWrite(id, w)) throw new NotApplied();
    const rows = events.map((e) => {
      const r = appendEvent(id, e);
      if (r.kind !== 'appended') throw new Error(`log entry ${e.type} not appended: ${r.kind}`);
      return r.event;
    });
    return { applied: true, events: rows };
  });
  const writeWithEvents = (id: string, write: LoggedWrite | readonly LoggedWrite[], events: readonly NewEvent[]): { applied: boolean; events: EventRow[] } => {
    try {
      return writeAll(id, isWriteList(write) ? write : [write], events);
    } catch (err) {
      if (err instanceof NotApplied) return { applied: false, events: [] };
      throw err;
    }
  };

  const createProgramme = db.transaction((p: ProgrammeRow, questions: SeedQuestion[]) => {
    sql(`INSERT INTO programmes (id, centre_id, code, profession_json, oked, occupation_code, nqf_level, duration_minutes, questions_per_exam, proctoring_json, tech_map_json)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(
      p.id, p.centreId, p.code, json(p.profession), p.oked, p.occupationCode, p.nqfLevel, p.durationMinutes, p.questionsPerExam, json(p.proctoring), json(p.technologicalMap ?? []),
    );
    const insert = sql('INSERT INTO questions (programme_id, id, position, body_json) VALUES (?, ?, ?, ?)');
    questions.forEach((question, i) => insert.run(p.id, question.id, i, json(question)));
  });

  const updatePrestart = db.transaction((id: string, patch: Partial<PrestartRecord>): PrestartRecord => {
    const r = sql('SELECT prestart_json FROM exam_sessions WHERE id = ?').get(id) as Row | undefined;
    if (!r) throw new Error(`no session ${id}`);
    const merged: PrestartRecord = { ...parse<PrestartRecord>(r.prestart_json), ...patch };
    sql('UPDATE exam_sessions SET prestart_json = ? WHERE id = ?').run(json(merged), id);
    return merged;
  });

  const putEvidence = db.transaction((sessionId: string, e: EvidenceRow): 'stored' | 'duplicate' | 'conflict' => {
    const existing = sql('SELECT sha256 FROM evidence WHERE session_id = ? AND incident_id = ?').get(sessionId, e.incidentId) as { sha256: string } | undefined;
    if (existing) return existing.sha256 === e.sha256 ? 'duplicate' : 'conflict';
    sql('INSERT INTO evidence (session_id, incident_id, sha256, mime, bytes, stored_at) VALUES (?, ?, ?, ?, ?, ?)')
      .run(sessionId, e.incidentId, e.sha256, e.mime, Buffer.from(e.bytes), e.storedAt);
    return 'stored';
  });

  const putRecordingChunk = db.transaction((sessionId: string, c: RecordingChunkRow): 'stored' | 'duplicate' | 'conflict' => {
    const existing = sql('SELECT sha256 FROM recording_chunks WHERE session_id = ? AND seq = ?').get(sessionId, c.seq) as { sha256: string } | undefined;
    if (existing) return existing.sha256 === c.sha256 ? 'duplicate' : 'conflict';
    sql('INSERT INTO recording_chunks (session_id, seq, bytes, sha256, duration_ms, started_at, stored_at, header) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
      .run(sessionId, c.seq, c.bytes, c.sha256, c.durationMs, c.startedAt, c.storedAt, c.header ? 1 : 0);
    return 'stored';
  });

  /*
   * Group commit. Every commit waits for the disk (synchronous = FULL: an acknowledged event, answer or
   * chunk survives a power cut), and under 300 candidates those waits, one per write, held the event loop
   * for about a third of its time and pushed the answers' round trip p99 to ~0.8 s. The frequent writes
   * are queued and committed together once per turn of the event loop: one transaction and one disk
   * wait for all of them, each in a savepoint of its own (one that fails rolls back alone and rejects
   * alone). Nothing is acknowledged before the commit that holds it.
   */
  type Queued = { write: () => unknown; resolve: (value: never) => void; reject: (error: unknown) => void };
  const queued: Queued[] = [];
  const commitQueued = (): void => {
    const batch = queued.splice(0);
    const outcomes: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
    try {
      db.transaction(() => {
        for (const q of batch) {
          try {
            outcomes.push({ ok: true, value: db.transaction(q.write)() });
          } catch (error) {
            outcomes.push({ ok: false, error });
          }
        }
      })();
    } catch (error) {
      for (const q of batch) q.reject(error); // the commit itself failed: nothing of the batch is stored
      return;
    }
    batch.forEach((q, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) q.resolve(outcome.value as never);
      else q.reject(outcome.error);
    });
  };
  const grouped = <T>(write: () => T): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (queued.push({ write, resolve: resolve as (value: never) => void, reject }) === 1) setImmediate(commitQueued);
    });

  const one = <T>(stmt: Database.Statement, map: (r: Row) => T, ...args: unknown[]): T | null => {
    const r = stmt.get(...args) as Row | undefined;
    return r ? map(r) : null;
  };

  return {
    ...sqliteAdminStore(db, sql),
    ...sqliteProcedureStore(db, sql),
    ...sqliteAppealStore(db, sql),
    ...sqliteAccommodationStore(db, sql),
    close: () => {
      if (queued.length > 0) commitQueued(); // writes waiting for their turn are committed, not dropped
      db.close();
    },

    getCentre: async () => {
      const r = sql('SELECT * FROM centres LIMIT 1').get() as Row | undefined;
      if (!r) return null;
      const contact = parse<{ phone?: string | null; email?: string | null }>(r.contact_json);
      return {
        id: String(r.id), name: parse(r.name_json), accreditationNo: String(r.accreditation_no), contact: { phone: contact.phone ?? null, email: contact.email ?? null },
        headName: String(r.head_name ?? ''),
      };
    },
    createCentre: async (c: CentreRow) => {
      sql('INSERT INTO centres (id, name_json, accreditation_no, contact_json, head_name) VALUES (?, ?, ?, ?, ?)').run(c.id, json(c.name), c.accreditationNo, json(c.contact ?? {}), c.headName ?? '');
    },
    createProgramme: async (p, questions) => createProgramme(p, questions),
    getProgramme: async (id) => one(sql('SELECT * FROM programmes WHERE id = ?'), toProgramme, id),
    listProgrammes: async () => (sql('SELECT * FROM programmes ORDER BY code').all() as Row[]).map(toProgramme),
    getQuestions: async (programmeId) =>
      (sql('SELECT body_json FROM questions WHERE programme_id = ? ORDER BY position').all(programmeId) as Row[]).map((r) => parse<SeedQuestion>(r.body_json)),

    createStaffUser: async (u) => {
      sql('INSERT INTO staff_users (id, username, display_name, role, password_hash) VALUES (?, ?, ?, ?, ?)').run(u.id, u.username, u.displayName, u.role, u.passwordHash);
    },
    findStaffByUsername: async (username) => one(sql('SELECT * FROM staff_users WHERE username = ?'), toStaff, username),
    createStaffSession: async (tokenHash, userId, expiresAt) => {
      sql('INSERT INTO staff_sessions (token_hash, user_id, expires_at) VALUES (?, ?, ?)').run(tokenHash, userId, expiresAt);
    },
    findStaffSession: async (tokenHash, now) =>
      one(sql('SELECT u.* FROM staff_sessions s JOIN staff_users u ON u.id = s.user_id WHERE s.token_hash = ? AND s.expires_at > ?'), toStaff, tokenHash, now),
    deleteStaffSession: async (tokenHash) => {
      sql('DELETE FROM staff_sessions WHERE token_hash = ?').run(tokenHash);
    },

    createCandidate: async (c) => {
      sql('INSERT INTO candidates (id, centre_id, surname, given_name, patronymic, iin, email) VALUES (?, ?, ?, ?, ?, ?, ?)').run(c.id, c.centreId, c.surname, c.givenName, c.patronymic, c.iin, c.email);
    },
    getCandidate: async (id) => one(sql('SELECT * FROM candidates WHERE id = ?'), toCandidate, id),
    listCandidates: async () => (sql('SELECT * FROM candidates ORDER BY surname, given_name').all() as Row[]).map(toCandidate),

    createExamSession: async (s) => {
      sql(`INSERT INTO exam_sessions (id, candidate_id, programme_id, token_hash, token_expires_at, status, created_at)
        VALUES (?, ?, ?, ?, ?, 'issued', ?)`).run(s.id, s.candidateId, s.programmeId, s.tokenHash, s.tokenExpiresAt, s.createdAt);
    },
    findSessionByTokenHash: async (tokenHash) => one(sql('SELECT * FROM exam_sessions WHERE token_hash = ?'), toSession, tokenHash),
    getSession: async (id) => one(q.session, toSession, id),
    listSessionPage: async (query, options) => listSessionPage(sql, query, options),
    listSessions: async (filter) => {
      const statuses = filter?.statuses;
      const rows = statuses?.length
        ? sql(`SELECT * FROM exam_sessions WHERE status IN (${statuses.map(() => '?').join(',')}) ORDER BY created_at`).all(...statuses)
        : sql('SELECT * FROM exam_sessions ORDER BY created_at').all();
      return (rows as Row[]).map(toSession);
    },
    setLanguage: async (id, language) => {
      sql("UPDATE exam_sessions SET language = ? WHERE id = ? AND status = 'issued'").run(language, id);
    },
    startSession: async (id, startedAt, deadlineAt, questionIds, accommodations = null) =>
      sql(`UPDATE exam_sessions SET status = 'in_progress', started_at = ?, deadline_at = ?, question_ids_json = ?, current_index = 0, accommodations_json = ?
        WHERE id = ? AND status = 'issued'`).run(startedAt, deadlineAt, json(questionIds), accommodations ? json(accommodations) : null, id).changes === 1,
    setCurrentIndex: async (id, index) => {
      sql("UPDATE exam_sessions SET current_index = ? WHERE id = ? AND status = 'in_progress'").run(index, id);
    },
    finishSession: async (id, status, finishedAt, result) =>
      sql(`UPDATE exam_sessions SET status = ?, finished_at = ?, result_json = ? WHERE id = ? AND status IN ('issued', 'in_progress')`)
        .run(status, finishedAt, result ? json(result) : null, id).changes === 1,
    // A paused exam's time does not run (issue 10): it never expires while paused.
    listExpiredInProgress: async (now) =>
      (sql("SELECT * FROM exam_sessions WHERE status = 'in_progress' AND deadline_at <= ? AND paused_json IS NULL").all(now) as Row[]).map(toSession),

    setProgrammeProctoring: async (id, overrides) => {
      sql('UPDATE programmes SET proctoring_json = ? WHERE id = ?').run(json(overrides), id);
    },
    getPrestart: async (id) => {
      const r = sql('SELECT prestart_json FROM exam_sessions WHERE id = ?').get(id) as Row | undefined;
      return r ? parse<PrestartRecord>(r.prestart_json) : {};
    },
    updatePrestart: async (id, patch) => updatePrestart(id, patch),
    putCandidateReference: async (c) => {
      const descriptor = Buffer.from(c.descriptor.buffer, c.descriptor.byteOffset, c.descriptor.byteLength);
      sql(`INSERT INTO candidate_references (candidate_id, jpeg, sha256, descriptor, source, stored_at) VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT(candidate_id) DO UPDATE SET jpeg = excluded.jpeg, sha256 = excluded.sha256, descriptor = excluded.descriptor,
        source = excluded.source, stored_at = excluded.stored_at`).run(c.candidateId, Buffer.from(c.jpeg), c.sha256, descriptor, c.source, c.storedAt);
    },
    getCandidateReference: async (candidateId): Promise<CandidateReferenceRow | null> => {
      const r = sql('SELECT * FROM candidate_references WHERE candidate_id = ?').get(candidateId) as Row | undefined;
      if (!r) return null;
      const d = r.descriptor as Buffer;
      return {
        candidateId: String(r.candidate_id),
        jpeg: new Uint8Array(r.jpeg as Buffer),
        sha256: String(r.sha256),
        // Copied: the Buffer may sit at an offset that is not a multiple of 4.
        descriptor: new Float32Array(new Uint8Array(d).buffer),
        source: r.source as 'file' | 'enrolled',
        storedAt: Number(r.stored_at),
      };
    },
    putEvidence: (sessionId, e) => grouped(() => putEvidence(sessionId, e)),
    evidenceBytes: async (sessionId) =>
      Number((sql('SELECT COALESCE(SUM(LENGTH(bytes)), 0) AS n FROM evidence WHERE session_id = ?').get(sessionId) as { n: number }).n),
    getEvidence: async (sessionId, incidentId) => {
      const r = sql('SELECT * FROM evidence WHERE session_id = ? AND incident_id = ?').get(sessionId, incidentId) as Row | undefined;
      return r
        ? { incidentId: String(r.incident_id), sha256: String(r.sha256), mime: 'image/jpeg', bytes: new Uint8Array(r.bytes as Buffer), storedAt: Number(r.stored_at) }
        : null;
    },

    putRecordingChunk: (sessionId, c) => grouped(() => putRecordingChunk(sessionId, c)),
    getRecordingChunk: async (sessionId, seq) => one(sql('SELECT * FROM recording_chunks WHERE session_id = ? AND seq = ?'), toRecordingChunk, sessionId, seq),
    listRecordingChunks: async (sessionId) =>
      (sql('SELECT * FROM recording_chunks WHERE session_id = ? ORDER BY seq').all(sessionId) as Row[]).map(toRecordingChunk),
    recordingStats: async (sessionId) => {
      const r = sql('SELECT COUNT(*) AS n, SUM(bytes) AS b, MAX(seq) AS s, MAX(stored_at) AS t FROM recording_chunks WHERE session_id = ?').get(sessionId) as Row;
      return Number(r.n) === 0 ? null : { chunks: Number(r.n), bytes: Number(r.b), lastSeq: Number(r.s), lastAt: r.t == null ? null : Number(r.t) };
    },

    saveAnswer: (sessionId, a) => grouped(() => saveAnswer(sessionId, a)),
    getAnswers: async (sessionId) =>
      (sql('SELECT * FROM answers WHERE session_id = ?').all(sessionId) as Row[]).map((r) => ({
        questionId: String(r.question_id),
        optionIds: parse<string[]>(r.option_ids_json),
        rev: Number(r.rev),
        savedAt: Number(r.saved_at),
      })),

    appendEvent: (sessionId, e) => grouped(() => appendEvent(sessionId, e)),
    legacyChainHeads: async () =>
      (sql('SELECT e.session_id, e.idx, e.hash FROM events e JOIN (SELECT session_id, MAX(idx) AS m FROM events WHERE hash_version = 1 GROUP BY session_id) l ON l.session_id = e.session_id AND l.m = e.idx').all() as Row[])
        .map((r) => ({ sessionId: String(r.session_id), index: Number(r.idx), hash: String(r.hash) })),
    writeWithEvents: (sessionId, w, events) => grouped(() => writeWithEvents(sessionId, w, events)),
    listEvents: async (sessionId, afterIndex = -1) =>
      (sql('SELECT * FROM events WHERE session_id = ? AND idx > ? ORDER BY idx').all(sessionId, afterIndex) as Row[]).map(toEvent),
    nextClientSeq: async (sessionId) => {
      const r = sql("SELECT MAX(seq) AS m FROM events WHERE session_id = ? AND origin = 'client'").get(sessionId) as { m: number | null };
      return (r.m ?? 0) + 1;
    },
    countEvents: async (sessionId, types) => {
      if (types.length === 0) return 0;
      const r = sql(`SELECT COUNT(*) AS n FROM events WHERE session_id = ? AND type IN (${types.map(() => '?').join(',')})`).get(sessionId, ...types) as { n: number };
      return r.n;
    },
    countIncidents: async (sessionId) =>
      (sql("SELECT COUNT(*) AS n FROM events WHERE session_id = ? AND level = 'incident'").get(sessionId) as { n: number }).n,
    recentEventsOfTypes: async (types, limit) =>
      types.length === 0
        ? []
        : (sql(`SELECT * FROM (SELECT * FROM events WHERE type IN (${types.map(() => '?').join(',')}) ORDER BY server_at DESC, idx DESC LIMIT ?) ORDER BY server_at, idx`)
            .all(...types, limit) as Row[]).map(toEvent),
    listEventsOfTypes: async (sessionId, types) =>
      types.length === 0
        ? []
        : (sql(`SELECT * FROM events WHERE session_id = ? AND type IN (${types.map(() => '?').join(',')}) ORDER BY idx`).all(sessionId, ...types) as Row[]).map(toEvent),

    listStaffUsers: async () => (sql('SELECT * FROM staff_users ORDER BY role, display_name').all() as Row[]).map(toStaff),
    getStaffUser: async (id) => one(sql('SELECT * FROM staff_users WHERE id = ?'), toStaff, id),
    assignSessions: async (sessionIds, proctorId) => {
      const update = sql('UPDATE exam_sessions SET assigned_to = ? WHERE id = ? AND assigned_to IS NOT ?');
      return db.transaction(() => sessionIds.reduce((n, id) => n + update.run(proctorId, id, proctorId).changes, 0))();
    },
    countAssigned: async (proctorId, statuses) =>
      (sql(`SELECT COUNT(*) AS n FROM exam_sessions WHERE assigned_to = ? AND status IN (${statuses.map(() => '?').join(',') || "''"})`).get(proctorId, ...statuses) as { n: number }).n,
    listIncidentReviews: async (sessionId) =>
      (sql('SELECT * FROM incident_reviews WHERE session_id = ? ORDER BY at').all(sessionId) as Row[]).map((r) => {
        const { sessionId: _omit, ...review } = toReview(r);
        return review;
      }),
    listIncidentReviewsFor: async (sessionIds) => {
      const out = new Map<string, IncidentReviewRow[]>();
      const ids = [...new Set(sessionIds)];
      for (let i = 0; i < ids.length; i += 500) {
        const part = ids.slice(i, i + 500);
        for (const r of sql(`SELECT * FROM incident_reviews WHERE session_id IN (${part.map(() => '?').join(',')})`).all(...part) as Row[]) {
          const { sessionId, ...review } = toReview(r);
          out.set(sessionId, [...(out.get(sessionId) ?? []), review]);
        }
      }
      return out;
    },
    getVerdict: async (sessionId) => one(sql('SELECT * FROM session_verdicts WHERE session_id = ?'), toVerdict, sessionId),
    listVerdictsFor: async (sessionIds) => {
      const out = new Map<string, SessionVerdict>();
      const ids = [...new Set(sessionIds)];
      for (let i = 0; i < ids.length; i += 500) {
        const part = ids.slice(i, i + 500);
        for (const r of sql(`SELECT * FROM session_verdicts WHERE session_id IN (${part.map(() => '?').join(',')})`).all(...part) as Row[]) out.set(r.session_id as string, toVerdict(r));
      }
      return out;
    },
    listNotes: async (sessionId) => (sql('SELECT * FROM proctor_notes WHERE session_id = ? ORDER BY at, id').all(sessionId) as Row[]).map(toNote),

    // Issue 12: chart-only entries (per-second signals) never crowd the dashboard's feed.
    recentEvents: async (limit) =>
      (sql(`SELECT * FROM (SELECT * FROM events WHERE type NOT IN (${CHART_ONLY_EVENT_TYPES.map(() => '?').join(',')}) ORDER BY server_at DESC, idx DESC LIMIT ?) ORDER BY server_at, idx`)
        .all(...CHART_ONLY_EVENT_TYPES, limit) as Row[]).map(toEvent),
  };
}
