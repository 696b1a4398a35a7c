/** SQLite implementation of the AppealStore (issue 13, rules 20-23), sharing the store's connection and statement cache. */
import type Database from 'better-sqlite3';
import type { AppealFileType } from '../../shared/appeal';
import type { StaffActor } from '../../shared/control-room';
import type { AppealFileRow, AppealRow, AppealStore, AppealWrite } from './appeal-store';

type Row = Record<string, unknown>;
type Sql = (text: string) => Database.Statement;

/** Applies one appeal write inside the caller's transaction; false when it is not applied (the whole write rolls back). */
export function applyAppealWrite(sql: Sql, sessionId: string, w: AppealWrite): boolean {
  switch (w.kind) {
    case 'appeal': {
      const a = w.appeal;
      if (sql('SELECT 1 FROM appeals WHERE session_id = ?').get(sessionId)) return false;
      sql('INSERT INTO appeals (id, session_id, number, filed_at, filed_on, text) VALUES (?, ?, ?, ?, ?, ?)').run(a.id, sessionId, a.number, a.filedAt, a.filedOn, a.text);
      a.files.forEach((f, index) => {
        sql('INSERT INTO appeal_files (appeal_id, idx, name, type, sha256, size, bytes) VALUES (?, ?, ?, ?, ?, ?, ?)')
          .run(a.id, index, f.name, f.type, f.sha256, f.bytes.byteLength, Buffer.from(f.bytes));
      });
      return true;
    }
    case 'appeal-decided':
      return sql(`UPDATE appeals SET decision = ?, reasons = ?, decided_by_json = ?, decided_at = ?, decision_document_id = ?
        WHERE id = ? AND session_id = ? AND decided_at IS NULL`).run(w.decision, w.reasons, JSON.stringify(w.by), w.at, w.documentId, w.appealId, sessionId).changes === 1;
  }
}

export function sqliteAppealStore(_db: Database.Database, sql: Sql): AppealStore {
  const filesOf = (appealId: string): AppealFileRow[] =>
    (sql('SELECT idx, name, type, sha256, size FROM appeal_files WHERE appeal_id = ? ORDER BY idx').all(appealId) as Row[]).map((r) => ({
      index: Number(r.idx), name: String(r.name), type: r.type as AppealFileType, sha256: String(r.sha256), size: Number(r.size),
    }));
  const toAppeal = (r: Row): AppealRow => ({
    id: String(r.id), sessionId: String(r.session_id), number: String(r.number), filedAt: Number(r.filed_at), filedOn: String(r.filed_on), text: String(r.text),
    files: filesOf(String(r.id)),
    decision: (r.decision ?? null) as AppealRow['decision'],
    reasons: r.reasons == null ? null : String(r.reasons),
    decidedBy: r.decided_by_json == null ? null : (JSON.parse(String(r.decided_by_json)) as StaffActor),
    decidedAt: r.decided_at == null ? null : Number(r.decided_at),
    decisionDocumentId: r.decision_document_id == null ? null : String(r.decision_document_id),
  });
  return {
    getAppeal: async (id) => {
      const r = sql('SELECT * FROM appeals WHERE id = ?').get(id) as Row | undefined;
      return r ? toAppeal(r) : null;
    },
    getAppealOfSession: async (sessionId) => {
      const r = sql('SELECT * FROM appeals WHERE session_id = ?').get(sessionId) as Row | undefined;
      return r ? toAppeal(r) : null;
    },
    listAppeals: async () => (sql('SELECT * FROM appeals ORDER BY filed_at').all() as Row[]).map(toAppeal),
    getAppealFile: async (appealId, index) => {
      const r = sql('SELECT * FROM appeal_files WHERE appeal_id = ? AND idx = ?').get(appealId, index) as Row | undefined;
      return r ? { index, name: String(r.name), type: r.type as AppealFileType, sha256: String(r.sha256), size: Number(r.size), bytes: new Uint8Array(r.bytes as Buffer) } : null;
    },
  };
}
