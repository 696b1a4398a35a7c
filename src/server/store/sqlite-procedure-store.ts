/** SQLite implementation of the ProcedureStore (issue 13), sharing the store's connection and statement cache. */
import type Database from 'better-sqlite3';
import type { ExamLanguage } from '../../shared/programme';
import type { IssuedKind } from '../../shared/procedure-api';
import type { PracticalAssessment, ProtocolSignature, ProtocolSnapshot } from '../../shared/procedure';
import type { DocumentFileRow, IssuedDocumentRow, ProcedureRow, ProcedureStore, ProcedureWrite, RescheduleTaskRow } from './procedure-store';
import type { StaffActor } from '../../shared/control-room';
import type { CertificateType } from '../../shared/reschedule';

type Row = Record<string, unknown>;
type Sql = (text: string) => Database.Statement;
const parse = <T>(text: unknown): T => JSON.parse(String(text)) as T;

function toDocument(r: Row): IssuedDocumentRow {
  return {
    id: String(r.id), sessionId: String(r.session_id), kind: r.kind as IssuedKind, number: String(r.number),
    serialNumber: r.serial_number == null ? null : String(r.serial_number), sequence: r.sequence == null ? null : Number(r.sequence),
    issuedAt: Number(r.issued_at), issuedOn: String(r.issued_on), language: r.language as ExamLanguage,
    languages: String(r.languages ?? '').split(',').filter(Boolean).sort() as ExamLanguage[],
    revokedAt: r.revoked_at == null ? null : Number(r.revoked_at), revokedReason: r.revoked_reason == null ? null : String(r.revoked_reason),
  };
}

const DOCUMENT_SELECT = `SELECT d.*, (SELECT GROUP_CONCAT(f.language) FROM document_files f WHERE f.document_id = d.id) AS languages FROM issued_documents d`;

