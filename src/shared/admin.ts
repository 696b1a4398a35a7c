/**
 * The admin console's contract between the browser and the centre (`/api/admin/...`),
 * validated with zod on both sides. Errors are codes (translated by the UI); a candidate form's
 * errors come per field (`fields`, see candidate-record.ts).
 */
import { z } from 'zod';
import type { CandidateField, CandidateFieldError, CandidateRecord } from './candidate-record';
import type { ProtocolErrorCode } from './protocol';

/** Why the admin console's routes refuse, finer than the protocol's code (the UI translates the reason when there is one). */
export const ADMIN_REASONS = [
  'duplicate_iin',
  'csv_empty',
  'csv_unknown_column',
  'csv_missing_column',
  'csv_too_many_rows',
  'window_order',
  'window_too_long',
  'window_past',
  'link_used',
  'duplicate_username',
  'own_role',
  'not_jpeg',
  'no_face',
  'several_faces',
] as const;
export type AdminReason = (typeof ADMIN_REASONS)[number];

/** An admin error as the centre sends it: a protocol code, the finer reason, and for a refused form each field's code. */
export interface AdminError {
  code: ProtocolErrorCode;
  message: string;
  reason?: AdminReason;
  fields?: Partial<Record<string, string>>;
}

export const candidateImportSchema = z.object({ csv: z.string().min(1).max(1_000_000) }).strict();

/** One refused line of an import: its line in the file, the IIN if it had one, and why (field → code, or `duplicate_iin`). */
export interface ImportRefusal {
  line: number;
  iin: string | null;
  name: string | null;
  errors: Partial<Record<CandidateField | '(form)', CandidateFieldError | 'duplicate_iin'>>;
}

export interface ImportReport {
  created: number;
  refused: ImportRefusal[];
}

const MAX_WINDOW_MS = 14 * 24 * 3600_000;

/** An exam scheduled for a candidate: the programme and the window (server clock, ms) in which the link works. */
export const scheduleExamSchema = z
  .object({
    candidateId: z.string().uuid(),
    programmeId: z.string().min(1).max(64),
    windowStart: z.number().int().positive(),
    windowEnd: z.number().int().positive(),
  })
  .strict()
  .refine((s) => s.windowEnd > s.windowStart, { message: 'window_order', path: ['windowEnd'] })
  .refine((s) => s.windowEnd - s.windowStart <= MAX_WINDOW_MS, { message: 'window_too_long', path: ['windowEnd'] });

export interface IssuedExam {
  sessionId: string;
  /** The one-time link: shown once, never stored in the clear. */
  url: string;
  expiresAt: number;
  window: { start: number; end: number };
  /** Earlier unused links of the same candidate and programme, ended by this one. */
  revoked: string[];
}

export interface NotStartedExam {
  sessionId: string;
  candidateId: string;
  candidateName: string;
  programmeCode: string;
  createdAt: number;
  expiresAt: number;
  window: { start: number; end: number } | null;
}

export interface AuditView {
  id: number;
  at: number;
  actor: { name: string; role: string };
  action: string;
  subject: string;
  changes: Record<string, unknown>;
}

export interface CandidateDetail {
  candidate: CandidateRecord;
  audit: AuditView[];
}
