/**
 * What appeals (rules 20-23) store: per session at most one appeal with its register number,
 * the filing's moment, the candidate's text and files (each stored once with its SHA-256, which the
 * session's log records), and the appeal commission's decision (upheld / rejected, reasons, who, when)
 * with the id of its PDF, an issued document of kind 'appeal-decision' (procedure-store.ts).
 *
 * Changes are LoggedWrites (store.ts): each is committed with the log entry that records it.
 */
import type { StaffActor } from '../../shared/control-room';
import type { AppealFileType } from '../../shared/appeal';

export interface AppealFileRow {
  index: number;
  name: string;
  type: AppealFileType;
  sha256: string;
  size: number;
}

export interface AppealRow {
  id: string;
  sessionId: string;
  number: string;
  filedAt: number;
  filedOn: string;
  text: string;
  files: AppealFileRow[];
  decision: 'upheld' | 'rejected' | null;
  reasons: string | null;
  decidedBy: StaffActor | null;
  decidedAt: number | null;
  decisionDocumentId: string | null;
}

export interface NewAppeal {
  id: string;
  number: string;
  filedAt: number;
  filedOn: string;
  text: string;
  files: Array<{ name: string; type: AppealFileType; sha256: string; bytes: Uint8Array }>;
}

export type AppealWrite =
  /** Files an appeal: not applied when the session has one already (one per session). */
  | { kind: 'appeal'; appeal: NewAppeal }
  /** The decision: applied only to an undecided appeal of this session. */
  | {
      kind: 'appeal-decided';
      appealId: string;
      decision: 'upheld' | 'rejected';
      reasons: string;
      by: StaffActor;
      at: number;
      documentId: string;
    };

export interface AppealStore {
  getAppeal(id: string): Promise<AppealRow | null>;
  getAppealOfSession(sessionId: string): Promise<AppealRow | null>;
  listAppeals(): Promise<AppealRow[]>;
  getAppealFile(appealId: string, index: number): Promise<(AppealFileRow & { bytes: Uint8Array }) | null>;
}
