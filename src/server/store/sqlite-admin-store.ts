/** SQLite implementation of the AdminStore (issue 12), sharing the store's connection and statement cache. */
import type Database from 'better-sqlite3';
import { foldForSearch, registerSessionListFunctions } from './session-list-query';
import { candidateChanges } from '../../shared/candidate-record';
import type { StaffRole } from '../../shared/protocol';
import type { AdminStore, AuditEntry, CandidateRecordRow, CentreSettingsRow, ExamWindow, NewAuditEntry, NotStartedRow } from './admin-store';

type Row = Record<string, unknown>;
const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

function toRecord(r: Row): CandidateRecordRow {
  return {
    id: String(r.id), centreId: String(r.centre_id), surname: String(r.surname), givenName: String(r.given_name),
    patronymic: str(r.patronymic), iin: String(r.iin), email: str(r.email), birthDate: str(r.birth_date), address: str(r.address),
    phone: str(r.phone), profession: str(r.profession), nqfLevel: num(r.nqf_level), consentAt: num(r.consent_at), updatedAt: num(r.updated_at),
  };
}

function toAudit(r: Row): AuditEntry {
  return {
    id: Number(r.id), at: Number(r.at), actor: JSON.parse(String(r.actor_json)), action: String(r.action),
    subject: String(r.subject), changes: JSON.parse(String(r.changes_json)),
  };
}

