/**
 * Rule 18: "the centre ... enters the result in the NQS digital platform". The export a centre uploads
 * there: one row per outcome document issued (the document on recognition for those who passed, the
 * failure notice of rule 19 for those who failed) in a range of the centre's calendar dates, with the
 * result it records. Columns are documented in docs/nqs-export.md; the IIN is in it because the
 * national system files results by IIN, so only the roles that may see the IIN get the export.
 *
 * Pure: the query's validation, the row's columns and the CSV (RFC 4180, UTF-8 with a BOM, cells that
 * a spreadsheet would run as a formula neutralised).
 */
import { z } from 'zod';
import type { StaffRole } from './protocol';

/** Admins file the results; the commission's chair, who signs the protocols, may check them. */
export const NQS_EXPORT_ROLES: readonly StaffRole[] = ['admin', 'commission_chair'];

/** The longest range one export covers (a year and a day: a whole leap year). */
export const NQS_MAX_RANGE_DAYS = 366;

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const isRealDate = (s: string) => {
  const t = Date.parse(`${s}T00:00:00Z`);
  return Number.isFinite(t) && new Date(t).toISOString().slice(0, 10) === s;
};
const dateField = z.string().regex(DATE, 'bad_date').refine(isRealDate, 'bad_date');

export const NQS_RANGE_REASONS = ['bad_date', 'range_order', 'range_too_long'] as const;
export type NqsRangeReason = (typeof NQS_RANGE_REASONS)[number];

/** GET /api/exports/nqs?from=YYYY-MM-DD&to=YYYY-MM-DD&format=json|csv: both dates included, centre's calendar. */
export const nqsQuerySchema = z
  .object({ from: dateField, to: dateField, format: z.enum(['json', 'csv']).default('json') })
  .strict()
  .superRefine((q, ctx) => {
    if (q.from > q.to) ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'range_order', path: ['to'] });
    else if (daysBetween(q.from, q.to) + 1 > NQS_MAX_RANGE_DAYS)
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: 'range_too_long', path: ['to'] });
  });
export type NqsQuery = z.output<typeof nqsQuerySchema>;

/** The refusal's reason for a bad query (first one that names a known reason), for the 400's `reason`. */
export function nqsRangeReason(error: z.ZodError): NqsRangeReason | null {
  for (const issue of error.issues)
    if ((NQS_RANGE_REASONS as readonly string[]).includes(issue.message)) return issue.message as NqsRangeReason;
  return null;
}

export function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000);
}

/** One result as the NQS receives it. Dates are the centre's calendar dates, YYYY-MM-DD. */
export interface NqsRow {
  result: 'passed' | 'failed';
  /** Why it failed: a violation (rules 13-14), the theory (rule 15), the practical task (rule 16); '' when passed. */
  failureReason: 'violation' | 'theory' | 'practical' | '';
  documentKind: 'recognition' | 'failure-notice';
  /** The six-level serial number (Appendix 2) of a document on recognition, or the notice's register number. */
  documentNumber: string;
  issuedOn: string;
  /** A revoked document stays in the export with the date it was revoked; '' while valid. */
  revokedOn: string;
  iin: string;
  surname: string;
  givenName: string;
  patronymic: string;
  programmeCode: string;
  oked: string;
  occupationCode: string;
  nqfLevel: number;
  professionKk: string;
  professionRu: string;
  examDate: string;
  examLanguage: 'kk' | 'ru' | '';
  theoryCorrect: number | null;
  theoryTotal: number | null;
  /** Per cent of questions answered right, as the centre graded (rule 15: admitted above 70). */
  theoryPercent: number | null;
  practicalDecision: 'passed' | 'failed' | '';
  protocolNumber: string;
  /** The day the protocol was fully signed (rule 17). */
  protocolDate: string;
  centreAccreditationNo: string;
}

/** The CSV's columns, in order: the header row names them as the JSON's keys do. */
export const NQS_COLUMNS = [
  'result',
  'failureReason',
  'documentKind',
  'documentNumber',
  'issuedOn',
  'revokedOn',
  'iin',
  'surname',
  'givenName',
  'patronymic',
  'programmeCode',
  'oked',
  'occupationCode',
  'nqfLevel',
  'professionKk',
  'professionRu',
  'examDate',
  'examLanguage',
  'theoryCorrect',
  'theoryTotal',
  'theoryPercent',
  'practicalDecision',
  'protocolNumber',
  'protocolDate',
  'centreAccreditationNo',
] as const satisfies readonly (keyof NqsRow)[];

/**
 * One CSV cell (RFC 4180): quoted when it holds a comma, a quote, CR or LF, quotes doubled. A text that
 * starts with = + - @ (or a tab or CR) is prefixed with an apostrophe so a spreadsheet shows it rather
 * than running it as a formula; numbers are written as numbers.
 */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** The whole file: a BOM (so spreadsheets read UTF-8 Kazakh letters), the header, one line per row, CRLF line ends. */
export function nqsCsv(rows: readonly NqsRow[]): string {
  const lines = [NQS_COLUMNS.join(','), ...rows.map((r) => NQS_COLUMNS.map((c) => csvCell(r[c])).join(','))];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
}

/** The JSON answer: the range asked, when it was made, and the rows. */
export interface NqsExport {
  from: string;
  to: string;
  timeZone: string;
  generatedAt: number;
  columns: readonly string[];
  rows: NqsRow[];
}