function chunks<T>(items: readonly T[], size = 500): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Applies one procedure write inside the caller's transaction; false when it is not applied (the whole write rolls back). */
export function applyProcedureWrite(sql: Sql, sessionId: string, w: ProcedureWrite): boolean {
  switch (w.kind) {
    case 'procedure': {
      const current = sql('SELECT version FROM procedures WHERE session_id = ?').get(sessionId) as { version: number } | undefined;
      if ((current?.version ?? 0) !== w.expectVersion) return false;
      const version = w.expectVersion + 1;
      if (!current) sql('INSERT INTO procedures (session_id, version) VALUES (?, ?)').run(sessionId, version);
      else sql('UPDATE procedures SET version = ? WHERE session_id = ?').run(version, sessionId);
      if (w.practical) sql('UPDATE procedures SET practical_json = ? WHERE session_id = ?').run(JSON.stringify(w.practical), sessionId);
      if (w.protocol) {
        // A protocol drawn (again) starts unsigned: its signers sign what it now says.
        sql('UPDATE procedures SET protocol_json = ? WHERE session_id = ?').run(JSON.stringify(w.protocol), sessionId);
        sql('DELETE FROM protocol_signatures WHERE session_id = ?').run(sessionId);
      }
      if (w.signature) {
        const s = w.signature;
        const protocol = sql('SELECT protocol_json FROM procedures WHERE session_id = ?').get(sessionId) as { protocol_json: string | null };
        if (!protocol.protocol_json) return false;
        const number = parse<ProtocolSnapshot>(protocol.protocol_json).number;
        const done = sql(`INSERT INTO protocol_signatures (session_id, protocol_number, user_id, name, role, at) VALUES (?, ?, ?, ?, ?, ?)
          ON CONFLICT (session_id, user_id) DO NOTHING`).run(sessionId, number, s.userId, s.name, s.role, s.at);
        if (done.changes !== 1) return false;
      }
      return true;
    }
    case 'counter': {
      const row = sql('SELECT last FROM centre_counters WHERE centre_id = ? AND name = ?').get(w.centreId, w.name) as { last: number } | undefined;
      if ((row?.last ?? 0) + 1 !== w.value) return false;
      sql(`INSERT INTO centre_counters (centre_id, name, last) VALUES (?, ?, ?)
        ON CONFLICT (centre_id, name) DO UPDATE SET last = excluded.last`).run(w.centreId, w.name, w.value);
      return true;
    }
    case 'document': {
      const d = w.document;
      if (sql('SELECT 1 FROM issued_documents WHERE session_id = ? AND kind = ?').get(sessionId, d.kind)) return false;
      sql(`INSERT INTO issued_documents (id, session_id, kind, number, serial_number, sequence, issued_at, issued_on, language)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(d.id, sessionId, d.kind, d.number, d.serialNumber, d.sequence, d.issuedAt, d.issuedOn, d.language);
      sql('INSERT INTO document_files (document_id, language, sha256, bytes, stored_at) VALUES (?, ?, ?, ?, ?)')
        .run(d.id, d.language, d.file.sha256, Buffer.from(d.file.bytes), d.issuedAt);
      return true;
    }
    case 'document-file': {
      if (!sql('SELECT 1 FROM issued_documents WHERE id = ? AND session_id = ?').get(w.documentId, sessionId)) return false;
      return sql(`INSERT INTO document_files (document_id, language, sha256, bytes, stored_at) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (document_id, language) DO NOTHING`).run(w.documentId, w.language, w.file.sha256, Buffer.from(w.file.bytes), w.at).changes === 1;
    }
    case 'revoke':
      return sql('UPDATE issued_documents SET revoked_at = ?, revoked_reason = ? WHERE id = ? AND session_id = ? AND revoked_at IS NULL')
        .run(w.at, w.reason, w.documentId, sessionId).changes === 1;
    case 'reschedule-open': {
      const t = w.task;
      if (sql("SELECT 1 FROM reschedule_tasks WHERE session_id = ? AND state = 'open'").get(sessionId)) return false;
      sql(`INSERT INTO reschedule_tasks (id, session_id, cause, note, certificate_type, certificate_sha256, certificate, opened_at, opened_by_json, state)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'open')`).run(
        t.id, sessionId, t.cause, t.note, t.certificate?.type ?? null, t.certificate?.sha256 ?? null, t.certificate ? Buffer.from(t.certificate.bytes) : null,
        t.openedAt, t.openedBy ? JSON.stringify(t.openedBy) : null,
      );
      return true;
    }
    case 'reschedule-close':
      return sql(`UPDATE reschedule_tasks SET state = ?, closed_at = ?, closed_by_json = ?, refused_reason = ?, new_session_id = ?, new_window_json = ?
        WHERE id = ? AND session_id = ? AND state = 'open'`).run(
        w.state, w.at, JSON.stringify(w.by), w.refusedReason, w.newSessionId, w.newWindow ? JSON.stringify(w.newWindow) : null, w.taskId, sessionId,
      ).changes === 1;
    case 'audit':
      sql('INSERT INTO centre_audit (at, actor_json, action, subject, changes_json) VALUES (?, ?, ?, ?, ?)')
        .run(w.entry.at, JSON.stringify(w.entry.actor), w.entry.action, w.entry.subject, JSON.stringify(w.entry.changes));
      return true;
  }
}

export function sqliteProcedureStore(db: Database.Database, sql: Sql): ProcedureStore {
  const signaturesOf = (sessionId: string): ProtocolSignature[] =>
    (sql('SELECT * FROM protocol_signatures WHERE session_id = ? ORDER BY at, user_id').all(sessionId) as Row[]).map((r) => ({
      userId: String(r.user_id), name: String(r.name), role: r.role as ProtocolSignature['role'], at: Number(r.at),
    }));
  const toProcedure = (r: Row): ProcedureRow => ({
    sessionId: String(r.session_id),
    version: Number(r.version),
    practical: r.practical_json == null ? null : parse<PracticalAssessment>(r.practical_json),
    protocol: r.protocol_json == null ? null : parse<ProtocolSnapshot>(r.protocol_json),
    signatures: signaturesOf(String(r.session_id)),
  });

  const toTask = (r: Row): RescheduleTaskRow => ({
    id: String(r.id), sessionId: String(r.session_id), cause: r.cause as RescheduleTaskRow['cause'], note: String(r.note),
    certificateType: r.certificate_type == null ? null : (String(r.certificate_type) as CertificateType),
    certificateSha256: r.certificate_sha256 == null ? null : String(r.certificate_sha256),
    openedAt: Number(r.opened_at), openedBy: r.opened_by_json == null ? null : parse<StaffActor>(r.opened_by_json),
    state: r.state as RescheduleTaskRow['state'], closedAt: r.closed_at == null ? null : Number(r.closed_at),
    closedBy: r.closed_by_json == null ? null : parse<StaffActor>(r.closed_by_json), refusedReason: r.refused_reason == null ? null : String(r.refused_reason),
    newSessionId: r.new_session_id == null ? null : String(r.new_session_id), newWindow: r.new_window_json == null ? null : parse<{ start: number; end: number }>(r.new_window_json),
  });
  const TASK_COLUMNS = 'id, session_id, cause, note, certificate_type, certificate_sha256, opened_at, opened_by_json, state, closed_at, closed_by_json, refused_reason, new_session_id, new_window_json';

  return {
    listRescheduleTasks: async (states) => {
      if (states.length === 0) return [];
      return (sql(`SELECT ${TASK_COLUMNS} FROM reschedule_tasks WHERE state IN (${states.map(() => '?').join(',')}) ORDER BY opened_at, id`).all(...states) as Row[]).map(toTask);
    },
    getRescheduleTask: async (id) => {
      const r = sql(`SELECT ${TASK_COLUMNS} FROM reschedule_tasks WHERE id = ?`).get(id) as Row | undefined;
      return r ? toTask(r) : null;
    },
    getRescheduleCertificate: async (id) => {
      const r = sql('SELECT certificate_type, certificate_sha256, certificate FROM reschedule_tasks WHERE id = ? AND certificate IS NOT NULL').get(id) as Row | undefined;
      return r ? { type: String(r.certificate_type) as CertificateType, sha256: String(r.certificate_sha256), bytes: new Uint8Array(r.certificate as Buffer) } : null;
    },
    getProcedure: async (sessionId) => {
      const r = sql('SELECT * FROM procedures WHERE session_id = ?').get(sessionId) as Row | undefined;
      return r ? toProcedure(r) : null;
    },
    listProceduresFor: async (sessionIds) => {
      const out = new Map<string, ProcedureRow>();
      for (const part of chunks([...new Set(sessionIds)])) {
        for (const r of sql(`SELECT * FROM procedures WHERE session_id IN (${part.map(() => '?').join(',')})`).all(...part) as Row[]) out.set(String(r.session_id), toProcedure(r));
      }
      return out;
    },
    listDocuments: async (sessionId) => (sql(`${DOCUMENT_SELECT} WHERE d.session_id = ? ORDER BY d.issued_at, d.kind`).all(sessionId) as Row[]).map(toDocument),
    listDocumentsFor: async (sessionIds) => {
      const out = new Map<string, IssuedDocumentRow[]>();
      for (const part of chunks([...new Set(sessionIds)])) {
        for (const r of sql(`${DOCUMENT_SELECT} WHERE d.session_id IN (${part.map(() => '?').join(',')}) ORDER BY d.issued_at, d.kind`).all(...part) as Row[]) {
          const d = toDocument(r);
          out.set(d.sessionId, [...(out.get(d.sessionId) ?? []), d]);
        }
      }
      return out;
    },
    getDocument: async (id) => {
      const r = sql(`${DOCUMENT_SELECT} WHERE d.id = ?`).get(id) as Row | undefined;
      return r ? toDocument(r) : null;
    },
    findDocumentBySerial: async (serialNumber) => {
      const r = sql(`${DOCUMENT_SELECT} WHERE d.serial_number = ?`).get(serialNumber) as Row | undefined;
      return r ? toDocument(r) : null;
    },
    listDocumentsIssuedBetween: async (from, to, kinds) => {
      if (kinds.length === 0) return [];
      const rows = sql(`${DOCUMENT_SELECT} WHERE d.issued_on >= ? AND d.issued_on <= ? AND d.kind IN (${kinds.map(() => '?').join(',')}) ORDER BY d.issued_on, d.issued_at, d.id`)
        .all(from, to, ...kinds) as Row[];
      return rows.map(toDocument);
    },
    getDocumentFile: async (documentId, language): Promise<DocumentFileRow | null> => {
      const r = sql('SELECT * FROM document_files WHERE document_id = ? AND language = ?').get(documentId, language) as Row | undefined;
      return r ? { documentId, language, sha256: String(r.sha256), bytes: new Uint8Array(r.bytes as Buffer), storedAt: Number(r.stored_at) } : null;
    },
    counterValue: async (centreId, name) => (sql('SELECT last FROM centre_counters WHERE centre_id = ? AND name = ?').get(centreId, name) as { last: number } | undefined)?.last ?? 0,
    setTechnologicalMap: async (programmeId, items, audit) =>
      db.transaction(() => {
        if (sql('UPDATE programmes SET tech_map_json = ? WHERE id = ?').run(JSON.stringify(items), programmeId).changes !== 1) return false;
        applyProcedureWrite(sql, '', { kind: 'audit', entry: audit });
        return true;
      })(),
  };
}