export function sqliteAdminStore(db: Database.Database, sql: (text: string) => Database.Statement): AdminStore {
  registerSessionListFunctions(db); // tanu_fold(): names in any case, Kazakh and Russian letters, ё as е
  const audit = (e: NewAuditEntry) =>
    sql('INSERT INTO centre_audit (at, actor_json, action, subject, changes_json) VALUES (?, ?, ?, ?, ?)')
      .run(e.at, JSON.stringify(e.actor), e.action, e.subject, JSON.stringify(e.changes));
  const iinTaken = (iin: string, exceptId: string) => Boolean(sql('SELECT 1 FROM candidates WHERE iin = ? AND id <> ?').get(iin, exceptId));
  const getRecord = (id: string) => {
    const r = sql('SELECT * FROM candidates WHERE id = ?').get(id) as Row | undefined;
    return r ? toRecord(r) : null;
  };

  const create = db.transaction((c: CandidateRecordRow, e: NewAuditEntry): 'created' | 'duplicate_iin' => {
    if (iinTaken(c.iin, c.id)) return 'duplicate_iin';
    sql(`INSERT INTO candidates (id, centre_id, surname, given_name, patronymic, iin, email, birth_date, address, phone, profession, nqf_level, consent_at, updated_at)
      VALUES (@id, @centreId, @surname, @givenName, @patronymic, @iin, @email, @birthDate, @address, @phone, @profession, @nqfLevel, @consentAt, @updatedAt)`).run(c);
    audit(e);
    return 'created';
  });

  const update = db.transaction((c: CandidateRecordRow, entry: (before: CandidateRecordRow) => NewAuditEntry) => {
    const before = getRecord(c.id);
    if (!before) return 'not_found' as const;
    if (iinTaken(c.iin, c.id)) return 'duplicate_iin' as const;
    const e = entry(before);
    if (Object.keys(candidateChanges(before, c)).length === 0) return 'unchanged' as const;
    sql(`UPDATE candidates SET surname = @surname, given_name = @givenName, patronymic = @patronymic, iin = @iin, email = @email, birth_date = @birthDate,
      address = @address, phone = @phone, profession = @profession, nqf_level = @nqfLevel, consent_at = @consentAt, updated_at = @updatedAt WHERE id = @id`).run(c);
    audit(e);
    return 'updated' as const;
  });

  const revokeOpen = db.transaction((candidateId: string, programmeId: string, now: number): string[] => {
    const ids = (sql(`SELECT id FROM exam_sessions WHERE candidate_id = ? AND programme_id = ? AND status = 'issued' AND token_expires_at > ?`)
      .all(candidateId, programmeId, now) as Row[]).map((r) => String(r.id));
    for (const id of ids) sql('UPDATE exam_sessions SET token_expires_at = ? WHERE id = ?').run(now, id);
    return ids;
  });

  return {
    getCandidateRecord: async (id) => getRecord(id),
    findCandidateRecords: async (query, limit) => {
      const q = query.trim();
      if (!q) return (sql('SELECT * FROM candidates ORDER BY surname, given_name LIMIT ?').all(limit) as Row[]).map(toRecord);
      const like = `%${foldForSearch(q).replace(/[%_\\]/g, (m) => `\\${m}`)}%`;
      // Names are matched case-insensitively in any script (SQLite's own lower() folds ASCII only); IINs by prefix.
      return (sql(`SELECT * FROM candidates WHERE iin LIKE ? ESCAPE '\\' OR tanu_fold(surname || ' ' || given_name || ' ' || COALESCE(patronymic, '')) LIKE ? ESCAPE '\\'
        ORDER BY surname, given_name LIMIT ?`).all(`${q.replace(/[^0-9]/g, '') || '-'}%`, like, limit) as Row[]).map(toRecord);
    },
    createCandidateRecord: async (row, e) => create(row, e),
    updateCandidateRecord: async (row, entry) => update(row, entry),
    listAudit: async (subject, limit) =>
      (subject
        ? sql('SELECT * FROM centre_audit WHERE subject = ? ORDER BY id DESC LIMIT ?').all(subject, limit)
        : sql('SELECT * FROM centre_audit ORDER BY id DESC LIMIT ?').all(limit) as Row[]
      ).map((r) => toAudit(r as Row)),
    appendAudit: async (e) => {
      audit(e);
    },

    revokeOpenLinks: async (candidateId, programmeId, now) => revokeOpen(candidateId, programmeId, now),
    revokeLink: async (sessionId, now) =>
      sql(`UPDATE exam_sessions SET token_expires_at = ? WHERE id = ? AND status = 'issued' AND token_expires_at > ?`).run(now, sessionId, now).changes === 1,
    setExamWindow: async (sessionId, window: ExamWindow) => {
      sql('UPDATE exam_sessions SET window_json = ?, token_expires_at = MIN(token_expires_at, ?) WHERE id = ?').run(JSON.stringify(window), window.end, sessionId);
    },
    getExamWindow: async (sessionId) => {
      const r = sql('SELECT window_json FROM exam_sessions WHERE id = ?').get(sessionId) as Row | undefined;
      return r?.window_json ? (JSON.parse(String(r.window_json)) as ExamWindow) : null;
    },
    listNotStarted: async (now) =>
      (sql(`SELECT id, candidate_id, programme_id, created_at, token_expires_at, window_json FROM exam_sessions
        WHERE status = 'issued' AND token_expires_at > ? ORDER BY created_at`).all(now) as Row[]).map((r): NotStartedRow => ({
        sessionId: String(r.id), candidateId: String(r.candidate_id), programmeId: String(r.programme_id), createdAt: Number(r.created_at),
        tokenExpiresAt: Number(r.token_expires_at), window: r.window_json ? (JSON.parse(String(r.window_json)) as ExamWindow) : null,
      })).sort((a, b) => (a.window?.start ?? a.createdAt) - (b.window?.start ?? b.createdAt)),

    getCentreSettings: async () => {
      const r = sql('SELECT * FROM centres LIMIT 1').get() as Row | undefined;
      if (!r) return null;
      const contact = JSON.parse(String(r.contact_json)) as { phone?: string | null; email?: string | null };
      return {
        name: JSON.parse(String(r.name_json)), accreditationNo: String(r.accreditation_no), contact: { phone: contact.phone ?? null, email: contact.email ?? null },
        timeZone: String(r.time_zone), headName: String(r.head_name ?? ''),
      } satisfies CentreSettingsRow;
    },
    setCentreSettings: async (s, e) =>
      db.transaction(() => {
        sql('UPDATE centres SET name_json = ?, accreditation_no = ?, contact_json = ?, time_zone = ?, head_name = COALESCE(?, head_name)')
          .run(JSON.stringify(s.name), s.accreditationNo, JSON.stringify(s.contact), s.timeZone, s.headName ?? null);
        audit(e);
      })(),

    updateStaffUser: async (id, patch: { displayName?: string; role?: StaffRole; passwordHash?: string }, e) =>
      db.transaction(() => {
        const changed = sql(`UPDATE staff_users SET display_name = COALESCE(?, display_name), role = COALESCE(?, role), password_hash = COALESCE(?, password_hash) WHERE id = ?`)
          .run(patch.displayName ?? null, patch.role ?? null, patch.passwordHash ?? null, id).changes === 1;
        if (changed) audit(e);
        return changed;
      })(),
    deleteStaffSessionsOf: async (userId) => sql('DELETE FROM staff_sessions WHERE user_id = ?').run(userId).changes,
  };
}
