/**
 * The contract of the procedure's routes (src/server/procedure-routes.ts, verify-routes.ts):
 * request bodies validated with zod at the centre (and by a page before it sends), the answers'
 * shapes, and the reasons a request is refused (codes a page translates).
 */
import { z } from 'zod';
import type { ExamLanguage } from './languages';
import type { LocalisedText, TechMapItem } from './programme';
import type {
  CommissionSeat,
  Deadline,
  PracticalAssessment,
  ProcedureDecision,
  ProcedureStage,
  ProtocolSignature,
  ProtocolSnapshot,
} from './procedure';
import type { ProtocolErrorCode, StaffRole } from './protocol';
import { COMMENT_MAX } from './limits';
import { technologicalMapSchema } from './programme';

/**
 * The documents this centre issues (Appendix 2's document, rule 19's notice, rule 17's protocol, rule 14's act, rule 22's appeal decision).
 */
export const ISSUED_KINDS = ['violation-act', 'protocol', 'recognition', 'failure-notice', 'appeal-decision'] as const;
export type IssuedKind = (typeof ISSUED_KINDS)[number];

/** Roles of the procedure (rules 9, 16-19): the exam commission. */
export const COMMISSION_ROLES: readonly StaffRole[] = ['commission_chair', 'commission_member'];
/** Who reads procedures and their documents: the commission and admins. */
export const PROCEDURE_READ_ROLES: readonly StaffRole[] = [...COMMISSION_ROLES, 'admin'];
/** Who reads a violation act (rule 14): the commission, admins, and reviewers (who confirm violations). */
export const ACT_READ_ROLES: readonly StaffRole[] = [...PROCEDURE_READ_ROLES, 'reviewer'];

/** Why a procedure request is refused, finer than the protocol's code. */
export const PROCEDURE_REASONS = [
  'not_a_procedure', // the session is not a finished exam (running, suspended for rule 11, an unused link)
  'practical_not_due', // not admitted to the practical stage, or failed for a violation
  'no_technological_map',
  'items_mismatch',
  'comment_required',
  'decision_contradicts_items',
  'practical_missing', // the protocol needs the practical assessment first
  'protocol_signed', // a fully signed protocol is final
  'no_protocol',
  'protocol_changed',
  'protocol_stale',
  'not_on_commission',
  'already_signed',
  'not_commission_member',
  'not_signed', // documents are issued once the protocol is fully signed
  'no_violation', // no act for a session without a violation (rule 14)
  'accreditation_number', // the centre's accreditation number has no 4 digits for the serial number (Appendix 2)
  'calendar', // the working-day calendar has no data for a date the deadline needs
  'already_revoked',
  'not_issued',
] as const;
export type ProcedureReason = (typeof PROCEDURE_REASONS)[number];

export interface ProcedureError {
  code: ProtocolErrorCode;
  message: string;
  reason?: ProcedureReason;
  /** Map items a refused practical assessment names (missing, unknown, twice, failed without a comment). */
  itemIds?: string[];
}

const comment = z.string().trim().max(COMMENT_MAX).nullable().default(null);

/** PUT /api/procedures/:sessionId/practical (rule 16): each map item passed or failed, and the decision. */
export const practicalBodySchema = z
  .object({
    items: z
      .array(z.object({ itemId: z.string().regex(/^[a-z0-9-]{1,40}$/), passed: z.boolean(), comment }).strict())
      .min(1)
      .max(50),
    decision: z.enum(['passed', 'failed']),
  })
  .strict();
export type PracticalBody = z.input<typeof practicalBodySchema>;

/** POST /api/procedures/:sessionId/protocol (rule 17): the chair draws it up and names the members who sign with them. */
export const drawProtocolBodySchema = z
  .object({
    memberIds: z
      .array(z.string().uuid())
      .min(1)
      .max(10)
      .refine((ids) => new Set(ids).size === ids.length, 'duplicate member'),
  })
  .strict();

/** POST /api/procedures/:sessionId/signatures: the signer names the protocol they read (a redrawn one is not signed unseen). */
export const signBodySchema = z.object({ protocolNumber: z.string().min(1).max(40) }).strict();

/** POST /api/documents/:id/revoke (admins). */
export const revokeBodySchema = z.object({ reason: z.string().trim().min(1).max(COMMENT_MAX) }).strict();

/** PUT /api/programmes/:id/technological-map (admins). */
export const techMapBodySchema = z.object({ items: technologicalMapSchema }).strict();

/** ?lang=kk|ru on a document: the exam language by default, the other on request. */
export const documentQuerySchema = z.object({ lang: z.enum(['kk', 'ru']).optional() }).strict();

export interface IssuedDocumentView {
  id: string;
  kind: IssuedKind;
  /** The serial number (recognition) or the register number (protocol, notice, act). */
  number: string;
  issuedAt: number;
  /** The centre's date of issue, YYYY-MM-DD. */
  issuedOn: string;
  /** The language it was issued in; `languages` holds those stored so far. */
  language: ExamLanguage;
  languages: ExamLanguage[];
  revokedAt: number | null;
}

/** One row of the commission's dashboard (GET /api/procedures): no IIN, no answers. */
export interface ProcedureSummary {
  sessionId: string;
  candidateName: string;
  programme: { id: string; code: string; profession: LocalisedText; nqfLevel: number };
  examLanguage: ExamLanguage | null;
  finishedAt: number | null;
  /** The practical assessment when there is one, else the end of the theory exam. */
  endedAt: number | null;
  decision: ProcedureDecision;
  stage: ProcedureStage;
  protocol: { number: string; drawnAt: number; signed: number; required: number; fullySignedAt: number | null; stale: boolean } | null;
  deadlines: { protocol: Deadline | null; document: Deadline | null };
  /** A deadline due today, overdue, or not computable (the calendar lacks a year). */
  attention: boolean;
  documents: IssuedDocumentView[];
}

/** GET /api/procedures/:sessionId: the summary with what the commission acts on. */
export interface ProcedureDetail extends ProcedureSummary {
  theory: { correct: number; total: number; percent: number; admitted: boolean } | null;
  verdict: { kind: string; comment: string; by: string; at: number } | null;
  technologicalMap: TechMapItem[];
  practical: PracticalAssessment | null;
  protocolFull: ProtocolSnapshot | null;
  signatures: ProtocolSignature[];
  /** Commission members a chair may name on the protocol. */
  commissionMembers: CommissionSeat[];
}

/** GET /verify/:number with Accept: application/json. Never the IIN. */
export type VerificationResult =
  | { status: 'unknown'; number: string }
  | {
      status: 'valid' | 'revoked';
      number: string;
      holder: string;
      profession: { kk: string; ru: string };
      nqfLevel: number;
      centre: { kk: string; ru: string };
      issuedOn: string;
      revokedOn: string | null;
    };
