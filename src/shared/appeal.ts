/**
 * Appeals (rules 20-23) as pure functions and the contract of their routes
 * (src/server/appeal-routes.ts). The clock and the calendar are passed in.
 *
 * When the candidate "received the result" (rule 20): the moment the failure notice (rule 19) was
 * issued. Tanu makes it available to the candidate on their result page (GET /api/exam/documents)
 * in the same transaction that issues it, so issuing is receiving; the notice prints the same last
 * day (document-issuer.ts computes it with APPEAL_DAYS from the same moment). A candidate who passed
 * received the document on recognition: rule 23's remedy is that document, so there is nothing to
 * appeal. A procedure whose protocol is not signed or whose notice is not issued yet has no result
 * the candidate received: the window has not opened.
 *
 * The window: 5 working days of Kazakhstan after that day (working-days.ts: the day itself never
 * counts); the last day is open to its end in the centre's time zone. A filing after it is refused
 * with the date it closed.
 *
 * Registration (rule 21): automatic at filing. The appeal gets the centre's next register number of
 * the year (like protocols and notices) and the filing's date, and is on the appeal commission's
 * list from then on: the registration is the receipt from which rule 22's 5 working days run.
 *
 * One appeal per session: rule 20 gives the candidate an appeal of the commission's decision; the
 * appeal commission's decision closes it at the centre (a second appeal of the same decision would
 * go to the same commission). A rejected candidate retakes the exam (rule 19).
 */
import { z } from 'zod';
import type { ProtocolErrorCode } from './protocol';
import { workingDayDeadline, type Deadline, type FailureReason } from './procedure';
import { kzCalendar, WorkingDayError, type WorkingCalendar, type WorkingDayErrorCode } from './working-days';

/** Rule 20: the appeal within 5 working days of receiving the result. */
export const APPEAL_DAYS = 5;
/** Rule 22: the appeal commission decides within 5 working days of receiving (registering) it. */
export const APPEAL_DECISION_DAYS = 5;
/** Rule 23 by way of rule 18: the document on recognition within 3 working days of the positive decision. */
export const APPEAL_DOCUMENT_DAYS = 3;

// The filing's limits live in a module without zod: the candidate's page imports them as values.
export {
  APPEAL_BODY_MAX_BYTES,
  APPEAL_FILE_MAX_BYTES,
  APPEAL_FILE_TYPES,
  APPEAL_FILES_MAX,
  APPEAL_REASONS_MAX,
  APPEAL_TEXT_MAX,
  APPEAL_TEXT_MIN,
  type AppealFileType,
} from './appeal-limits';
import {
  APPEAL_FILE_MAX_BYTES,
  APPEAL_FILE_TYPES,
  APPEAL_FILES_MAX,
  APPEAL_REASONS_MAX,
  APPEAL_TEXT_MAX,
  APPEAL_TEXT_MIN,
  type AppealFileType,
} from './appeal-limits';

/* ------------------------------------------- the window ------------------------------------------- */

export type AppealWindow =
  | { ok: true; closesOn: string }
  | { ok: false; reason: 'appeal_closed'; closedOn: string }
  | { ok: false; reason: 'calendar'; error: WorkingDayErrorCode };

/** Whether a filing at `at` is in time for a result received at `receivedAt` (rule 20). */
export function appealWindow(
  receivedAt: number,
  at: number,
  timeZone: string,
  calendar: Pick<WorkingCalendar, 'addWorkingDays'> = kzCalendar,
): AppealWindow {
  const d = workingDayDeadline(receivedAt, APPEAL_DAYS, null, at, timeZone, calendar);
  if (d.due === null) return { ok: false, reason: 'calendar', error: d.error };
  return d.state === 'overdue' ? { ok: false, reason: 'appeal_closed', closedOn: d.due } : { ok: true, closesOn: d.due };
}

/** Rule 22: the decision's deadline, from the registration; met or late once decided. */
export function appealDecisionDeadline(
  registeredAt: number,
  decidedAt: number | null,
  now: number,
  timeZone: string,
  calendar: Pick<WorkingCalendar, 'addWorkingDays'> = kzCalendar,
): Deadline {
  return workingDayDeadline(registeredAt, APPEAL_DECISION_DAYS, decidedAt, now, timeZone, calendar);
}

/** Rule 23: the last day for the document after an upheld appeal; null when the calendar lacks the year. */
export function appealDocumentDueBy(
  decidedAt: number,
  timeZone: string,
  calendar: Pick<WorkingCalendar, 'addWorkingDays'> = kzCalendar,
): string | null {
  try {
    return calendar.addWorkingDays(decidedAt, APPEAL_DOCUMENT_DAYS, timeZone);
  } catch (err) {
    if (err instanceof WorkingDayError) return null;
    throw err;
  }
}

/* ------------------------------------------- who may appeal ------------------------------------------- */

/** Why a session may not (or no longer) file an appeal; the window's own refusals are in AppealWindow. */
export type AppealIneligibility = 'no_result' | 'passed' | 'already_appealed';

export interface AppealStanding {
  /** The protocol's outcome once fully signed; null before. */
  outcome: 'passed' | 'failed' | null;
  /** When the failure notice was issued (the result received); null before. */
  noticeIssuedAt: number | null;
  hasAppeal: boolean;
}

export function appealIneligibility(s: AppealStanding): AppealIneligibility | null {
  if (s.hasAppeal) return 'already_appealed';
  if (s.outcome === 'passed') return 'passed';
  if (s.outcome !== 'failed' || s.noticeIssuedAt === null) return 'no_result';
  return null;
}

