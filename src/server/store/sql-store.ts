/**
 * The Store, written once over a SqlDatabase (sql-database.ts): SQLite by default (sqlite-store.ts), PostgreSQL
 * for several centre nodes (postgres-store.ts). Every change and the log entries that record it commit in
 * one transaction; each session's log is a hash chain whose next index is read inside that transaction.
 */
import { GENESIS_HASH } from '../../shared/canonical-json';
import type { SeedQuestion } from '../../shared/programme';
import { CHART_ONLY_EVENT_TYPES, eventLevel } from '../../shared/protocol';
import { chainHash } from '../event-chain';
import { sqlAdminStore } from './sql-admin-store';
import { applyAppealWrite, sqlAppealStore } from './sql-appeal-store';
import { sqlAccommodationStore } from './sql-accommodation-store';
import { applyProcedureWrite, sqlProcedureStore } from './sql-procedure-store';
import { listSessionPage } from './session-list-query';
import { inChunks, placeholders, sqlFor, type SqlDatabase, type SqlRunner } from './sql-database';
import {
  isWriteList,
  json,
  parse,
  toCandidate,
  toEvent,
  toNote,
  toProgramme,
  toRecordingChunk,
  toReview,
  toSession,
  toStaff,
} from './sql-rows';
import type { ProctorNote, StaffActor } from '../../shared/control-room';
import type { SessionVerdict } from '../../shared/review-verdict';
import type {
  CandidateReferenceRow,
  IncidentReviewRow,
  PrestartRecord,
  AnswerRow,
  AppendResult,
  LoggedWrite,
  RunningPatch,
  CentreRow,
  EventRow,
  NewEvent,
  SessionPolicy,
  Store,
} from './store';

type Row = Record<string, unknown>;

/**
 * logKey: the centre's log secret (LogAnchor): entries are then HMAC-linked (version 2). Without it
 * (unit tests, tools) entries are plain SHA-256 (version 1), which a keyed centre does not trust.
 */
