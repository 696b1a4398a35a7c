/**
 * What the procedure after the exam stores: per finished session the practical assessment,
 * the protocol as drawn and its signatures (who, when); the documents issued (kind, number, the
 * serial number of a document on recognition, UNIQUE; revoked or not) with their PDF files, one per
 * language, each stored once with its SHA-256; and the centre's counters (the documents' 8-digit
 * sequence, the registers of protocols, notices and acts).
 *
 * Changes are LoggedWrites (store.ts), so each is committed with the log entry that records it, and
 * a counter's next value is taken in the same transaction that issues the document.
 */
import type { ExamLanguage, TechMapItem } from '../../shared/programme';
import type { IssuedKind } from '../../shared/procedure-api';
import type { PracticalAssessment, ProtocolSignature, ProtocolSnapshot } from '../../shared/procedure';
import type { NewAuditEntry } from './admin-store';
import type { StaffActor } from '../../shared/control-room';
import type { CertificateType, RescheduleCause, RescheduleState } from '../../shared/reschedule';

export interface ProcedureRow {
  sessionId: string;
  /** Bumped by every change: a change names the version it was made on (optimistic concurrency). */
  version: number;
  practical: PracticalAssessment | null;
  protocol: ProtocolSnapshot | null;
  /** Signatures of the current protocol (a redrawn protocol starts with none). */
  signatures: ProtocolSignature[];
}

export interface IssuedDocumentRow {
  id: string;
  sessionId: string;
  kind: IssuedKind;
  number: string;
  /** The six-level serial number (Appendix 2) of a document on recognition; null for the other kinds. */
  serialNumber: string | null;
  /** Level 6 of the serial number. */
  sequence: number | null;
  issuedAt: number;
  issuedOn: string;
  language: ExamLanguage;
  /** Languages whose file is stored. */
  languages: ExamLanguage[];
  revokedAt: number | null;
  revokedReason: string | null;
}

export interface DocumentFileRow {
  documentId: string;
  language: ExamLanguage;
  sha256: string;
  bytes: Uint8Array;
  storedAt: number;
}

export interface NewDocument {
  id: string;
  kind: IssuedKind;
  number: string;
  serialNumber: string | null;
  sequence: number | null;
  issuedAt: number;
  issuedOn: string;
  language: ExamLanguage;
  file: { sha256: string; bytes: Uint8Array };
}

/** The procedure's writes (applied by writeWithEvents with their log entries; see LoggedWrite in store.ts). */
export type ProcedureWrite =
  /** A change of the procedure made on `version` (0: none yet); not applied when another came first. */
  | {
      kind: 'procedure';
      expectVersion: number;
      practical?: PracticalAssessment;
      protocol?: ProtocolSnapshot;
      signature?: ProtocolSignature;
    }
  /** Takes the counter's next value: applied only when it is `value` (last + 1). */
  | { kind: 'counter'; centreId: string; name: string; value: number }
  /** Issues a document with its first file: not applied when the session has one of that kind already. */
  | { kind: 'document'; document: NewDocument }
  /** A document's file in another language: not applied when that language is stored already. */
  | { kind: 'document-file'; documentId: string; language: ExamLanguage; file: { sha256: string; bytes: Uint8Array }; at: number }
  | { kind: 'revoke'; documentId: string; at: number; reason: string }
  /** Rescheduling (rules 7, 11): opens a task; not applied when the session has an open one already. */
  | { kind: 'reschedule-open'; task: NewRescheduleTask }
  /** Closes an open task (rescheduled with the new exam, or refused with a reason); not applied unless it is open. */
  | {
      kind: 'reschedule-close';
      taskId: string;
      state: 'rescheduled' | 'refused';
      at: number;
      by: StaffActor;
      refusedReason: string | null;
      newSessionId: string | null;
      newWindow: { start: number; end: number } | null;
    }
  /** A centre-level audit entry committed with the rest (who did what). */
  | { kind: 'audit'; entry: NewAuditEntry };

export interface NewRescheduleTask {
  id: string;
  cause: RescheduleCause;
  note: string;
  certificate: { type: CertificateType; sha256: string; bytes: Uint8Array } | null;
  openedAt: number;
  /** null: opened by the centre itself (a technical fault found by the sweeper). */
  openedBy: StaffActor | null;
}

export interface RescheduleTaskRow {
  id: string;
  sessionId: string;
  cause: RescheduleCause;
  note: string;
  certificateType: CertificateType | null;
  certificateSha256: string | null;
  openedAt: number;
  openedBy: StaffActor | null;
  state: RescheduleState;
  closedAt: number | null;
  closedBy: StaffActor | null;
  refusedReason: string | null;
  newSessionId: string | null;
  newWindow: { start: number; end: number } | null;
}

export interface ProcedureStore {
  listRescheduleTasks(states: readonly RescheduleState[]): Promise<RescheduleTaskRow[]>;
  getRescheduleTask(id: string): Promise<RescheduleTaskRow | null>;
  getRescheduleCertificate(id: string): Promise<{ type: CertificateType; sha256: string; bytes: Uint8Array } | null>;
  getProcedure(sessionId: string): Promise<ProcedureRow | null>;
  /** Procedures of many sessions at once (the dashboard). */
  listProceduresFor(sessionIds: readonly string[]): Promise<Map<string, ProcedureRow>>;
  listDocuments(sessionId: string): Promise<IssuedDocumentRow[]>;
  listDocumentsFor(sessionIds: readonly string[]): Promise<Map<string, IssuedDocumentRow[]>>;
  getDocument(id: string): Promise<IssuedDocumentRow | null>;
  findDocumentBySerial(serialNumber: string): Promise<IssuedDocumentRow | null>;
  /** Documents of these kinds issued on the centre's dates from..to (YYYY-MM-DD, both included), oldest first (the NQS export, rule 18). */
  listDocumentsIssuedBetween(from: string, to: string, kinds: readonly IssuedKind[]): Promise<IssuedDocumentRow[]>;
  getDocumentFile(documentId: string, language: ExamLanguage): Promise<DocumentFileRow | null>;
  /** The counter's last value (0 before the first). */
  counterValue(centreId: string, name: string): Promise<number>;
  /** Replaces a programme's technological map with its audit entry, in one transaction; false when there is no such programme. */
  setTechnologicalMap(programmeId: string, items: TechMapItem[], audit: NewAuditEntry): Promise<boolean>;
}
