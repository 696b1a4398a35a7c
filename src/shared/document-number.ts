/**
 * The serial number of the document on recognition of professional qualification (rule 18,
 * Appendix 2): six levels separated by dashes,
 *
 *   XXXXX-XXXXXXXX-X-XXXXXX-XXXX-XXXXXXXX
 *   1     2        3 4      5    6
 *   1 OKED sub-class (5 digits)          4 date of the procedure, DDMMYY
 *   2 occupation code (8 digits)         5 the centre's accreditation number (4 digits)
 *   3 NQF level (1 digit, 1..8)          6 the document's sequence number (8 digits, from 1)
 *
 * The "0" occupation code. Appendix 2 gives level 2 eight characters and says "0" where the
 * national classifier of occupations has no code for the profession. We write that "0" padded to
 * the level's width, `00000000`, so every level sits at a fixed place (the NQF level is always the
 * 16th character) and every number has 37 characters; no real classifier code is all zeros (its
 * first digit is a major group and group 0 has sub-groups 01-03). Reading a number, the bare `0`
 * is accepted too (in case the NQS platform prints it that way: the dashes still find the level)
 * and means the same; `formatDocumentNumber` always writes the canonical `00000000`, so
 * format(parse(x)) is the canonical form of x and parse(format(f)) gives f back.
 *
 * Level 4 holds two digits of the year: we read YY as 20YY, so dates from 2000 to 2099 only.
 * The sequence never repeats at a centre: allocating it is the store's job, in the transaction
 * that issues the document; this module only writes and reads numbers.
 */
import type { UiLanguage } from './languages';

export interface DocumentNumberFields {
  /** OKED sub-class, 5 digits (level 1). */
  oked: string;
  /** Occupation code, 8 digits; null (or "0" on input) where the classifier has none (level 2). */
  occupationCode: string | null;
  /** National qualification framework level, 1..8 (level 3). */
  nqfLevel: number;
  /** The date the procedure was held, YYYY-MM-DD (level 4, written DDMMYY). */
  examDate: string;
  /** The centre's number received at accreditation, 4 digits (level 5). */
  centreAccreditation: string;
  /** The document's sequence number, 1..99 999 999 (level 6, zero-padded to 8). */
  sequence: number;
}

export type DocumentNumberField = keyof DocumentNumberFields;

export type DocumentNumberIssueCode =
  | 'required' // empty
  | 'not_digits' // something other than 0-9
  | 'too_short'
  | 'too_long'
  | 'not_integer' // a level or sequence given as a fraction or not a number
  | 'out_of_range' // NQF level 0 or 9, sequence 0 or over 8 digits, a year outside 2000-2099
  | 'not_a_date' // 31 February, month 13...
  | 'groups'; // the whole string is not six dash-separated groups

export interface DocumentNumberIssue {
  field: DocumentNumberField | 'number';
  code: DocumentNumberIssueCode;
  /** The number of characters the level needs, for too_short / too_long. */
  expected?: number;
}

export class DocumentNumberError extends Error {
  override readonly name = 'DocumentNumberError';
  constructor(readonly issues: readonly DocumentNumberIssue[]) {
    super(`invalid document number fields: ${issues.map((i) => `${i.field} ${i.code}`).join(', ')}`);
  }
}

/** Width of each level, in Appendix 2's order. */
export const LEVEL_WIDTHS = { oked: 5, occupationCode: 8, nqfLevel: 1, examDate: 6, centreAccreditation: 4, sequence: 8 } as const;
const ORDER: readonly DocumentNumberField[] = ['oked', 'occupationCode', 'nqfLevel', 'examDate', 'centreAccreditation', 'sequence'];
export const MAX_SEQUENCE = 99_999_999;
export const NO_OCCUPATION_CODE = '00000000';
export const DOCUMENT_NUMBER_LENGTH = 37;

/** A string of digits of exactly `width` characters, or the issue with it. */
function digitsIssue(field: DocumentNumberField, value: string, width: number): DocumentNumberIssue | null {
  if (value === '') return { field, code: 'required' };
  if (!/^[0-9]+$/.test(value)) return { field, code: 'not_digits' };
  if (value.length < width) return { field, code: 'too_short', expected: width };
  if (value.length > width) return { field, code: 'too_long', expected: width };
  return null;
}