/* ------------------------------------------- files ------------------------------------------- */

/** The file's type by its first bytes (never by its name or the type the browser claims). */
export function sniffAppealFile(bytes: Uint8Array): AppealFileType | null {
  const starts = (sig: readonly number[]) => bytes.length >= sig.length && sig.every((b, i) => bytes[i] === b);
  if (starts([0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (starts([0x25, 0x50, 0x44, 0x46, 0x2d])) return 'application/pdf'; // %PDF-
  return null;
}

/** Decoded size of a base64 string without decoding it. */
export function base64Size(b64: string): number {
  const pad = b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0;
  return Math.floor((b64.length * 3) / 4) - pad;
}

const fileSchema = z
  .object({
    name: z
      .string()
      .trim()
      .min(1)
      .max(120)
      .regex(/^[^\\/\u0000-\u001f]+$/, 'a file name without slashes or control characters'),
    type: z.enum(APPEAL_FILE_TYPES),
    /** The file's bytes, base64. */
    data: z
      .string()
      .min(4)
      .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'base64')
      .refine((s) => s.length % 4 === 0, 'base64')
      .refine((s) => base64Size(s) <= APPEAL_FILE_MAX_BYTES, `at most ${APPEAL_FILE_MAX_BYTES} bytes`),
  })
  .strict();

/**
 * POST /api/exam/appeal (rule 20): the candidate's text and optional files (images or PDF). The centre checks each file's first bytes too.
 */
export const appealFilingSchema = z
  .object({
    text: z.string().trim().min(APPEAL_TEXT_MIN).max(APPEAL_TEXT_MAX),
    files: z.array(fileSchema).max(APPEAL_FILES_MAX).default([]),
  })
  .strict();
export type AppealFiling = z.input<typeof appealFilingSchema>;

/** POST /api/appeals/:id/decision (rule 22): upheld or rejected, with the reasons. */
export const appealDecisionSchema = z
  .object({
    decision: z.enum(['upheld', 'rejected']),
    reasons: z.string().trim().min(1).max(APPEAL_REASONS_MAX),
  })
  .strict();
export type AppealDecisionBody = z.input<typeof appealDecisionSchema>;

/* ------------------------------------------- answers ------------------------------------------- */

export const APPEAL_REASONS = [
  'appeal_closed', // filed after the window's last day: closedOn says which
  'no_result', // no signed protocol with a failure notice yet: nothing received to appeal
  'passed', // the candidate passed: the document is issued, nothing to appeal
  'already_appealed', // one appeal per session
  'file_type', // a file's first bytes are not a JPEG, PNG or PDF, or not the type it claims
  'already_decided',
  'calendar', // the working-day calendar lacks a year the deadline needs
  'not_upheld', // a document is asked for an appeal that is undecided or rejected
] as const;
export type AppealReason = (typeof APPEAL_REASONS)[number];

export interface AppealErrorBody {
  code: ProtocolErrorCode;
  message: string;
  reason?: AppealReason;
  /** With 'appeal_closed': the window's last day, YYYY-MM-DD (centre's date). */
  closedOn?: string;
  /** With 'file_type': the file's index in the filing. */
  fileIndex?: number;
}

export interface AppealFileView {
  index: number;
  name: string;
  type: AppealFileType;
  bytes: number;
  sha256: string;
}

export interface AppealDecisionView {
  decision: 'upheld' | 'rejected';
  reasons: string;
  decidedAt: number;
  decidedOn: string;
  /** Who decided: the appeal commission's member, by name. */
  by: string;
  /** The decision's PDF (kk and ru), an issued document of kind 'appeal-decision'. */
  documentId: string;
}

/** An appeal as its candidate sees it. */
export interface AppealView {
  id: string;
  /** Rule 21: the register number, e.g. 2026-000003. */
  number: string;
  filedAt: number;
  /** Rule 21: the registration date, the centre's date of the filing. */
  registeredOn: string;
  text: string;
  files: AppealFileView[];
  /** Rule 22. */
  deadline: Deadline;
  decision: AppealDecisionView | null;
}

/** GET /api/exam/appeal: whether the candidate may appeal, until when, and their appeal. */
export interface CandidateAppealState {
  /** null: the window is open (see closesOn) or the appeal is filed. */
  ineligible: AppealIneligibility | 'appeal_closed' | 'calendar' | null;
  /** When the result was received (the notice issued), the centre's date; null before. */
  receivedOn: string | null;
  /** The window's last day (open or closed); null before the result or without the calendar. */
  closesOn: string | null;
  appeal: AppealView | null;
}

/** One row of the appeal commission's list: no IIN. */
export interface AppealSummary extends AppealView {
  sessionId: string;
  candidateName: string;
  programme: { code: string; profession: { kk: string; ru: string; en?: string }; nqfLevel: number };
  /** Due today, overdue, or not computable. */
  attention: boolean;
}

/** GET /api/appeals/:id: what the appeal contests. */
export interface AppealDetail extends AppealSummary {
  protocol: {
    number: string;
    signedOn: string | null;
    outcome: 'passed' | 'failed';
    reason: FailureReason | null;
    documentId: string | null;
  };
  theory: { correct: number; total: number; percent: number; admitted: boolean } | null;
  practical: {
    decision: 'passed' | 'failed';
    items: { text: { kk: string; ru: string }; passed: boolean; comment: string | null }[];
  } | null;
  notice: { id: string; number: string; issuedOn: string } | null;
  /** The document on recognition issued on an upheld appeal (rule 23). */
  recognition: { id: string; number: string; issuedOn: string } | null;
}
