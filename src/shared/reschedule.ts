/**
 * Rescheduling (rules 6, 7, 11): a reschedule task is opened for an exam suspended for a technical fault
 * (rule 11) or for a candidate on sick leave who proves it with the sick-leave certificate (rule 7). The
 * admin either sets the new date and time window (a new exam link for the same candidate and programme)
 * or refuses with a reason. Pure: the certificate's check by its first bytes, the bodies' schemas.
 */
import { z } from 'zod';
import { COMMENT_MAX } from './limits';

export const RESCHEDULE_CAUSES = ['technical_fault', 'sick_leave'] as const;
export type RescheduleCause = (typeof RESCHEDULE_CAUSES)[number];
export const RESCHEDULE_STATES = ['open', 'rescheduled', 'refused'] as const;
export type RescheduleState = (typeof RESCHEDULE_STATES)[number];

/** A certificate (a scan or a photo) of at most 5 MB. */
export const MAX_CERTIFICATE_BYTES = 5 * 1024 * 1024;
export const CERTIFICATE_TYPES = ['application/pdf', 'image/jpeg', 'image/png'] as const;
export type CertificateType = (typeof CERTIFICATE_TYPES)[number];

/**
 * What the file is by its first bytes, whatever its name or declared type says: PDF (`%PDF-`), JPEG
 * (FF D8 FF) or PNG (the 8-byte signature); null for anything else.
 */
export function certificateType(bytes: Uint8Array): CertificateType | null {
  const starts = (sig: readonly number[]) => bytes.length >= sig.length && sig.every((b, i) => bytes[i] === b);
  if (starts([0x25, 0x50, 0x44, 0x46, 0x2d])) return 'application/pdf';
  if (starts([0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  return null;
}

export type CertificateRefusal = 'empty_file' | 'too_large' | 'not_a_certificate_file';

/** Checks an uploaded certificate: not empty, within the size, and really a PDF, JPEG or PNG. */
export function checkCertificate(bytes: Uint8Array): { ok: true; type: CertificateType } | { ok: false; reason: CertificateRefusal } {
  if (bytes.length === 0) return { ok: false, reason: 'empty_file' };
  if (bytes.length > MAX_CERTIFICATE_BYTES) return { ok: false, reason: 'too_large' };
  const type = certificateType(bytes);
  return type ? { ok: true, type } : { ok: false, reason: 'not_a_certificate_file' };
}

/** The base64 of MAX_CERTIFICATE_BYTES, with room for the JSON around it. */
export const SICK_LEAVE_BODY_LIMIT = Math.ceil(MAX_CERTIFICATE_BYTES / 3) * 4 + 16 * 1024;

/** POST /api/admin/reschedule-tasks/sick-leave: the admin files the certificate on the candidate's behalf (rule 7). */
export const sickLeaveBodySchema = z
  .object({
    /** The exam (its link) the candidate cannot come to. */
    sessionId: z.string().uuid(),
    note: z.string().trim().min(1).max(COMMENT_MAX),
    /** The certificate's bytes, base64. */
    certificate: z
      .string()
      .min(1)
      .max(SICK_LEAVE_BODY_LIMIT)
      .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'not_base64'),
  })
  .strict();

/** POST /api/exam/sick-leave: the candidate files it on their own exam link (the exam is the link's). */
export const candidateSickLeaveSchema = z
  .object({
    note: z.string().trim().min(1).max(COMMENT_MAX),
    certificate: z
      .string()
      .min(1)
      .max(SICK_LEAVE_BODY_LIMIT)
      .regex(/^[A-Za-z0-9+/]+={0,2}$/, 'not_base64'),
  })
  .strict();

const MAX_WINDOW_MS = 14 * 24 * 3600_000;
/** POST /api/admin/reschedule-tasks/:id/reschedule: the new window (rule 6: the candidate is told the new date). */
export const rescheduleBodySchema = z
  .object({ windowStart: z.number().int().positive(), windowEnd: z.number().int().positive() })
  .strict()
  .refine((s) => s.windowEnd > s.windowStart, { message: 'window_order', path: ['windowEnd'] })
  .refine((s) => s.windowEnd - s.windowStart <= MAX_WINDOW_MS, { message: 'window_too_long', path: ['windowEnd'] });

/** POST /api/admin/reschedule-tasks/:id/refuse: why (e.g. the certificate does not cover the exam's day). */
export const refuseRescheduleBodySchema = z.object({ reason: z.string().trim().min(1).max(COMMENT_MAX) }).strict();

/** A task as the admin console lists it (no IIN). */
export interface RescheduleTaskView {
  id: string;
  cause: RescheduleCause;
  state: RescheduleState;
  /** The exam that was suspended or that the candidate cannot come to. */
  sessionId: string;
  candidateId: string;
  candidateName: string;
  programmeId: string;
  programmeCode: string;
  note: string;
  /** The certificate's type when one was filed (GET …/:id/certificate). */
  certificate: CertificateType | null;
  openedAt: number;
  openedBy: string | null;
  closedAt: number | null;
  closedBy: string | null;
  refusedReason: string | null;
  /** Once rescheduled: the new exam and its window. */
  newSessionId: string | null;
  newWindow: { start: number; end: number } | null;
}

/** GET /api/exam/reschedule: what the candidate reads on the moved exam's link (rule 6); null when nothing is asked. */
export interface RescheduleNotice {
  state: RescheduleState;
  cause: RescheduleCause;
  /** The new date and time window once rescheduled (the new link is sent by the centre). */
  newWindow: { start: number; end: number } | null;
  decidedAt: number | null;
  /** The centre's time zone, to show the window in. */
  timeZone: string;
}
