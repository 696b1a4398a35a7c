/**
 * A candidate's record as Appendix 1 asks for it (full name, IIN, birth date, address, e-mail, phone,
 * profession, NQF level, consent to personal-data processing): one zod schema for the admin form and
 * the centre's route. Errors are codes per field (`CandidateFieldError`), translated by the UI.
 */
import { z } from 'zod';
import { isValidIin } from './iin';

export const CANDIDATE_FIELDS = [
  'surname',
  'givenName',
  'patronymic',
  'iin',
  'birthDate',
  'address',
  'email',
  'phone',
  'profession',
  'nqfLevel',
  'consent',
] as const;
export type CandidateField = (typeof CANDIDATE_FIELDS)[number];

export const CANDIDATE_FIELD_ERRORS = [
  'required',
  'too_long',
  'iin_format',
  'iin_checksum',
  'date',
  'birth_date_mismatch',
  'email',
  'phone',
  'nqf_level',
  'consent_required',
  'invalid',
] as const;
export type CandidateFieldError = (typeof CANDIDATE_FIELD_ERRORS)[number];

const text = (max: number) => z.string().trim().min(1, 'required').max(max, 'too_long');
const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, 'too_long')
    .nullable()
    .optional()
    .transform((v) => (v ? v : null));

/** The birth date an IIN encodes (YYMMDD and the century digit: 1-2 → 1800s, 3-4 → 1900s, 5-6 → 2000s), ISO; null if it has none. */
export function iinBirthDate(iin: string): string | null {
  if (!/^\d{12}$/.test(iin)) return null;
  const century = { 1: 1800, 2: 1800, 3: 1900, 4: 1900, 5: 2000, 6: 2000 }[Number(iin[6])];
  if (!century) return null;
  return `${century + Number(iin.slice(0, 2))}-${iin.slice(2, 4)}-${iin.slice(4, 6)}`;
}

const isIsoDate = (s: string): boolean => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
};

export const candidateInputSchema = z
  .object({
    surname: text(100),
    givenName: text(100),
    patronymic: optionalText(100),
    iin: z
      .string()
      .trim()
      .regex(/^\d{12}$/, 'iin_format')
      .refine(isValidIin, 'iin_checksum'),
    birthDate: z.string().trim().refine(isIsoDate, 'date'),
    address: text(300),
    email: z
      .string()
      .trim()
      .max(200, 'too_long')
      .email('email')
      .nullable()
      .optional()
      .or(z.literal('').transform(() => null))
      .transform((v) => v ?? null),
    phone: z
      .string()
      .trim()
      .regex(/^\+?[0-9][0-9 ()-]{6,19}$/, 'phone'),
    profession: text(200),
    nqfLevel: z.number({ message: 'nqf_level' }).int('nqf_level').min(1, 'nqf_level').max(8, 'nqf_level'),
    /** Appendix 1: the candidate agreed to the processing of personal data (on paper or in the form). */
    consent: z.literal(true, { message: 'consent_required' }),
  })
  .strict()
  .superRefine((c, ctx) => {
    const encoded = iinBirthDate(c.iin);
    if (encoded && isIsoDate(c.birthDate) && encoded !== c.birthDate) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['birthDate'], message: 'birth_date_mismatch' });
    }
  });

export type CandidateInput = z.input<typeof candidateInputSchema>;
export type CandidateData = z.output<typeof candidateInputSchema>;

/** Field → error code, the first per field; a key outside the form ('(form)') for a stray field. */
export function candidateFieldErrors(error: z.ZodError): Partial<Record<CandidateField | '(form)', CandidateFieldError>> {
  const out: Partial<Record<CandidateField | '(form)', CandidateFieldError>> = {};
  for (const issue of error.issues) {
    const key = (CANDIDATE_FIELDS as readonly string[]).includes(String(issue.path[0])) ? (issue.path[0] as CandidateField) : '(form)';
    if (out[key]) continue;
    const own = (CANDIDATE_FIELD_ERRORS as readonly string[]).includes(issue.message) ? (issue.message as CandidateFieldError) : null;
    out[key] =
      own ??
      (issue.code === 'too_small'
        ? 'required'
        : issue.code === 'too_big'
          ? 'too_long'
          : issue.code === 'invalid_type' && key !== '(form)'
            ? 'required'
            : 'invalid');
  }
  return out;
}

/** A stored candidate as the admin console sees it (admins only: it carries the IIN). */
export interface CandidateRecord extends Omit<CandidateData, 'consent'> {
  id: string;
  /** When the consent to personal-data processing was recorded; null for candidates made before the consent date was kept. */
  consentAt: number | null;
  updatedAt: number | null;
  hasReferencePhoto: boolean;
}

/** What changed between two versions of a record, field by field (for the audit log). */
export function candidateChanges(
  before: Partial<Record<CandidateField, unknown>> | null,
  after: Partial<Record<CandidateField, unknown>>,
): Partial<Record<CandidateField, { from: unknown; to: unknown }>> {
  const out: Partial<Record<CandidateField, { from: unknown; to: unknown }>> = {};
  for (const field of CANDIDATE_FIELDS) {
    const from = before ? (before[field] ?? null) : null;
    const to = after[field] ?? null;
    if (from !== to) out[field] = { from, to };
  }
  return out;
}
