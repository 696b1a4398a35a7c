/** The AdminStore over the store's SqlDatabase. */
import { foldForSearch } from './session-list-query';
import { sqlFor, type SqlDatabase, type SqlRunner } from './sql-database';
import { candidateChanges } from '../../shared/candidate-record';
import type { StaffRole } from '../../shared/protocol';
import type {
  AdminStore,
  AuditEntry,
  CandidateRecordRow,
  CentreSettingsRow,
  ExamWindow,
  NewAuditEntry,
  NotStartedRow,
} from './admin-store';

type Row = Record<string, unknown>;
const str = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

function toRecord(r: Row): CandidateRecordRow {
  return {
    id: String(r.id),
    centreId: String(r.centre_id),
    surname: String(r.surname),
    givenName: String(r.given_name),
    patronymic: str(r.patronymic),
    iin: String(r.iin),
    email: str(r.email),
    birthDate: str(r.birth_date),
    address: str(r.address),
    phone: str(r.phone),
    profession: str(r.profession),
    nqfLevel: num(r.nqf_level),
    consentAt: num(r.consent_at),
    updatedAt: num(r.updated_at),
  };
}

function toAudit(r: Row): AuditEntry {
  return {
    id: Number(r.id),
    at: Number(r.at),
    actor: JSON.parse(String(r.actor_json)),
    action: String(r.action),
    subject: String(r.subject),
    changes: JSON.parse(String(r.changes_json)),
  };
}

const CANDIDATE_COLUMNS =
  'surname, given_name, patronymic, iin, email, birth_date, address, phone, profession, nqf_level, consent_at, updated_at';
const candidateValues = (c: CandidateRecordRow): unknown[] => [
  c.surname,
  c.givenName,
  c.patronymic,
  c.iin,
  c.email,
  c.birthDate,
  c.address,
  c.phone,
  c.profession,
  c.nqfLevel,
  c.consentAt,
  c.updatedAt,
];

