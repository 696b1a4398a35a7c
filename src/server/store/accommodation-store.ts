/**
 * Rules 10-11: a candidate's accommodations as the centre keeps them, one record per
 * candidate (the latest an admin set, with who, when and why, and the supporting document's bytes),
 * and each exam's own copy, frozen when the exam starts (ExamSessionRow.accommodations).
 */
import type { AccommodationRecord } from '../../shared/accommodations';
import type { NewAuditEntry } from './admin-store';

export interface AccommodationDocument {
  name: string;
  type: string;
  sha256: string;
  bytes: Uint8Array;
}

export interface AccommodationStore {
  getAccommodations(candidateId: string): Promise<AccommodationRecord | null>;
  getAccommodationDocument(candidateId: string): Promise<AccommodationDocument | null>;
  /**
   * Replaces the candidate's record with its audit entry in one transaction. A null document keeps
   * none (a new record without a document drops the old one: the reason must stand on its own).
   * False when there is no such candidate.
   */
  setAccommodations(
    candidateId: string,
    record: AccommodationRecord,
    document: AccommodationDocument | null,
    audit: NewAuditEntry,
  ): Promise<boolean>;
}
