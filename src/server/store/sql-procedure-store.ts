/** The ProcedureStore over the store's SqlDatabase. */
import type { ExamLanguage } from '../../shared/programme';
import type { IssuedKind } from '../../shared/procedure-api';
import type { PracticalAssessment, ProtocolSignature, ProtocolSnapshot } from '../../shared/procedure';
import type {
  DocumentFileRow,
  IssuedDocumentRow,
  ProcedureRow,
  ProcedureStore,
  ProcedureWrite,
  RescheduleTaskRow,
} from './procedure-store';
import type { StaffActor } from '../../shared/control-room';
import type { CertificateType } from '../../shared/reschedule';

import { inChunks, placeholders, sqlFor, type SqlDatabase, type SqlRow as Row, type SqlRunner } from './sql-database';

const parse = <T>(text: unknown): T => JSON.parse(String(text)) as T;

function toDocument(r: Row): IssuedDocumentRow {
  return {
    id: String(r.id),
    sessionId: String(r.session_id),
    kind: r.kind as IssuedKind,
    number: String(r.number),
    serialNumber: r.serial_number == null ? null : String(r.serial_number),
    sequence: r.sequence == null ? null : Number(r.sequence),
    issuedAt: Number(r.issued_at),
    issuedOn: String(r.issued_on),
    language: r.language as ExamLanguage,
    languages: String(r.languages ?? '')
      .split(',')
      .filter(Boolean)
      .sort() as ExamLanguage[],
    revokedAt: r.revoked_at == null ? null : Number(r.revoked_at),
    revokedReason: r.revoked_reason == null ? null : String(r.revoked_reason),
  };
}

