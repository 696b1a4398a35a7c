/**
 * Staff accounts and the centre's settings as the admin console edits them, validated with zod
 * in the browser and at the centre. Errors are codes (the issue's message) for the UI to translate.
 */
import { z } from 'zod';
import { STAFF_ROLES, type StaffRole } from './protocol';

export const staffCreateSchema = z
  .object({
    username: z
      .string()
      .trim()
      .regex(/^[a-z0-9._-]{3,32}$/, 'username'),
    displayName: z.string().trim().min(1, 'required').max(100, 'too_long'),
    role: z.enum(STAFF_ROLES, { message: 'role' }),
  })
  .strict();

export const staffUpdateSchema = z
  .object({
    displayName: z.string().trim().min(1, 'required').max(100, 'too_long'),
    role: z.enum(STAFF_ROLES, { message: 'role' }),
  })
  .strict();

export interface StaffAccount {
  id: string;
  username: string;
  displayName: string;
  role: StaffRole;
  /** Wrong passwords are slowing this name's log-ins: until when, and from how many addresses; null when none. */
  slowedUntil: number | null;
  slowedAddresses: number;
}

/** A password made by the centre, shown to the admin once. */
export interface IssuedPassword {
  id: string;
  username: string;
  password: string;
}

const isTimeZone = (tz: string): boolean => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

/**
 * Level 5 of the document's serial number (Appendix 2) is the centre's 4-digit number received
 * at accreditation. The settings keep the accreditation number as written on the certificate (e.g.
 * "KZ-ACC-0042"); its 4 digits are its last group of digits, which must be exactly 4 digits long
 * ("KZ-ACC-0042" → 0042, "0001" → 0001; "KZ-ACC-42" or "KZ-00421" have none). Null when there are none.
 */
export function accreditationDigits(accreditationNo: string): string | null {
  const last = /(\d+)\D*$/.exec(accreditationNo.trim());
  return last && last[1]!.length === 4 ? last[1]! : null;
}

const optionalContact = (max: number) =>
  z
    .string()
    .trim()
    .max(max, 'too_long')
    .nullable()
    .transform((v) => (v ? v : null));

export const centreSettingsSchema = z
  .object({
    name: z
      .object({
        kk: z.string().trim().min(1, 'required').max(200, 'too_long'),
        ru: z.string().trim().min(1, 'required').max(200, 'too_long'),
        en: z.string().trim().min(1, 'required').max(200, 'too_long'),
      })
      .strict(),
    accreditationNo: z
      .string()
      .trim()
      .min(1, 'required')
      .max(64, 'too_long')
      .refine((v) => accreditationDigits(v) !== null, 'accreditation_digits'),
    /** The head of the centre who signs the document on recognition (Appendix 2); kept when absent. */
    headName: z.string().trim().max(200, 'too_long').optional(),
    contact: z
      .object({
        phone: optionalContact(40).refine((p) => p === null || /^\+?[0-9][0-9 ()-]{6,30}$/.test(p), 'phone'),
        email: optionalContact(200).refine((e) => e === null || z.string().email().safeParse(e).success, 'email'),
      })
      .strict(),
    timeZone: z.string().min(1, 'required').max(64).refine(isTimeZone, 'time_zone'),
  })
  .strict();
export type CentreSettings = z.output<typeof centreSettingsSchema>;

/** Path (e.g. "name.kk", "contact.email") → error code, the first per path. */
export function settingErrors(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.join('.') || '(form)';
    if (!out[key]) out[key] = /^[a-z_]+$/.test(issue.message) ? issue.message : issue.code === 'too_small' ? 'required' : 'invalid';
  }
  return out;
}
