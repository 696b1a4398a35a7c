/** The AppealStore (rules 20-23) over the store's SqlDatabase. */
import type { AppealFileType } from '../../shared/appeal';
import type { StaffActor } from '../../shared/control-room';
import type { AppealFileRow, AppealRow, AppealStore, AppealWrite } from './appeal-store';
import type { SqlDatabase, SqlRow, SqlRunner } from './sql-database';

/** Applies one appeal write inside the caller's transaction; false when it is not applied (the whole write rolls back). */
export async function applyAppealWrite(tx: SqlRunner, sessionId: string, w: AppealWrite): Promise<boolean> {
  switch (w.kind) {
    case 'appeal': {
      const a = w.appeal;
      if (await tx.get('SELECT 1 FROM appeals WHERE session_id = ?', sessionId)) return false;
      await tx.run(
        'INSERT INTO appeals (id, session_id, number, filed_at, filed_on, text) VALUES (?, ?, ?, ?, ?, ?)',
        a.id,
        sessionId,
        a.number,
        a.filedAt,
        a.filedOn,
        a.text,
      );
      for (const [index, f] of a.files.entries()) {
        await tx.run(
          'INSERT INTO appeal_files (appeal_id, idx, name, type, sha256, size, bytes) VALUES (?, ?, ?, ?, ?, ?, ?)',
          a.id,
          index,
          f.name,
          f.type,
          f.sha256,
          f.bytes.byteLength,
          Buffer.from(f.bytes),
        );
      }
      return true;
    }
    case 'appeal-decided':
      return (
        (await tx.run(
          `UPDATE appeals SET decision = ?, reasons = ?, decided_by_json = ?, decided_at = ?, decision_document_id = ?
        WHERE id = ? AND session_id = ? AND decided_at IS NULL`,
          w.decision,
          w.reasons,
          JSON.stringify(w.by),
          w.at,
          w.documentId,
          w.appealId,
          sessionId,
        )) === 1
      );
  }
}

export function sqlAppealStore(db: SqlDatabase): AppealStore {
  const filesOf = async (appealId: string): Promise<AppealFileRow[]> =>
    (await db.all('SELECT idx, name, type, sha256, size FROM appeal_files WHERE appeal_id = ? ORDER BY idx', appealId)).map((r) => ({
      index: Number(r.idx),
      name: String(r.name),
      type: r.type as AppealFileType,
      sha256: String(r.sha256),
      size: Number(r.size),
    }));
  const toAppeal = async (r: SqlRow): Promise<AppealRow> => ({
    id: String(r.id),
    sessionId: String(r.session_id),
    number: String(r.number),
    filedAt: Number(r.filed_at),
    filedOn: String(r.filed_on),
    text: String(r.text),
    files: await filesOf(String(r.id)),
    decision: (r.decision ?? null) as AppealRow['decision'],
    reasons: r.reasons == null ? null : String(r.reasons),
    decidedBy: r.decided_by_json == null ? null : (JSON.parse(String(r.decided_by_json)) as StaffActor),
    decidedAt: r.decided_at == null ? null : Number(r.decided_at),
    decisionDocumentId: r.decision_document_id == null ? null : String(r.decision_document_id),
  });
  const appealWhere = async (where: string, key: string) => {
    const r = await db.get(`SELECT * FROM appeals WHERE ${where} = ?`, key);
    return r ? toAppeal(r) : null;
  };
  return {
    getAppeal: (id) => appealWhere('id', id),
    getAppealOfSession: (sessionId) => appealWhere('session_id', sessionId),
    listAppeals: async () => Promise.all((await db.all('SELECT * FROM appeals ORDER BY filed_at')).map(toAppeal)),
    getAppealFile: async (appealId, index) => {
      const r = await db.get('SELECT * FROM appeal_files WHERE appeal_id = ? AND idx = ?', appealId, index);
      return r
        ? {
            index,
            name: String(r.name),
            type: r.type as AppealFileType,
            sha256: String(r.sha256),
            size: Number(r.size),
            bytes: new Uint8Array(r.bytes as Buffer),
          }
        : null;
    },
  };
}
