/**
 * The paper trail after the exam as documents (PDF, A4, in Kazakh or Russian).
 * One typed input per document: the contract the centre fills from its procedure and the
 * renderer (src/server/documents/) turns into a file. Nothing here is worded for the page:
 * every label comes from the renderer's catalogue, so the same input prints in either language.
 *
 * Conventions for every input:
 * - moments (exam start, a violation, a signature) are epoch milliseconds, printed in
 *   `centre.timeZone`; calendar dates (date of issue, validity, deadlines) are ISO
 *   `YYYY-MM-DD` strings, printed as they are, never shifted by a time zone;
 * - names the centre holds in both languages (centre, profession, violation wording, topics)
 *   are `BilingualText`; free text a person wrote (a comment, a reason, the appeal's summary)
 *   is a plain string, printed as written, never translated;
 * - the IIN (personal data) is on the records kept in the candidate's file (act, protocol,
 *   appeal decision) and never on the recognition document or the failure notice, which leave
 *   the centre; their input types have no field for it.
 */
import type { ExamLanguage } from './languages';
import type { VerdictKind } from './credibility';

export const DOCUMENT_KINDS = ['violation-act', 'protocol', 'recognition', 'failure-notice', 'appeal-decision'] as const;
export type DocumentKind = (typeof DOCUMENT_KINDS)[number];

/** The languages a document is printed in (rule 9's two exam languages). */
export type DocumentLanguage = ExamLanguage;

/** Text the centre keeps in both document languages (a LocalisedText with English fits too). */
export interface BilingualText {
  kk: string;
  ru: string;
}

/** A calendar date, `YYYY-MM-DD`. */
export type IsoDate = string;

export interface DocumentCentre {
  name: BilingualText;
  /** The 4-digit number received at accreditation (Appendix 2, level 5). */
  accreditationNo: string;
  /** IANA zone the centre's moments are printed in, e.g. "Asia/Almaty". */
  timeZone: string;
}

/** The candidate on a record kept in their personal file. */
export interface RecordCandidate {
  fullName: string;
  /** 12 digits. */
  iin: string;
}

export interface DocumentProgramme {
  code: string;
  profession: BilingualText;
  /** National qualification framework level, 1–8. */
  nqfLevel: number;
}

export const COMMISSION_ROLES = ['chair', 'member', 'secretary'] as const;
export type CommissionRole = (typeof COMMISSION_ROLES)[number];

/** One member of a commission on a document: each signature is a logged act with who and when. */
export interface CommissionSignature {
  fullName: string;
  role: CommissionRole;
  /** When the member signed in Tanu; null prints "not signed". */
  signedAt: number | null;
}

/** How the procedure was held, as the programme sets (rules 9–11). */
export type ExamMode = 'online' | 'offline';

/* ---------------------------------- violation act (rule 14) ---------------------------------- */

export interface ActViolation {
  /** The rule it breaks, docs/rules.md numbering ("12", "2.8.2"). */
  rule: string;
  at: number;
  /** What was seen, worded by the centre from its incident catalogue. */
  description: BilingualText;
  /** The evidence snapshot, JPEG bytes; null when none was kept. */
  snapshotJpeg: Uint8Array | null;
  /** Where in the session's recording the moment is, ms from its start; null without a recording. */
  recordingOffsetMs: number | null;
}

/** Who acted: the proctoring itself (rule 13: automatic) or a named member of staff. */
export type ActActor = { kind: 'automatic' } | { kind: 'staff'; fullName: string };

export interface ActStep {
  at: number;
  by: ActActor;
}

export type ProctorDecisionKind = 'confirmed' | 'dismissed' | 'ended_exam';

export interface ActDecision<K extends string> {
  decision: K;
  fullName: string;
  at: number;
  /** Why, as written. */
  comment: string;
}

export interface ViolationActInput {
  /** The centre's register number of the act. */
  actNumber: string;
  drawnUpOn: IsoDate;
  centre: DocumentCentre;
  candidate: RecordCandidate;
  programme: DocumentProgramme;
  mode: ExamMode;
  sessionId: string;
  examStartedAt: number;
  /** When the exam ended; null if it was not ended (e.g. a confirmed violation after submission). */
  examEndedAt: number | null;
  /** In the order they were recorded; at least one. */
  violations: ActViolation[];
  /** Rule 13: the warning after the first violation; null if none was given. */
  warning: ActStep | null;
  /** Rule 13: the end of the procedure on a repeat; null if it did not end for a violation. */
  termination: ActStep | null;
  proctorDecision: ActDecision<ProctorDecisionKind> | null;
  reviewerDecision: ActDecision<VerdictKind> | null;
  commission: CommissionSignature[];
  /** The session's hash-chained event log, checked when the act was drawn up. */
  log: { headHash: string; eventCount: number; verified: boolean; checkedAt: number };
}

