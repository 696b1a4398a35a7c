/**
 * Candidates from a CSV file: the first line names the columns, the separator is a comma or a
 * semicolon (what a spreadsheet in ru/kk saves), fields may be quoted ("" inside quotes is one quote).
 * Each data line becomes a form input for candidateInputSchema; the centre reports every line it refused.
 */
import type { CandidateField, CandidateInput } from './candidate-record';

/** Column names accepted in the header, as written or with spaces/underscores, case-insensitive. */
const COLUMNS: Record<string, Exclude<CandidateField, never>> = {
  surname: 'surname',
  givenname: 'givenName',
  name: 'givenName',
  patronymic: 'patronymic',
  iin: 'iin',
  birthdate: 'birthDate',
  address: 'address',
  email: 'email',
  phone: 'phone',
  profession: 'profession',
  nqflevel: 'nqfLevel',
  level: 'nqfLevel',
  consent: 'consent',
};

export const MAX_CSV_ROWS = 2000;

/** The header line a file may use as it is (a file format, the same in every interface language), and a line under it. */
export const CSV_EXAMPLE = [
  'surname;given name;patronymic;iin;birth date;address;email;phone;profession;nqf level;consent',
  'Сейтқали;Айгерім;;950315450012;1995-03-15;Астана;a@example.kz;+77010000000;Электромонтёр;4;иә',
].join('\n');

/** Splits CSV text into rows of fields (RFC 4180 with either separator). */
export function parseCsvRows(textIn: string): string[][] {
  const text = textIn.replace(/^\uFEFF/, '');
  const firstLine = text.split(/\r?\n/, 1)[0] ?? '';
  const sep = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === sep) {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows.filter((r) => r.some((f) => f.trim() !== ''));
}

const YES = new Set(['1', 'yes', 'true', 'да', 'иә', 'ия', 'y', '+']);

export type CsvParse =
  | { ok: true; rows: { line: number; input: Record<string, unknown> }[] }
  | { ok: false; code: 'csv_empty' | 'csv_unknown_column' | 'csv_missing_column' | 'csv_too_many_rows'; column?: string };

/** The header row's columns mapped to the form's fields; each later line as a form input (line numbers from 1 = header). */
export function parseCandidateCsv(text: string): CsvParse {
  const rows = parseCsvRows(text);
  if (rows.length < 2) return { ok: false, code: 'csv_empty' };
  const header = rows[0]!.map((h) =>
    h
      .trim()
      .toLowerCase()
      .replace(/[\s_-]/g, ''),
  );
  const fields: CandidateField[] = [];
  for (const h of header) {
    const f = COLUMNS[h];
    if (!f) return { ok: false, code: 'csv_unknown_column', column: h };
    fields.push(f);
  }
  for (const required of ['surname', 'givenName', 'iin', 'birthDate'] as const) {
    if (!fields.includes(required)) return { ok: false, code: 'csv_missing_column', column: required };
  }
  if (rows.length - 1 > MAX_CSV_ROWS) return { ok: false, code: 'csv_too_many_rows' };
  // Line numbers count physical rows after blank ones are dropped; close enough for a spreadsheet user.
  return {
    ok: true,
    rows: rows.slice(1).map((cells, i) => {
      const input: Record<string, unknown> = {};
      fields.forEach((f, j) => {
        const raw = (cells[j] ?? '').trim();
        if (f === 'nqfLevel') input[f] = raw === '' ? undefined : /^\d+$/.test(raw) ? Number(raw) : raw;
        else if (f === 'consent') input[f] = YES.has(raw.toLowerCase());
        else input[f] = raw === '' && (f === 'patronymic' || f === 'email') ? null : raw;
      });
      return { line: i + 2, input: input satisfies Partial<Record<keyof CandidateInput, unknown>> };
    }),
  };
}