export function sqlAdminStore(db: SqlDatabase): AdminStore {
  const dialect = sqlFor(db.dialect);
  const audit = (tx: SqlRunner, e: NewAuditEntry) =>
    tx.run(
      'INSERT INTO centre_audit (at, actor_json, action, subject, changes_json) VALUES (?, ?, ?, ?, ?)',
      e.at,
      JSON.stringify(e.actor),
      e.action,
      e.subject,
      JSON.stringify(e.changes),
    );
  const iinTaken = async (tx: SqlRunner, iin: string, exceptId: string) =>
    Boolean(await tx.get('SELECT 1 FROM candidates WHERE iin = ? AND id <> ?', iin, exceptId));
  const getRecord = async (tx: SqlRunner, id: string) => {
    const r = await tx.get('SELECT * FROM candidates WHERE id = ?', id);
    return r ? toRecord(r) : null;
  };

  return {
    getCandidateRecord: (id) => getRecord(db, id),
    findCandidateRecords: async (query, limit) => {
      const q = query.trim();
      if (!q) return (await db.all('SELECT * FROM candidates ORDER BY surname, given_name LIMIT ?', limit)).map(toRecord);
      const like = `%${foldForSearch(q).replace(/[%_\\]/g, (m) => `\\${m}`)}%`;
      // Names are matched case-insensitively in any script (SQLite's own lower() folds ASCII only); IINs by prefix.
      return (
        await db.all(
          `SELECT * FROM candidates WHERE iin LIKE ? ESCAPE '\\' OR tanu_fold(surname || ' ' || given_name || ' ' || COALESCE(patronymic, '')) LIKE ? ESCAPE '\\'
        ORDER BY surname, given_name LIMIT ?`,
          `${q.replace(/[^0-9]/g, '') || '-'}%`,
          like,
          limit,
        )
      ).map(toRecord);
    },
    createCandidateRecord: (c, e) =>
      db.transaction(async (tx): Promise<'created' | 'duplicate_iin'> => {
        if (await iinTaken(tx, c.iin, c.id)) return 'duplicate_iin';
        await tx.run(
          `INSERT INTO candidates (id, centre_id, ${CANDIDATE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
          c.id,
          c.centreId,
          ...candidateValues(c),
        );
        await audit(tx, e);
        return 'created';
      }),
    updateCandidateRecord: (c, entry) =>
      db.transaction(async (tx) => {
        const before = await getRecord(tx, c.id);
        if (!before) return 'not_found' as const;
        if (await iinTaken(tx, c.iin, c.id)) return 'duplicate_iin' as const;
        const e = entry(before);
        if (Object.keys(candidateChanges(before, c)).length === 0) return 'unchanged' as const;
        const sets = CANDIDATE_COLUMNS.split(', ')
          .map((column) => `${column} = ?`)
          .join(', ');
        await tx.run(`UPDATE candidates SET ${sets} WHERE id = ?`, ...candidateValues(c), c.id);
        await audit(tx, e);
        return 'updated' as const;
      }),
    listAudit: async (subject, limit) =>
      (subject
        ? await db.all('SELECT * FROM centre_audit WHERE subject = ? ORDER BY id DESC LIMIT ?', subject, limit)
        : await db.all('SELECT * FROM centre_audit ORDER BY id DESC LIMIT ?', limit)
      ).map(toAudit),
    appendAudit: async (e) => {
      await audit(db, e);
    },

    revokeOpenLinks: (candidateId, programmeId, now) =>
      db.transaction(async (tx) => {
        const ids = (
          await tx.all(
            `SELECT id FROM exam_sessions WHERE candidate_id = ? AND programme_id = ? AND status = 'issued' AND token_expires_at > ?`,
            candidateId,
            programmeId,
            now,
          )
        ).map((r) => String(r.id));
        for (const id of ids) await tx.run('UPDATE exam_sessions SET token_expires_at = ? WHERE id = ?', now, id);
        return ids;
      }),
    revokeLink: async (sessionId, now) =>
      (await db.run(
        `UPDATE exam_sessions SET token_expires_at = ? WHERE id = ? AND status = 'issued' AND token_expires_at > ?`,
        now,
        sessionId,
        now,
      )) === 1,
    setExamWindow: async (sessionId, window: ExamWindow) => {
      await db.run(
        `UPDATE exam_sessions SET window_json = ?, token_expires_at = ${dialect.least('token_expires_at', '?')} WHERE id = ?`,
        JSON.stringify(window),
        window.end,
        sessionId,
      );
    },
    getExamWindow: async (sessionId) => {
      const r = await db.get('SELECT window_json FROM exam_sessions WHERE id = ?', sessionId);
      return r?.window_json ? (JSON.parse(String(r.window_json)) as ExamWindow) : null;
    },
    listNotStarted: async (now) =>
      (
        await db.all(
          `SELECT id, candidate_id, programme_id, created_at, token_expires_at, window_json FROM exam_sessions
        WHERE status = 'issued' AND token_expires_at > ? ORDER BY created_at`,
          now,
        )
      )
        .map((r): NotStartedRow => ({
          sessionId: String(r.id),
          candidateId: String(r.candidate_id),
          programmeId: String(r.programme_id),
          createdAt: Number(r.created_at),
          tokenExpiresAt: Number(r.token_expires_at),
          window: r.window_json ? (JSON.parse(String(r.window_json)) as ExamWindow) : null,
        }))
        .sort((a, b) => (a.window?.start ?? a.createdAt) - (b.window?.start ?? b.createdAt)),

    getCentreSettings: async () => {
      const r = await db.get('SELECT * FROM centres LIMIT 1');
      if (!r) return null;
      const contact = JSON.parse(String(r.contact_json)) as { phone?: string | null; email?: string | null };
      return {
        name: JSON.parse(String(r.name_json)),
        accreditationNo: String(r.accreditation_no),
        contact: { phone: contact.phone ?? null, email: contact.email ?? null },
        timeZone: String(r.time_zone),
        headName: String(r.head_name ?? ''),
      } satisfies CentreSettingsRow;
    },
    setCentreSettings: (s, e) =>
      db.transaction(async (tx) => {
        await tx.run(
          'UPDATE centres SET name_json = ?, accreditation_no = ?, contact_json = ?, time_zone = ?, head_name = COALESCE(?, head_name)',
          JSON.stringify(s.name),
          s.accreditationNo,
          JSON.stringify(s.contact),
          s.timeZone,
          s.headName ?? null,
        );
        await audit(tx, e);
      }),

    updateStaffUser: (id, patch: { displayName?: string; role?: StaffRole; passwordHash?: string }, e) =>
      db.transaction(async (tx) => {
        const changed =
          (await tx.run(
            `UPDATE staff_users SET display_name = COALESCE(?, display_name), role = COALESCE(?, role), password_hash = COALESCE(?, password_hash) WHERE id = ?`,
            patch.displayName ?? null,
            patch.role ?? null,
            patch.passwordHash ?? null,
            id,
          )) === 1;
        if (changed) await audit(tx, e);
        return changed;
      }),
    deleteStaffSessionsOf: (userId) => db.run('DELETE FROM staff_sessions WHERE user_id = ?', userId),
  };
}