/** Applies one procedure write inside the caller's transaction; false when it is not applied (the whole write rolls back). */
export async function applyProcedureWrite(tx: SqlRunner, sessionId: string, w: ProcedureWrite): Promise<boolean> {
  switch (w.kind) {
    case 'procedure': {
      const current = (await tx.get('SELECT version FROM procedures WHERE session_id = ?', sessionId)) as { version: number } | undefined;
      if ((current?.version ?? 0) !== w.expectVersion) return false;
      const version = w.expectVersion + 1;
      if (!current) await tx.run('INSERT INTO procedures (session_id, version) VALUES (?, ?)', sessionId, version);
      else await tx.run('UPDATE procedures SET version = ? WHERE session_id = ?', version, sessionId);
      if (w.practical)
        await tx.run('UPDATE procedures SET practical_json = ? WHERE session_id = ?', JSON.stringify(w.practical), sessionId);
      if (w.protocol) {
        // A protocol drawn (again) starts unsigned: its signers sign what it now says.
        await tx.run('UPDATE procedures SET protocol_json = ? WHERE session_id = ?', JSON.stringify(w.protocol), sessionId);
        await tx.run('DELETE FROM protocol_signatures WHERE session_id = ?', sessionId);
      }
      if (w.signature) {
        const s = w.signature;
        const protocol = (await tx.get('SELECT protocol_json FROM procedures WHERE session_id = ?', sessionId)) as {
          protocol_json: string | null;
        };
        if (!protocol.protocol_json) return false;
        const number = parse<ProtocolSnapshot>(protocol.protocol_json).number;
        const done = await tx.run(
          `INSERT INTO protocol_signatures (session_id, protocol_number, user_id, name, role, at) VALUES (?, ?, ?, ?, ?, ?)
          ON CONFLICT (session_id, user_id) DO NOTHING`,
          sessionId,
          number,
          s.userId,
          s.name,
          s.role,
          s.at,
        );
        if (done !== 1) return false;
      }
      return true;
    }
    case 'counter': {
      await tx.lock(`counter:${w.centreId}:${w.name}`); // every session's documents take their numbers from it
      const row = (await tx.get('SELECT last FROM centre_counters WHERE centre_id = ? AND name = ?', w.centreId, w.name)) as
        { last: number } | undefined;
      if ((row?.last ?? 0) + 1 !== w.value) return false;
      await tx.run(
        `INSERT INTO centre_counters (centre_id, name, last) VALUES (?, ?, ?)
        ON CONFLICT (centre_id, name) DO UPDATE SET last = excluded.last`,
        w.centreId,
        w.name,
        w.value,
      );
      return true;
    }
    case 'document': {
      const d = w.document;
      if (await tx.get('SELECT 1 FROM issued_documents WHERE session_id = ? AND kind = ?', sessionId, d.kind)) return false;
      await tx.run(
        `INSERT INTO issued_documents (id, session_id, kind, number, serial_number, sequence, issued_at, issued_on, language)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        d.id,
        sessionId,
        d.kind,
        d.number,
        d.serialNumber,
        d.sequence,
        d.issuedAt,
        d.issuedOn,
        d.language,
      );
      await tx.run(
        'INSERT INTO document_files (document_id, language, sha256, bytes, stored_at) VALUES (?, ?, ?, ?, ?)',
        d.id,
        d.language,
        d.file.sha256,
        Buffer.from(d.file.bytes),
        d.issuedAt,
      );
      return true;
    }
    case 'document-file': {
      if (!(await tx.get('SELECT 1 FROM issued_documents WHERE id = ? AND session_id = ?', w.documentId, sessionId))) return false;
      return (
        (await tx.run(
          `INSERT INTO document_files (document_id, language, sha256, bytes, stored_at) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (document_id, language) DO NOTHING`,
          w.documentId,
          w.language,
          w.file.sha256,
          Buffer.from(w.file.bytes),
          w.at,
        )) === 1
      );
    }
    case 'revoke':
      return (
        (await tx.run(
          'UPDATE issued_documents SET revoked_at = ?, revoked_reason = ? WHERE id = ? AND session_id = ? AND revoked_at IS NULL',
          w.at,
          w.reason,
          w.documentId,
          sessionId,
        )) === 1
      );
    case 'reschedule-open': {
      const t = w.task;
      if (await tx.get("SELECT 1 FROM reschedule_tasks WHERE session_id = ? AND state = 'open'", sessionId)) return false;
      await tx.run(
        `INSERT INTO reschedule_tasks (id, session_id, cause, note, certificate_type, certificate_sha256, certificate, opened_at, opened_by_json, state)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'open')`,
        t.id,
        sessionId,
        t.cause,
        t.note,
        t.certificate?.type ?? null,
        t.certificate?.sha256 ?? null,
        t.certificate ? Buffer.from(t.certificate.bytes) : null,
        t.openedAt,
        t.openedBy ? JSON.stringify(t.openedBy) : null,
      );
      return true;
    }
    case 'reschedule-close':
      return (
        (await tx.run(
          `UPDATE reschedule_tasks SET state = ?, closed_at = ?, closed_by_json = ?, refused_reason = ?, new_session_id = ?, new_window_json = ?
        WHERE id = ? AND session_id = ? AND state = 'open'`,
          w.state,
          w.at,
          JSON.stringify(w.by),
          w.refusedReason,
          w.newSessionId,
          w.newWindow ? JSON.stringify(w.newWindow) : null,
          w.taskId,
          sessionId,
        )) === 1
      );
    case 'audit':
      await tx.run(
        'INSERT INTO centre_audit (at, actor_json, action, subject, changes_json) VALUES (?, ?, ?, ?, ?)',
        w.entry.at,
        JSON.stringify(w.entry.actor),
        w.entry.action,
        w.entry.subject,
        JSON.stringify(w.entry.changes),
      );
      return true;
  }
}

export function sqlProcedureStore(db: SqlDatabase): ProcedureStore {
  const DOCUMENT_SELECT = `SELECT d.*, (SELECT ${sqlFor(db.dialect).joinGroup('f.language')} FROM document_files f WHERE f.document_id = d.id) AS languages
    FROM issued_documents d`;
  const signaturesOf = async (sessionId: string): Promise<ProtocolSignature[]> =>
    (await db.all('SELECT * FROM protocol_signatures WHERE session_id = ? ORDER BY at, user_id', sessionId)).map((r) => ({
      userId: String(r.user_id),
      name: String(r.name),
      role: r.role as ProtocolSignature['role'],
      at: Number(r.at),
    }));
  const toProcedure = async (r: Row): Promise<ProcedureRow> => ({
    sessionId: String(r.session_id),
    version: Number(r.version),
    practical: r.practical_json == null ? null : parse<PracticalAssessment>(r.practical_json),
    protocol: r.protocol_json == null ? null : parse<ProtocolSnapshot>(r.protocol_json),
    signatures: await signaturesOf(String(r.session_id)),
  });

  const toTask = (r: Row): RescheduleTaskRow => ({
    id: String(r.id),
    sessionId: String(r.session_id),
    cause: r.cause as RescheduleTaskRow['cause'],
    note: String(r.note),
    certificateType: r.certificate_type == null ? null : (String(r.certificate_type) as CertificateType),
    certificateSha256: r.certificate_sha256 == null ? null : String(r.certificate_sha256),
    openedAt: Number(r.opened_at),
    openedBy: r.opened_by_json == null ? null : parse<StaffActor>(r.opened_by_json),
    state: r.state as RescheduleTaskRow['state'],
    closedAt: r.closed_at == null ? null : Number(r.closed_at),
    closedBy: r.closed_by_json == null ? null : parse<StaffActor>(r.closed_by_json),
    refusedReason: r.refused_reason == null ? null : String(r.refused_reason),
    newSessionId: r.new_session_id == null ? null : String(r.new_session_id),
    newWindow: r.new_window_json == null ? null : parse<{ start: number; end: number }>(r.new_window_json),
  });
  const TASK_COLUMNS =
    'id, session_id, cause, note, certificate_type, certificate_sha256, opened_at, opened_by_json, state, closed_at, closed_by_json, refused_reason, new_session_id, new_window_json';
  const document = async (where: string, key: string) => {
    const r = await db.get(`${DOCUMENT_SELECT} WHERE ${where} = ?`, key);
    return r ? toDocument(r) : null;
  };

  return {
    listRescheduleTasks: async (states) =>
      states.length === 0
        ? []
        : (
            await db.all(
              `SELECT ${TASK_COLUMNS} FROM reschedule_tasks WHERE state IN (${placeholders(states.length)}) ORDER BY opened_at, id`,
              ...states,
            )
          ).map(toTask),
    getRescheduleTask: async (id) => {
      const r = await db.get(`SELECT ${TASK_COLUMNS} FROM reschedule_tasks WHERE id = ?`, id);
      return r ? toTask(r) : null;
    },
    getRescheduleCertificate: async (id) => {
      const r = await db.get(
        'SELECT certificate_type, certificate_sha256, certificate FROM reschedule_tasks WHERE id = ? AND certificate IS NOT NULL',
        id,
      );
      return r
        ? {
            type: String(r.certificate_type) as CertificateType,
            sha256: String(r.certificate_sha256),
            bytes: new Uint8Array(r.certificate as Buffer),
          }
        : null;
    },
    getProcedure: async (sessionId) => {
      const r = await db.get('SELECT * FROM procedures WHERE session_id = ?', sessionId);
      return r ? toProcedure(r) : null;
    },
    listProceduresFor: async (sessionIds) => {
      const out = new Map<string, ProcedureRow>();
      for (const part of inChunks([...new Set(sessionIds)])) {
        for (const r of await db.all(`SELECT * FROM procedures WHERE session_id IN (${placeholders(part.length)})`, ...part))
          out.set(String(r.session_id), await toProcedure(r));
      }
      return out;
    },
    listDocuments: async (sessionId) =>
      (await db.all(`${DOCUMENT_SELECT} WHERE d.session_id = ? ORDER BY d.issued_at, d.kind`, sessionId)).map(toDocument),
    listDocumentsFor: async (sessionIds) => {
      const out = new Map<string, IssuedDocumentRow[]>();
      for (const part of inChunks([...new Set(sessionIds)])) {
        for (const r of await db.all(
          `${DOCUMENT_SELECT} WHERE d.session_id IN (${placeholders(part.length)}) ORDER BY d.issued_at, d.kind`,
          ...part,
        )) {
          const d = toDocument(r);
          out.set(d.sessionId, [...(out.get(d.sessionId) ?? []), d]);
        }
      }
      return out;
    },
    getDocument: (id) => document('d.id', id),
    findDocumentBySerial: (serialNumber) => document('d.serial_number', serialNumber),
    listDocumentsIssuedBetween: async (from, to, kinds) =>
      kinds.length === 0
        ? []
        : (
            await db.all(
              `${DOCUMENT_SELECT} WHERE d.issued_on >= ? AND d.issued_on <= ? AND d.kind IN (${placeholders(kinds.length)}) ORDER BY d.issued_on, d.issued_at, d.id`,
              from,
              to,
              ...kinds,
            )
          ).map(toDocument),
    getDocumentFile: async (documentId, language): Promise<DocumentFileRow | null> => {
      const r = await db.get('SELECT * FROM document_files WHERE document_id = ? AND language = ?', documentId, language);
      return r
        ? { documentId, language, sha256: String(r.sha256), bytes: new Uint8Array(r.bytes as Buffer), storedAt: Number(r.stored_at) }
        : null;
    },
    counterValue: async (centreId, name) =>
      Number((await db.get('SELECT last FROM centre_counters WHERE centre_id = ? AND name = ?', centreId, name))?.last ?? 0),
    setTechnologicalMap: (programmeId, items, audit) =>
      db.transaction(async (tx) => {
        if ((await tx.run('UPDATE programmes SET tech_map_json = ? WHERE id = ?', JSON.stringify(items), programmeId)) !== 1) return false;
        await applyProcedureWrite(tx, '', { kind: 'audit', entry: audit });
        return true;
      }),
  };
}