function realDate(y: number, m: number, d: number): boolean {
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

/** Every problem with the fields, in Appendix 2's order; empty when they make a number. */
export function checkDocumentNumberFields(f: DocumentNumberFields): DocumentNumberIssue[] {
  const issues: DocumentNumberIssue[] = [];
  const push = (i: DocumentNumberIssue | null) => i && issues.push(i);

  push(digitsIssue('oked', f.oked, LEVEL_WIDTHS.oked));
  if (f.occupationCode !== null && f.occupationCode !== '0')
    push(digitsIssue('occupationCode', f.occupationCode, LEVEL_WIDTHS.occupationCode));
  if (!Number.isInteger(f.nqfLevel)) push({ field: 'nqfLevel', code: 'not_integer' });
  else if (f.nqfLevel < 1 || f.nqfLevel > 8) push({ field: 'nqfLevel', code: 'out_of_range' });

  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(f.examDate);
  if (!m) push({ field: 'examDate', code: f.examDate === '' ? 'required' : 'not_a_date' });
  else if (!realDate(Number(m[1]), Number(m[2]), Number(m[3]))) push({ field: 'examDate', code: 'not_a_date' });
  else if (Number(m[1]) < 2000 || Number(m[1]) > 2099) push({ field: 'examDate', code: 'out_of_range' });

  push(digitsIssue('centreAccreditation', f.centreAccreditation, LEVEL_WIDTHS.centreAccreditation));
  if (!Number.isInteger(f.sequence)) push({ field: 'sequence', code: 'not_integer' });
  else if (f.sequence < 1 || f.sequence > MAX_SEQUENCE) push({ field: 'sequence', code: 'out_of_range' });
  return issues;
}

/** The number, e.g. `43210-74110001-4-150325-0001-00000042`; throws DocumentNumberError on bad fields. */
export function formatDocumentNumber(f: DocumentNumberFields): string {
  const issues = checkDocumentNumberFields(f);
  if (issues.length > 0) throw new DocumentNumberError(issues);
  const [y, mo, d] = f.examDate.split('-') as [string, string, string];
  const occupation = f.occupationCode === null || f.occupationCode === '0' ? NO_OCCUPATION_CODE : f.occupationCode;
  return [
    f.oked,
    occupation,
    String(f.nqfLevel),
    `${d}${mo}${y.slice(2)}`,
    f.centreAccreditation,
    String(f.sequence).padStart(8, '0'),
  ].join('-');
}

export type ParsedDocumentNumber =
  { ok: true; fields: DocumentNumberFields; canonical: string } | { ok: false; issues: DocumentNumberIssue[] };

/**
 * Reads a number back into its fields, with one issue per bad level (every level is checked, not
 * just the first). Surrounding spaces are ignored; nothing else is forgiven.
 */
export function parseDocumentNumber(text: string): ParsedDocumentNumber {
  const groups = text.trim().split('-');
  if (groups.length !== ORDER.length) return { ok: false, issues: [{ field: 'number', code: 'groups' }] };
  const [oked, occupation, level, date, centre, sequence] = groups as [string, string, string, string, string, string];
  const issues: DocumentNumberIssue[] = [];
  const push = (i: DocumentNumberIssue | null) => i && issues.push(i);

  push(digitsIssue('oked', oked, LEVEL_WIDTHS.oked));
  if (occupation !== '0') push(digitsIssue('occupationCode', occupation, LEVEL_WIDTHS.occupationCode));
  const levelIssue = digitsIssue('nqfLevel', level, LEVEL_WIDTHS.nqfLevel);
  push(levelIssue ?? (Number(level) < 1 || Number(level) > 8 ? { field: 'nqfLevel', code: 'out_of_range' } : null));
  const dateIssue = digitsIssue('examDate', date, LEVEL_WIDTHS.examDate);
  const [dd, mm, yy] = [Number(date.slice(0, 2)), Number(date.slice(2, 4)), 2000 + Number(date.slice(4, 6))];
  push(dateIssue ?? (realDate(yy, mm, dd) ? null : { field: 'examDate', code: 'not_a_date' }));
  push(digitsIssue('centreAccreditation', centre, LEVEL_WIDTHS.centreAccreditation));
  const seqIssue = digitsIssue('sequence', sequence, LEVEL_WIDTHS.sequence);
  push(seqIssue ?? (Number(sequence) < 1 ? { field: 'sequence', code: 'out_of_range' } : null));
  if (issues.length > 0) return { ok: false, issues };

  const fields: DocumentNumberFields = {
    oked,
    occupationCode: occupation === '0' || occupation === NO_OCCUPATION_CODE ? null : occupation,
    nqfLevel: Number(level),
    examDate: `${yy}-${date.slice(2, 4)}-${date.slice(0, 2)}`,
    centreAccreditation: centre,
    sequence: Number(sequence),
  };
  return { ok: true, fields, canonical: formatDocumentNumber(fields) };
}

// ---- The issues in words (staff in kk / ru / en; the public verification page in kk / ru) ----

const FIELD_NAMES: Record<DocumentNumberIssue['field'], Record<UiLanguage, string>> = {
  number: { kk: 'Құжат нөмірі', ru: 'Номер документа', en: 'Document number' },
  oked: { kk: 'ЭҚЖЖ коды', ru: 'Код ОКЭД', en: 'OKED code' },
  occupationCode: { kk: 'Кәсіп коды', ru: 'Код занятия', en: 'Occupation code' },
  nqfLevel: { kk: 'Біліктілік деңгейі', ru: 'Уровень квалификации', en: 'NQF level' },
  examDate: { kk: 'Рәсім өткізілген күн', ru: 'Дата проведения процедуры', en: 'Date of the procedure' },
  centreAccreditation: { kk: 'Орталықтың аккредиттеу нөмірі', ru: 'Номер аккредитации центра', en: 'Centre accreditation number' },
  sequence: { kk: 'Реттік нөмір', ru: 'Порядковый номер', en: 'Sequence number' },
};

const ISSUE_TEXT: Record<DocumentNumberIssueCode, Record<UiLanguage, string>> = {
  required: { kk: '{field}: толтырылмаған.', ru: '{field}: не заполнено.', en: '{field}: missing.' },
  not_digits: { kk: '{field}: тек цифрлар болуы керек.', ru: '{field}: допускаются только цифры.', en: '{field}: digits only.' },
  too_short: {
    kk: '{field}: цифрлар жетпейді, {expected} болуы керек.',
    ru: '{field}: не хватает цифр, нужно {expected}.',
    en: '{field}: too few digits, {expected} expected.',
  },
  too_long: {
    kk: '{field}: цифрлар тым көп, {expected} болуы керек.',
    ru: '{field}: слишком много цифр, нужно {expected}.',
    en: '{field}: too many digits, {expected} expected.',
  },
  not_integer: { kk: '{field}: бүтін сан болуы керек.', ru: '{field}: должно быть целым числом.', en: '{field}: must be a whole number.' },
  out_of_range: { kk: '{field}: рұқсат етілген шектен тыс.', ru: '{field}: вне допустимых пределов.', en: '{field}: out of range.' },
  not_a_date: { kk: '{field}: мұндай күн жоқ.', ru: '{field}: такой даты нет.', en: '{field}: no such date.' },
  groups: {
    kk: 'Нөмір сызықшамен бөлінген алты бөліктен тұрады: 5, 8, 1, 6, 4 және 8 цифр.',
    ru: 'Номер состоит из шести частей через дефис: 5, 8, 1, 6, 4 и 8 цифр.',
    en: 'A number has six dash-separated parts of 5, 8, 1, 6, 4 and 8 digits.',
  },
};

export function documentNumberIssueText(issue: DocumentNumberIssue, language: UiLanguage): string {
  return ISSUE_TEXT[issue.code][language]
    .replace('{field}', FIELD_NAMES[issue.field][language])
    .replace('{expected}', String(issue.expected ?? ''));
}
