/** The AccommodationStore over the store's SqlDatabase. */
import type { AccommodationRecord, Accommodations } from '../../shared/accommodations';
import type { AccommodationStore } from './accommodation-store';
import type { SqlDatabase } from './sql-database';
import { applyProcedureWrite } from './sql-procedure-store';

export function sqlAccommodationStore(db: SqlDatabase): AccommodationStore {
  return {
    getAccommodations: async (candidateId) => {
      const r = await db.get('SELECT * FROM candidate_accommodations WHERE candidate_id = ?', candidateId);
      if (!r) return null;
      return {
        accommodations: JSON.parse(String(r.accommodations_json)) as Accommodations,
        reason: String(r.reason),
        setBy: JSON.parse(String(r.set_by_json)) as AccommodationRecord['setBy'],
        setAt: Number(r.set_at),
        document:
          r.document_sha256 == null
            ? null
            : {
                name: String(r.document_name),
                type: String(r.document_type),
                sha256: String(r.document_sha256),
                bytes: (r.document as Buffer).byteLength,
              },
      };
    },
    getAccommodationDocument: async (candidateId) => {
      const r = await db.get(
        'SELECT document_name, document_type, document_sha256, document FROM candidate_accommodations WHERE candidate_id = ? AND document IS NOT NULL',
        candidateId,
      );
      return r
        ? {
            name: String(r.document_name),
            type: String(r.document_type),
            sha256: String(r.document_sha256),
            bytes: new Uint8Array(r.document as Buffer),
          }
        : null;
    },
    setAccommodations: (candidateId, record, document, audit) =>
      db.transaction(async (tx) => {
        if (!(await tx.get('SELECT 1 FROM candidates WHERE id = ?', candidateId))) return false;
        await tx.run(
          `INSERT INTO candidate_accommodations (candidate_id, accommodations_json, reason, set_by_json, set_at, document_name, document_type, document_sha256, document)
          VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
          ON CONFLICT (candidate_id) DO UPDATE SET accommodations_json = excluded.accommodations_json, reason = excluded.reason, set_by_json = excluded.set_by_json,
            set_at = excluded.set_at, document_name = excluded.document_name, document_type = excluded.document_type, document_sha256 = excluded.document_sha256, document = excluded.document`,
          candidateId,
          JSON.stringify(record.accommodations),
          record.reason,
          JSON.stringify(record.setBy),
          record.setAt,
          document?.name ?? null,
          document?.type ?? null,
          document?.sha256 ?? null,
          document ? Buffer.from(document.bytes) : null,
        );
        await applyProcedureWrite(tx, '', { kind: 'audit', entry: audit });
        return true;
      }),
  };
}