/* ------------------------------------- protocol (rule 17) ------------------------------------- */

export interface TechnologicalMapItem {
  title: BilingualText;
  passed: boolean;
  comment: string | null;
}

export interface ProtocolInput {
  protocolNumber: string;
  drawnUpOn: IsoDate;
  centre: DocumentCentre;
  candidate: RecordCandidate;
  programme: DocumentProgramme;
  mode: ExamMode;
  examLanguage: DocumentLanguage;
  procedureStartedAt: number;
  procedureEndedAt: number;
  /** Rule 15: admitted to the practical stage with more than 70 % (the renderer computes it from these). */
  theory: { correct: number; total: number };
  /** Rule 16: the practical task against the technological map; null when not admitted to it. */
  practical: { assessedAt: number; items: TechnologicalMapItem[]; passed: boolean } | null;
  /** Violation acts drawn up in this procedure (rule 14). */
  violations: Array<{ actNumber: string; rule: string; description: BilingualText }>;
  /** Rule 17: the commission's decision; must agree with the theory and practical results. */
  decision: 'passed' | 'failed';
  commission: CommissionSignature[];
}

/* -------------------------- document on recognition (rule 18, Appendix 2) -------------------------- */

export interface RecognitionDocumentInput {
  /** The six-level number `XXXXX-XXXXXXXX-X-XXXXXX-XXXX-XXXXXXXX`, formatted by the centre. */
  serialNumber: string;
  centre: DocumentCentre & { headFullName: string };
  holder: { fullName: string };
  programme: DocumentProgramme;
  issuedOn: IsoDate;
  /** Null: valid without a limit. */
  validUntil: IsoDate | null;
  /** What the QR code holds: the public verification page (`/verify/<number>` or the centre's template). */
  verificationUrl: string;
  protocol: { number: string; signedOn: IsoDate };
}

/* ------------------------------------ failure notice (rule 19) ------------------------------------ */

/** One topic of the questions answered wrongly: the recommendation of rule 19.2 (never the answer key). */
export interface TopicRecommendation {
  topic: BilingualText;
  wrong: number;
  asked: number;
}

export interface FailureNoticeInput {
  noticeNumber: string;
  issuedOn: IsoDate;
  centre: DocumentCentre & { headFullName: string };
  candidate: { fullName: string };
  programme: DocumentProgramme;
  procedureStartedAt: number;
  protocol: { number: string; signedOn: IsoDate };
  theory: { correct: number; total: number };
  /** Null: the practical stage was not reached. */
  practical: { passed: boolean } | null;
  /** True when the procedure ended for a violation (rules 13–14). */
  endedForViolation: boolean;
  recommendations: TopicRecommendation[];
  /** Rule 20: the last day to appeal, 5 working days after the result is received. */
  appealUntil: IsoDate;
}

/* --------------------------------- appeal decision (rules 20–23) --------------------------------- */

export interface AppealDecisionInput {
  appealNumber: string;
  /** Rule 21: registered by the centre. */
  registeredOn: IsoDate;
  centre: DocumentCentre;
  candidate: RecordCandidate;
  programme: DocumentProgramme;
  protocol: { number: string; signedOn: IsoDate };
  /** The candidate's text, summarised or in full, as written. */
  summary: string;
  decision: 'upheld' | 'rejected';
  /** Why, as the appeal commission wrote it. */
  reasons: string;
  /** Rule 22: within 5 working days of receipt. */
  decidedOn: IsoDate;
  commission: CommissionSignature[];
  /** Rule 23, when upheld: the last day the document on recognition is issued by (rule 18's 3 working days). */
  documentDueBy: IsoDate | null;
}

export interface DocumentInputs {
  'violation-act': ViolationActInput;
  protocol: ProtocolInput;
  recognition: RecognitionDocumentInput;
  'failure-notice': FailureNoticeInput;
  'appeal-decision': AppealDecisionInput;
}