export function createSqlStore(db: SqlDatabase, options: { logKey?: Uint8Array } = {}): Store {
  const logKey = options.logKey ?? null;
  const dialect = sqlFor(db.dialect);

  const appendEvent = async (tx: SqlRunner, sessionId: string, e: NewEvent): Promise<AppendResult> => {
    if (e.origin === 'client' && e.seq != null) {
      const existing = await tx.get("SELECT * FROM events WHERE session_id = ? AND origin = 'client' AND seq = ?", sessionId, e.seq);
      if (existing) {
        return existing.event_id === e.eventId
          ? { kind: 'duplicate', event: toEvent(existing) }
          : { kind: 'conflict', message: `sequence ${e.seq} was already used by another event` };
      }
    }
    const last = (await tx.get('SELECT idx, hash FROM events WHERE session_id = ? ORDER BY idx DESC LIMIT 1', sessionId)) as
      { idx: number; hash: string } | undefined;
    const index = last ? last.idx + 1 : 0;
    const prevHash = last ? last.hash : GENESIS_HASH;
    const hash = chainHash(prevHash, sessionId, index, e, logKey);
    const row: EventRow = { ...e, data: e.data ?? null, sessionId, index, prevHash, hash, hashVersion: logKey ? 2 : 1 };
    await tx.run(
      `INSERT INTO events (session_id, idx, origin, seq, event_id, type, client_at, server_at, data_json, level, prev_hash, hash, hash_version)
      VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      sessionId,
      index,
      row.origin,
      row.seq,
      row.eventId,
      row.type,
      row.clientAt,
      row.serverAt,
      json(row.data),
      eventLevel(row.type, row.data),
      prevHash,
      hash,
      row.hashVersion,
    );
    return { kind: 'appended', event: row };
  };

  const saveAnswer = async (tx: SqlRunner, sessionId: string, a: AnswerRow): Promise<boolean> => {
    const existing = (await tx.get('SELECT rev FROM answers WHERE session_id = ? AND question_id = ?', sessionId, a.questionId)) as
      { rev: number } | undefined;
    if (existing && existing.rev >= a.rev) return false;
    await tx.run(
      `INSERT INTO answers (session_id, question_id, option_ids_json, rev, saved_at) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT (session_id, question_id) DO UPDATE SET option_ids_json = excluded.option_ids_json, rev = excluded.rev, saved_at = excluded.saved_at`,
      sessionId,
      a.questionId,
      json(a.optionIds),
      a.rev,
      a.savedAt,
    );
    return true;
  };

  const updateRunning = async (tx: SqlRunner, id: string, patch: RunningPatch): Promise<boolean> => {
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
    return (await tx.run(`UPDATE exam_sessions SET ${sets.join(', ')} WHERE id = ? AND status = 'in_progress'`, ...args, id)) === 1;
  };
  const reinstateSession = async (tx: SqlRunner, id: string, deadlineAt: number, policy: SessionPolicy): Promise<boolean> =>
    (await tx.run(
      `UPDATE exam_sessions SET status = 'in_progress', deadline_at = ?, finished_at = NULL, result_json = NULL, paused_json = NULL, policy_json = ?
      WHERE id = ? AND status IN ('terminated', 'suspended')`,
      deadlineAt,
      json(policy),
      id,
    )) === 1;
  const putIncidentReview = (tx: SqlRunner, sessionId: string, r: IncidentReviewRow) =>
    tx.run(
      `INSERT INTO incident_reviews (session_id, incident_id, decision, comment, by_json, at) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT (session_id, incident_id) DO UPDATE SET decision = excluded.decision, comment = excluded.comment, by_json = excluded.by_json, at = excluded.at`,
      sessionId,
      r.incidentId,
      r.decision,
      r.comment,
      json(r.by),
      r.at,
    );
  const putNote = (tx: SqlRunner, sessionId: string, note: ProctorNote) =>
    tx.run('INSERT INTO proctor_notes (session_id, id, body_json, at) VALUES (?, ?, ?, ?)', sessionId, note.id, json(note), note.at);
  const ackNote = async (tx: SqlRunner, sessionId: string, noteId: string, at: number, reply: string | null): Promise<boolean> =>
    (await tx.run(
      'UPDATE proctor_notes SET acknowledged_at = ?, reply = ? WHERE session_id = ? AND id = ? AND acknowledged_at IS NULL',
      at,
      reply,
      sessionId,
      noteId,
    )) === 1;

  const putVerdict = async (tx: SqlRunner, sessionId: string, v: SessionVerdict): Promise<boolean> => {
    // Rule 11 via the reviewer's verdict: an overturned termination sends the session to the centre for rescheduling.
    if (
      v.kind === 'termination_overturned' &&
      (await tx.run("UPDATE exam_sessions SET status = 'suspended' WHERE id = ? AND status = 'terminated'", sessionId)) !== 1
    )
      return false;
    await tx.run(
      `INSERT INTO session_verdicts (session_id, kind, incident_ids_json, comment, by_json, at) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT (session_id) DO UPDATE SET kind = excluded.kind, incident_ids_json = excluded.incident_ids_json, comment = excluded.comment, by_json = excluded.by_json, at = excluded.at`,
      sessionId,
      v.kind,
      json(v.incidentIds),
      v.comment,
      json(v.by),
      v.at,
    );
    return true;
  };
  const toVerdict = (r: Row): SessionVerdict => ({
    kind: r.kind as SessionVerdict['kind'],
    incidentIds: parse<string[]>(r.incident_ids_json),
    comment: r.comment as string,
    by: parse<StaffActor>(r.by_json),
    at: Number(r.at),
  });

  const updatePrestart = async (tx: SqlRunner, id: string, patch: Partial<PrestartRecord>): Promise<PrestartRecord> => {
    const r = await tx.get('SELECT prestart_json FROM exam_sessions WHERE id = ?', id);
    if (!r) throw new Error(`no session ${id}`);
    const merged: PrestartRecord = { ...parse<PrestartRecord>(r.prestart_json), ...patch };
    await tx.run('UPDATE exam_sessions SET prestart_json = ? WHERE id = ?', json(merged), id);
    return merged;
  };

  const applyWrite = async (tx: SqlRunner, id: string, w: LoggedWrite): Promise<boolean> => {
    switch (w.kind) {
      case 'answer':
        return saveAnswer(tx, id, w.answer);
      case 'language':
        return (
          (await tx.run(
            `UPDATE exam_sessions SET language = ? WHERE id = ? AND status = 'issued' AND ${dialect.isDistinct('language', '?')}`,
            w.language,
            id,
            w.language,
          )) === 1
        );
      case 'finish':
        return (
          (await tx.run(
            `UPDATE exam_sessions SET status = ?, finished_at = ?, result_json = ? WHERE id = ? AND status IN ('issued', 'in_progress')`,
            w.status,
            w.finishedAt,
            w.result ? json(w.result) : null,
            id,
          )) === 1
        );
      case 'policy':
        return (await tx.run('UPDATE exam_sessions SET policy_json = ? WHERE id = ?', json(w.policy), id)) === 1;
      case 'review':
        await putIncidentReview(tx, id, w.review);
        return true;
      case 'note':
        await putNote(tx, id, w.note);
        return true;
      case 'note-read':
        return ackNote(tx, id, w.noteId, w.at, w.reply);
      case 'running':
        return updateRunning(tx, id, w.patch);
      case 'reinstate':
        return reinstateSession(tx, id, w.deadlineAt, w.policy);
      case 'prestart':
        await updatePrestart(tx, id, w.patch);
        return true;
      case 'verdict':
        return putVerdict(tx, id, w.verdict);
      case 'appeal':
      case 'appeal-decided':
        return applyAppealWrite(tx, id, w);
      default:
        return applyProcedureWrite(tx, id, w);
    }
  };
  /** Thrown inside the transaction when a part of a write is not applied: everything rolls back. */
  class NotApplied extends Error {}
  const writeWithEvents = async (
    id: string,
    write: LoggedWrite | readonly LoggedWrite[],
    events: readonly NewEvent[],
  ): Promise<{ applied: boolean; events: EventRow[] }> => {
    try {
      return await db.transaction(
        async (tx) => {
          for (const w of isWriteList(write) ? write : [write]) if (!(await applyWrite(tx, id, w))) throw new NotApplied();
          const rows: EventRow[] = [];
          for (const e of events) {
            const r = await appendEvent(tx, id, e);
            if (r.kind !== 'appended') throw new Error(`log entry ${e.type} not appended: ${r.kind}`);
            rows.push(r.event);
          }
          return { applied: true, events: rows };
        },
        { grouped: true, key: id },
      );
    } catch (err) {
      if (err instanceof NotApplied) return { applied: false, events: [] };
      throw err;
    }
  };

  /** Stores a row once per key: the same hash again is a duplicate, another one a conflict. */
  const putOnce = (select: string, insert: string) => (keys: [string, unknown], sha256: string, values: unknown[]) =>
    db.transaction(
      async (tx): Promise<'stored' | 'duplicate' | 'conflict'> => {
        const existing = (await tx.get(select, ...keys)) as { sha256: string } | undefined;
        if (existing) return existing.sha256 === sha256 ? 'duplicate' : 'conflict';
        await tx.run(insert, ...values);
        return 'stored';
      },
      { grouped: true, key: keys[0] },
    );
  const putEvidence = putOnce(
    'SELECT sha256 FROM evidence WHERE session_id = ? AND incident_id = ?',
    'INSERT INTO evidence (session_id, incident_id, sha256, mime, bytes, stored_at) VALUES (?, ?, ?, ?, ?, ?)',
  );
  const putRecordingChunk = putOnce(
    'SELECT sha256 FROM recording_chunks WHERE session_id = ? AND seq = ?',
    'INSERT INTO recording_chunks (session_id, seq, bytes, sha256, duration_ms, started_at, stored_at, header) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );

  const one = async <T>(map: (r: Row) => T, text: string, ...args: unknown[]): Promise<T | null> => {
    const r = await db.get(text, ...args);
    return r ? map(r) : null;
  };
  const many = async <T>(map: (r: Row) => T, text: string, ...args: unknown[]): Promise<T[]> => (await db.all(text, ...args)).map(map);
  /** Rows of many sessions at once, read in IN lists of a bounded size. */
  const forSessions = async (table: string, sessionIds: readonly string[]): Promise<Row[]> => {
    const rows: Row[] = [];
    for (const part of inChunks([...new Set(sessionIds)]))
      rows.push(...(await db.all(`SELECT * FROM ${table} WHERE session_id IN (${placeholders(part.length)})`, ...part)));
    return rows;
  };

  return {
    ...sqlAdminStore(db),
    ...sqlProcedureStore(db),
    ...sqlAppealStore(db),
    ...sqlAccommodationStore(db),
    close: () => db.close(),

    getCentre: async () => {
      const r = await db.get('SELECT * FROM centres LIMIT 1');
      if (!r) return null;
      const contact = parse<{ phone?: string | null; email?: string | null }>(r.contact_json);
      return {
        id: String(r.id),
        name: parse(r.name_json),
        accreditationNo: String(r.accreditation_no),
        contact: { phone: contact.phone ?? null, email: contact.email ?? null },
        headName: String(r.head_name ?? ''),
      };
    },
    createCentre: async (c: CentreRow) => {
      await db.run(
        'INSERT INTO centres (id, name_json, accreditation_no, contact_json, head_name) VALUES (?, ?, ?, ?, ?)',
        c.id,
        json(c.name),
        c.accreditationNo,
        json(c.contact ?? {}),
        c.headName ?? '',
      );
    },
    createProgramme: (p, questions) =>
      db.transaction(async (tx) => {
        await tx.run(
          `INSERT INTO programmes (id, centre_id, code, profession_json, oked, occupation_code, nqf_level, duration_minutes, questions_per_exam, proctoring_json, tech_map_json)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          p.id,
          p.centreId,
          p.code,
          json(p.profession),
          p.oked,
          p.occupationCode,
          p.nqfLevel,
          p.durationMinutes,
          p.questionsPerExam,
          json(p.proctoring),
          json(p.technologicalMap ?? []),
        );
        for (const [i, question] of questions.entries()) {
          await tx.run(
            'INSERT INTO questions (programme_id, id, position, body_json) VALUES (?, ?, ?, ?)',
            p.id,
            question.id,
            i,
            json(question),
          );
        }
      }),
    getProgramme: (id) => one(toProgramme, 'SELECT * FROM programmes WHERE id = ?', id),
    listProgrammes: () => many(toProgramme, 'SELECT * FROM programmes ORDER BY code'),
    getQuestions: (programmeId) =>
      many(
        (r) => parse<SeedQuestion>(r.body_json),
        'SELECT body_json FROM questions WHERE programme_id = ? ORDER BY position',
        programmeId,
      ),

    createStaffUser: async (u) => {
      await db.run(
        'INSERT INTO staff_users (id, username, display_name, role, password_hash) VALUES (?, ?, ?, ?, ?)',
        u.id,
        u.username,
        u.displayName,
        u.role,
        u.passwordHash,
      );
    },
    findStaffByUsername: (username) => one(toStaff, 'SELECT * FROM staff_users WHERE username = ?', username),
    createStaffSession: async (tokenHash, userId, expiresAt) => {
      await db.run('INSERT INTO staff_sessions (token_hash, user_id, expires_at) VALUES (?, ?, ?)', tokenHash, userId, expiresAt);
    },
    findStaffSession: (tokenHash, now) =>
      one(
        toStaff,
        'SELECT u.* FROM staff_sessions s JOIN staff_users u ON u.id = s.user_id WHERE s.token_hash = ? AND s.expires_at > ?',
        tokenHash,
        now,
      ),
    deleteStaffSession: async (tokenHash) => {
      await db.run('DELETE FROM staff_sessions WHERE token_hash = ?', tokenHash);
    },

    createCandidate: async (c) => {
      await db.run(
        'INSERT INTO candidates (id, centre_id, surname, given_name, patronymic, iin, email) VALUES (?, ?, ?, ?, ?, ?, ?)',
        c.id,
        c.centreId,
        c.surname,
        c.givenName,
        c.patronymic,
        c.iin,
        c.email,
      );
    },
    getCandidate: (id) => one(toCandidate, 'SELECT * FROM candidates WHERE id = ?', id),
    listCandidates: () => many(toCandidate, 'SELECT * FROM candidates ORDER BY surname, given_name'),

    createExamSession: async (s) => {
      await db.run(
        `INSERT INTO exam_sessions (id, candidate_id, programme_id, token_hash, token_expires_at, status, created_at)
        VALUES (?, ?, ?, ?, ?, 'issued', ?)`,
        s.id,
        s.candidateId,
        s.programmeId,
        s.tokenHash,
        s.tokenExpiresAt,
        s.createdAt,
      );
    },
    findSessionByTokenHash: (tokenHash) => one(toSession, 'SELECT * FROM exam_sessions WHERE token_hash = ?', tokenHash),
    getSession: (id) => one(toSession, 'SELECT * FROM exam_sessions WHERE id = ?', id),
    listSessionPage: (query, options) => listSessionPage(db, query, options),
    listSessions: (filter) => {
      const statuses = filter?.statuses;
      return statuses?.length
        ? many(toSession, `SELECT * FROM exam_sessions WHERE status IN (${placeholders(statuses.length)}) ORDER BY created_at`, ...statuses)
        : many(toSession, 'SELECT * FROM exam_sessions ORDER BY created_at');
    },
    setLanguage: async (id, language) => {
      await db.run("UPDATE exam_sessions SET language = ? WHERE id = ? AND status = 'issued'", language, id);
    },
    startSession: async (id, startedAt, deadlineAt, questionIds, accommodations = null) =>
      (await db.run(
        `UPDATE exam_sessions SET status = 'in_progress', started_at = ?, deadline_at = ?, question_ids_json = ?, current_index = 0, accommodations_json = ?
        WHERE id = ? AND status = 'issued'`,
        startedAt,
        deadlineAt,
        json(questionIds),
        accommodations ? json(accommodations) : null,
        id,
      )) === 1,
    setCurrentIndex: async (id, index) => {
      await db.run("UPDATE exam_sessions SET current_index = ? WHERE id = ? AND status = 'in_progress'", index, id);
    },
    finishSession: async (id, status, finishedAt, result) =>
      (await db.run(
        `UPDATE exam_sessions SET status = ?, finished_at = ?, result_json = ? WHERE id = ? AND status IN ('issued', 'in_progress')`,
        status,
        finishedAt,
        result ? json(result) : null,
        id,
      )) === 1,
    // A paused exam's time does not run: it never expires while paused.
    listExpiredInProgress: (now) =>
      many(toSession, "SELECT * FROM exam_sessions WHERE status = 'in_progress' AND deadline_at <= ? AND paused_json IS NULL", now),

    setProgrammeProctoring: async (id, overrides) => {
      await db.run('UPDATE programmes SET proctoring_json = ? WHERE id = ?', json(overrides), id);
    },
    getPrestart: async (id) => {
      const r = await db.get('SELECT prestart_json FROM exam_sessions WHERE id = ?', id);
      return r ? parse<PrestartRecord>(r.prestart_json) : {};
    },
    updatePrestart: (id, patch) => db.transaction((tx) => updatePrestart(tx, id, patch), { key: id }),
    putCandidateReference: async (c) => {
      const descriptor = Buffer.from(c.descriptor.buffer, c.descriptor.byteOffset, c.descriptor.byteLength);
      await db.run(
        `INSERT INTO candidate_references (candidate_id, jpeg, sha256, descriptor, source, stored_at) VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT(candidate_id) DO UPDATE SET jpeg = excluded.jpeg, sha256 = excluded.sha256, descriptor = excluded.descriptor,
        source = excluded.source, stored_at = excluded.stored_at`,
        c.candidateId,
        Buffer.from(c.jpeg),
        c.sha256,
        descriptor,
        c.source,
        c.storedAt,
      );
    },
    getCandidateReference: async (candidateId): Promise<CandidateReferenceRow | null> => {
      const r = await db.get('SELECT * FROM candidate_references WHERE candidate_id = ?', candidateId);
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
    putEvidence: (sessionId, e) =>
      putEvidence([sessionId, e.incidentId], e.sha256, [sessionId, e.incidentId, e.sha256, e.mime, Buffer.from(e.bytes), e.storedAt]),
    evidenceBytes: async (sessionId) =>
      Number(
        (await db.get(`SELECT COALESCE(SUM(${dialect.byteLength('bytes')}), 0) AS n FROM evidence WHERE session_id = ?`, sessionId))!.n,
      ),
    getEvidence: (sessionId, incidentId) =>
      one(
        (r) => ({
          incidentId: String(r.incident_id),
          sha256: String(r.sha256),
          mime: 'image/jpeg' as const,
          bytes: new Uint8Array(r.bytes as Buffer),
          storedAt: Number(r.stored_at),
        }),
        'SELECT * FROM evidence WHERE session_id = ? AND incident_id = ?',
        sessionId,
        incidentId,
      ),

    putRecordingChunk: (sessionId, c) =>
      putRecordingChunk([sessionId, c.seq], c.sha256, [
        sessionId,
        c.seq,
        c.bytes,
        c.sha256,
        c.durationMs,
        c.startedAt,
        c.storedAt,
        c.header ? 1 : 0,
      ]),
    getRecordingChunk: (sessionId, seq) =>
      one(toRecordingChunk, 'SELECT * FROM recording_chunks WHERE session_id = ? AND seq = ?', sessionId, seq),
    listRecordingChunks: (sessionId) =>
      many(toRecordingChunk, 'SELECT * FROM recording_chunks WHERE session_id = ? ORDER BY seq', sessionId),
    recordingStats: async (sessionId) => {
      const r = (await db.get(
        'SELECT COUNT(*) AS n, SUM(bytes) AS b, MAX(seq) AS s, MAX(stored_at) AS t FROM recording_chunks WHERE session_id = ?',
        sessionId,
      ))!;
      return Number(r.n) === 0
        ? null
        : { chunks: Number(r.n), bytes: Number(r.b), lastSeq: Number(r.s), lastAt: r.t == null ? null : Number(r.t) };
    },

    saveAnswer: (sessionId, a) => db.transaction((tx) => saveAnswer(tx, sessionId, a), { grouped: true, key: sessionId }),
    getAnswers: (sessionId) =>
      many(
        (r) => ({
          questionId: String(r.question_id),
          optionIds: parse<string[]>(r.option_ids_json),
          rev: Number(r.rev),
          savedAt: Number(r.saved_at),
        }),
        'SELECT * FROM answers WHERE session_id = ?',
        sessionId,
      ),

    appendEvent: (sessionId, e) => db.transaction((tx) => appendEvent(tx, sessionId, e), { grouped: true, key: sessionId }),
    legacyChainHeads: () =>
      many(
        (r) => ({ sessionId: String(r.session_id), index: Number(r.idx), hash: String(r.hash) }),
        'SELECT e.session_id, e.idx, e.hash FROM events e JOIN (SELECT session_id, MAX(idx) AS m FROM events WHERE hash_version = 1 GROUP BY session_id) l ON l.session_id = e.session_id AND l.m = e.idx',
      ),
    writeWithEvents,
    listEvents: (sessionId, afterIndex = -1) =>
      many(toEvent, 'SELECT * FROM events WHERE session_id = ? AND idx > ? ORDER BY idx', sessionId, afterIndex),
    nextClientSeq: async (sessionId) => {
      const r = (await db.get("SELECT MAX(seq) AS m FROM events WHERE session_id = ? AND origin = 'client'", sessionId)) as {
        m: number | null;
      };
      return (r.m ?? 0) + 1;
    },
    countEvents: async (sessionId, types) => {
      if (types.length === 0) return 0;
      return Number(
        (await db.get(
          `SELECT COUNT(*) AS n FROM events WHERE session_id = ? AND type IN (${placeholders(types.length)})`,
          sessionId,
          ...types,
        ))!.n,
      );
    },
    countIncidents: async (sessionId) =>
      Number((await db.get("SELECT COUNT(*) AS n FROM events WHERE session_id = ? AND level = 'incident'", sessionId))!.n),
    recentEventsOfTypes: async (types, limit) =>
      types.length === 0
        ? []
        : many(
            toEvent,
            `SELECT * FROM (SELECT * FROM events WHERE type IN (${placeholders(types.length)}) ORDER BY server_at DESC, idx DESC LIMIT ?) recent ORDER BY server_at, idx`,
            ...types,
            limit,
          ),
    listEventsOfTypes: async (sessionId, types) =>
      types.length === 0
        ? []
        : many(
            toEvent,
            `SELECT * FROM events WHERE session_id = ? AND type IN (${placeholders(types.length)}) ORDER BY idx`,
            sessionId,
            ...types,
          ),

    listStaffUsers: () => many(toStaff, 'SELECT * FROM staff_users ORDER BY role, display_name'),
    getStaffUser: (id) => one(toStaff, 'SELECT * FROM staff_users WHERE id = ?', id),
    assignSessions: (sessionIds, proctorId) =>
      db.transaction(async (tx) => {
        let changed = 0;
        for (const id of sessionIds)
          changed += await tx.run(
            `UPDATE exam_sessions SET assigned_to = ? WHERE id = ? AND ${dialect.isDistinct('assigned_to', '?')}`,
            proctorId,
            id,
            proctorId,
          );
        return changed;
      }),
    countAssigned: async (proctorId, statuses) =>
      statuses.length === 0
        ? 0
        : Number(
            (await db.get(
              `SELECT COUNT(*) AS n FROM exam_sessions WHERE assigned_to = ? AND status IN (${placeholders(statuses.length)})`,
              proctorId,
              ...statuses,
            ))!.n,
          ),
    listIncidentReviews: (sessionId) =>
      many(
        (r) => {
          const { sessionId: _omit, ...review } = toReview(r);
          return review;
        },
        'SELECT * FROM incident_reviews WHERE session_id = ? ORDER BY at',
        sessionId,
      ),
    listIncidentReviewsFor: async (sessionIds) => {
      const out = new Map<string, IncidentReviewRow[]>();
      for (const r of await forSessions('incident_reviews', sessionIds)) {
        const { sessionId, ...review } = toReview(r);
        out.set(sessionId, [...(out.get(sessionId) ?? []), review]);
      }
      return out;
    },
    getVerdict: (sessionId) => one(toVerdict, 'SELECT * FROM session_verdicts WHERE session_id = ?', sessionId),
    listVerdictsFor: async (sessionIds) =>
      new Map((await forSessions('session_verdicts', sessionIds)).map((r) => [String(r.session_id), toVerdict(r)])),
    listNotes: (sessionId) => many(toNote, 'SELECT * FROM proctor_notes WHERE session_id = ? ORDER BY at, id', sessionId),

    // Chart-only entries (per-second signals) never crowd the dashboard's feed.
    recentEvents: (limit) =>
      many(
        toEvent,
        `SELECT * FROM (SELECT * FROM events WHERE type NOT IN (${placeholders(CHART_ONLY_EVENT_TYPES.length)}) ORDER BY server_at DESC, idx DESC LIMIT ?) recent
        ORDER BY server_at, idx`,
        ...CHART_ONLY_EVENT_TYPES,
        limit,
      ),
  };
}
