/**
 * What the admin console stores beyond a session: the full Appendix 1 record of candidates,
 * the exam window of an issued link, the centre's settings, staff accounts, and the centre-level audit
 * log (who did what to which record, when, and what changed). Session acts stay in the session's
 * hash-chained log; these are records that belong to no session.
 */
import type { LocalisedText } from '../../shared/programme';
import type { StaffActor } from '../../shared/control-room';
import type { StaffRole } from '../../shared/protocol';

export interface CandidateRecordRow {
  id: string;
  centreId: string;
  surname: string;
  givenName: string;
  patronymic: string | null;
  iin: string;
  email: string | null;
  birthDate: string | null;
  address: string | null;
  phone: string | null;
  profession: string | null;
  nqfLevel: number | null;
  consentAt: number | null;
  updatedAt: number | null;
}

export interface NewAuditEntry {
  at: number;
  actor: StaffActor;
  /** e.g. candidate.created, candidate.updated, exam.scheduled, exam.revoked, programme.proctoring, staff.created, centre.updated */
  action: string;
  /** What the act was on, as `kind:id` (candidate:…, session:…, programme:…, staff:…, centre:…). */
  subject: string;
  changes: Record<string, unknown>;
}

export interface AuditEntry extends NewAuditEntry {
  id: number;
}

/** When the candidate may sit the exam (server clock, ms). */
export interface ExamWindow {
  start: number;
  end: number;
}

export interface NotStartedRow {
  sessionId: string;
  candidateId: string;
  programmeId: string;
  createdAt: number;
  tokenExpiresAt: number;
  window: ExamWindow | null;
}

export interface CentreSettingsRow {
  name: LocalisedText;
  accreditationNo: string;
  contact: { phone: string | null; email: string | null };
  timeZone: string;
  /** The head of the centre (signs the document on recognition); kept when a change leaves it out. */
  headName?: string;
}

export interface AdminStore {
  getCandidateRecord(id: string): Promise<CandidateRecordRow | null>;
  /** By name (any part) or IIN (prefix), at most `limit`, by surname; an empty query lists the first ones. */
  findCandidateRecords(query: string, limit: number): Promise<CandidateRecordRow[]>;
  /** The candidate and its audit entry in one transaction; an IIN already on file is refused. */
  createCandidateRecord(row: CandidateRecordRow, audit: NewAuditEntry): Promise<'created' | 'duplicate_iin'>;
  /** Replaces the record's fields; the audit entry gets the changes (computed from the stored version) in the same transaction. */
  updateCandidateRecord(
    row: CandidateRecordRow,
    audit: (before: CandidateRecordRow) => NewAuditEntry,
  ): Promise<'updated' | 'unchanged' | 'duplicate_iin' | 'not_found'>;
  listAudit(subject: string | null, limit: number): Promise<AuditEntry[]>;
  appendAudit(entry: NewAuditEntry): Promise<void>;

  /** Ends every unused link of this candidate for this programme now (they answer 'expired'); returns their session ids. */
  revokeOpenLinks(candidateId: string, programmeId: string, now: number): Promise<string[]>;
  /** Ends one unused link now; false when it was used or already ended. */
  revokeLink(sessionId: string, now: number): Promise<boolean>;
  setExamWindow(sessionId: string, window: ExamWindow): Promise<void>;
  getExamWindow(sessionId: string): Promise<ExamWindow | null>;
  /** Links issued and not yet used nor ended, oldest window first. */
  listNotStarted(now: number): Promise<NotStartedRow[]>;

  getCentreSettings(): Promise<CentreSettingsRow | null>;
  setCentreSettings(settings: CentreSettingsRow, audit: NewAuditEntry): Promise<void>;

  updateStaffUser(
    id: string,
    patch: { displayName?: string; role?: StaffRole; passwordHash?: string },
    audit: NewAuditEntry,
  ): Promise<boolean>;
  /** Ends every log-in of the user (after a password reset or a role change). */
  deleteStaffSessionsOf(userId: string): Promise<number>;
}
